using System.Globalization;
using System.Text;
using GovInfoReports.Domain.Import;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>
/// <c>--import-report &lt;file&gt; --dry-run [--format 2021|2019|pre2019] [--year N]</c> (a stable interface, issue 10):
/// reads a published report with no database and prints ONE JSON document on stdout (<see cref="ImportReadingJson"/>).
/// Exit code 0 when read, 2 with a Chinese message on stderr when the file cannot be read as a report (missing,
/// empty, binary, not a report), 64 for a malformed command line.
/// <c>--import-report &lt;file&gt; --agency &lt;统一社会信用代码&gt; --published-on &lt;yyyy-MM-dd&gt; [--source-url URL] [--year N]
/// [--format F]</c> (connection string required): creates the archive record (<see cref="ReportImports.ArchiveFromCommandLineAsync"/>)
/// and prints its permalink; exit 2 with the reasons on stderr when refused.
/// </summary>
public static class ImportCommand
{
    public const string Switch = "--import-report";

    public static bool Requested(string[] args) => args.Contains(Switch);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var file = Value(args, Switch);
        if (file is null)
        {
            stderr.WriteLine("用法：--import-report <文件> --dry-run [--format 2021|2019|pre2019] [--year 年度]");
            return 64;
        }
        int? year = null;
        if (Value(args, "--year") is { } y)
        {
            if (!int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) { stderr.WriteLine($"--year 应为年度数字，收到“{y}”"); return 64; }
            year = parsed;
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"无法读取文件“{file}”：{(e is FileNotFoundException or DirectoryNotFoundException ? "文件不存在" : "没有读取权限或路径无效")}");
            return 2;
        }
        var catalog = TemplateCatalog.Load(Environment.GetEnvironmentVariable("Templates__Directory"));
        var source = SourceReaders.Read(Path.GetFileName(file), bytes);
        if (source.Document is null)
        {
            stderr.WriteLine(source.Error);
            return 2;
        }
        var parse = new PublishedReportParser(catalog).Parse(source.Document, new ImportOptions(Value(args, "--format"), year));
        if (parse.Reading is null)
        {
            stderr.WriteLine(parse.Error);
            return 2;
        }
        stdout.WriteLine(ImportReadingJson.Write(parse.Reading));
        return 0;
    }

    /// <summary>The archive record of the command line: needs the app's services (database, PDF renderer).</summary>
    public static async Task<int> ArchiveAsync(WebApplication app, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var file = Value(args, Switch);
        var agency = Value(args, "--agency");
        var on = Value(args, "--published-on");
        var publishedOn = Entry.MetadataInput.ParseDate(on);
        int? year = int.TryParse(Value(args, "--year"), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : null;
        if (file is null || agency is null || publishedOn is null)
        {
            stderr.WriteLine("用法：--import-report <文件> --agency <统一社会信用代码> --published-on <原发布日期，如 2023-01-20> [--source-url 原文地址] [--year 年度] [--format 2021|2019|pre2019]；只读取不保存请加 --dry-run");
            return 64;
        }
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"无法读取文件“{file}”：{(e is FileNotFoundException or DirectoryNotFoundException ? "文件不存在" : "没有读取权限或路径无效")}");
            return 2;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var (permalink, problems) = await scope.ServiceProvider.GetRequiredService<ReportImports>()
            .ArchiveFromCommandLineAsync(agency, Path.GetFileName(file), bytes, publishedOn.Value, Value(args, "--source-url"), year, Value(args, "--format"), CancellationToken.None);
        if (permalink is null)
        {
            foreach (var problem in problems) stderr.WriteLine(problem);
            return 2;
        }
        stdout.WriteLine(permalink);
        return 0;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[i + 1] : null;
    }
}

