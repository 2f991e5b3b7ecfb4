using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>The built app started as a user starts it (<c>dotnet GovInfoReports.Web.dll [switches] --urls …</c>),
/// configured by environment variables only; for what must be seen from outside the process (its log).</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts the app and waits until /healthz answers (at most 60 s).</summary>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] switches)
    {
        var port = FreePort();
        var web = Path.Combine(AppContext.BaseDirectory.Replace(
            Path.Combine("tests", "GovInfoReports.Web.Tests", "bin"), Path.Combine("src", "GovInfoReports.Web", "bin"), StringComparison.Ordinal));
        var start = new ProcessStartInfo("dotnet", [Path.Combine(web, "GovInfoReports.Web.dll"), .. switches, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline && !process.HasExited; await Task.Delay(200))
        {
            try
            {
                if ((await client.GetAsync(new Uri(app.Address, "/healthz"))).StatusCode == HttpStatusCode.OK) return app;
            }
            catch (HttpRequestException) { }
        }
        await app.DisposeAsync();
        throw new InvalidOperationException($"The app did not become healthy (exited: {process.HasExited}).");
    }

    /// <summary>Stops the app as a service manager would (SIGTERM), so its log is flushed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
