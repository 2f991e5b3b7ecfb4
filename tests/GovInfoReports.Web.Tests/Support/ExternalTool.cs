using System.Diagnostics;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>Runs a command-line tool the tests read documents with (pdftotext, pdffonts, pdfinfo of poppler-utils).</summary>
public static class ExternalTool
{
    /// <summary>The tool's standard output; fails the test when it does not start or exits with an error.</summary>
    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (poppler-utils installed?)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await process.StandardError.ReadToEndAsync()}");
        return output;
    }
}
