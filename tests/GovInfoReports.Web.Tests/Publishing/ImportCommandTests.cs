using System.Diagnostics;
using System.Text.Json;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary><c>--import-report</c> as a user runs it: the dry run prints one JSON document without a database; with
/// <c>--agency</c> it makes the archive record and prints its permalink.</summary>
public sealed class ImportCommandTests(ImportCommandTests.Fixture app) : IClassFixture<ImportCommandTests.Fixture>
{
    public sealed class Fixture : AppFixture;

    private static readonly string Fixture002 = Path.Combine(AppContext.BaseDirectory, "TestData", "fixtures", "002_02625ab39fea2acd.txt");

    private static async Task<(int Code, string Out, string Err)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "GovInfoReports.Web.dll"), .. args])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        // No connection string unless given: the dry run must not need a database.
        start.Environment.Remove("ConnectionStrings__Default");
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task The_dry_run_prints_one_json_document_of_the_reading_without_a_database()
    {
        var (code, stdout, stderr) = await RunAsync(new Dictionary<string, string>(), "--import-report", Fixture002, "--dry-run");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("2021", root.GetProperty("format").GetString());
        Assert.Equal(2022, root.GetProperty("year").GetInt32());
        Assert.Equal(8, root.GetProperty("cells").GetProperty("apps.new.np").GetDecimal());
        Assert.Equal(23, root.GetProperty("cells").GetProperty("a20_1.normative.in_force").GetDecimal());
        Assert.Equal(175 + 10 + 15, root.GetProperty("cells").EnumerateObject().Count());
        Assert.Empty(root.GetProperty("ambiguous").EnumerateObject());
        Assert.StartsWith("2022年度信息公开申请未向申请人收取任何费用", root.GetProperty("texts").GetProperty("s6.text").GetString());
        Assert.Equal("获嘉县人民政府办公室2022年政府信息公开工作年度报告", root.GetProperty("metadata").GetProperty("title").GetString());
        Assert.Empty(root.GetProperty("violations").EnumerateArray());
        Assert.Empty(root.GetProperty("unplaced").EnumerateArray());
    }

    [Fact]
    public async Task An_unreadable_file_exits_2_with_a_chinese_message_and_nothing_on_stdout()
    {
        var empty = Path.GetTempFileName();
        var (code, stdout, stderr) = await RunAsync(new Dictionary<string, string>(), "--import-report", empty, "--dry-run");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("文件是空的", stderr);

        var missing = await RunAsync(new Dictionary<string, string>(), "--import-report", "/no/such/report.txt", "--dry-run");
        Assert.Equal(2, missing.Code);
        Assert.Contains("文件不存在", missing.Err);
    }

    [Fact]
    public async Task With_an_agency_it_makes_the_archive_record_and_prints_its_permalink()
    {
        await using var db = app.Db();
        var town = await db.Agencies.SingleAsync(a => a.Name == "获嘉县太山镇人民政府");
        var text = Path.GetTempFileName() + ".txt";
        await File.WriteAllTextAsync(text, (await File.ReadAllTextAsync(Fixture002)).Replace("2022", "2021", StringComparison.Ordinal));

        var (code, stdout, stderr) = await RunAsync(new Dictionary<string, string> { ["ConnectionStrings__Default"] = app.ConnectionString },
            "--import-report", text, "--agency", town.Code, "--published-on", "2022-01-25", "--source-url", "http://www.huojia.gov.cn/2021.html");

        Assert.True(code == 0, stderr);
        Assert.Equal($"/reports/{town.Code}/2021", stdout.Trim());
        var page = await FormPage.GetAsync(app.Factory.CreateClient(), $"/reports/{town.Code}/2021");
        Assert.Contains("本报告于2022年1月25日在别处发布", page.Document.QuerySelector(".archive-notice")!.TextContent);
        Assert.Contains("获嘉县太山镇人民政府", page.Document.QuerySelector(".report-meta")!.TextContent);
        var import = await db.ReportImports.SingleAsync(i => i.AgencyId == town.Id);
        Assert.Null(import.UserId);
    }
}
