using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Hosting;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Public;

/// <summary>Open data: exports valid against docs/report.schema.json (checked with npm ajv-cli), the
/// bulk CSV, and the import: a round trip into a fresh database is identical; an unbalanced column is
/// refused with the A1 message.</summary>
[Collection("Browser")]
public sealed class OpenDataTests(PublishedAppFixture app) : IClassFixture<PublishedAppFixture>
{
    private static readonly string Government = UnifiedSocialCreditCode.Complete("11410724MB0000010");

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovInfoReports.sln"))) return dir.FullName;
        throw new InvalidOperationException("Repository root not found.");
    }

    [Fact]
    public async Task Every_published_version_exports_json_that_the_schema_accepts()
    {
        var client = app.Factory.CreateClient();
        var dir = Directory.CreateTempSubdirectory("gir-json").FullName;
        var files = new List<string>();
        foreach (var path in new[] { "2022", "2023", "2024/v1", "2024/v2" })
        {
            var file = Path.Combine(dir, path.Replace('/', '-') + ".json");
            await File.WriteAllTextAsync(file, await client.GetStringAsync($"/reports/{Government}/{path}.json"));
            files.Add(file);
        }
        var root = RepoRoot();
        var ajv = Path.Combine(root, "tests", "schema", "node_modules", ".bin", "ajv");
        Assert.True(File.Exists(ajv), "ajv-cli is not installed: scripts/test.sh runs npm ci in tests/schema");
        var start = new ProcessStartInfo(ajv, ["validate", "--strict=false", "-s", Path.Combine(root, "docs", "report.schema.json"), .. files.SelectMany(f => new[] { "-d", f })])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output);
        Assert.Equal(4, output.Split('\n').Count(l => l.Contains("valid", StringComparison.Ordinal) && !l.Contains("invalid", StringComparison.Ordinal)));

        // The schema really constrains: a negative cell is rejected.
        var bad = JsonNode.Parse(await File.ReadAllTextAsync(files[0]))!;
        bad["cells"]!["apps.new.np"] = -1;
        var badFile = Path.Combine(dir, "bad.json");
        await File.WriteAllTextAsync(badFile, bad.ToJsonString());
        using var check = Process.Start(new ProcessStartInfo(ajv, ["validate", "--strict=false", "-s", Path.Combine(root, "docs", "report.schema.json"), "-d", badFile])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await check.WaitForExitAsync();
        Assert.NotEqual(0, check.ExitCode);
    }

    [Fact]
    public async Task The_bulk_csv_of_a_year_holds_every_published_report_of_that_year()
    {
        var bytes = await app.Factory.CreateClient().GetByteArrayAsync("/open-data/2023.csv");
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(OpenData.CsvHeader, lines[0].Split(','));
        Assert.Equal(200, lines.Skip(1).Count(l => l.StartsWith($"{Government},2023,1,", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Export_then_import_into_a_fresh_database_is_identical()
    {
        var client = app.Factory.CreateClient();
        var exported = JsonNode.Parse(await client.GetStringAsync($"/reports/{Government}/2023.json"))!.AsObject();

        await using var fresh = new AppFactory(await TestPostgres.CreateDatabaseAsync("roundtrip"));
        await using (var scope = fresh.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None, publishHistory: false);
            var result = await scope.ServiceProvider.GetRequiredService<ReportImporter>().ImportAsync(exported.ToJsonString(), null, CancellationToken.None);
            Assert.True(result.Imported, string.Join("; ", result.Problems));
        }
        var reimported = JsonNode.Parse(await fresh.CreateClient().GetStringAsync($"/reports/{Government}/2023.json"))!.AsObject();

        // The PDF is rendered anew on import (its bytes carry a creation time); everything else is identical.
        Assert.Matches("^[0-9a-f]{64}$", reimported["pdfSha256"]!.GetValue<string>());
        exported.Remove("pdfSha256");
        reimported.Remove("pdfSha256");
        Assert.Equal(exported.ToJsonString(), reimported.ToJsonString());
    }

    [Fact]
    public async Task An_unbalanced_column_is_refused_with_the_A1_message()
    {
        var json = JsonNode.Parse(await app.Factory.CreateClient().GetStringAsync($"/reports/{Government}/2022.json"))!;
        var np = json["cells"]!["apps.new.np"]!.GetValue<decimal>();
        var tot = json["cells"]!["apps.new.tot"]!.GetValue<decimal>();
        json["cells"]!["apps.new.np"] = np + 1;
        json["cells"]!["apps.new.tot"] = tot + 1; // the printed total follows, so only the identity breaks
        json["year"] = 2021;
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<ReportImporter>();
        var result = await importer.ImportAsync(json.ToJsonString(), null, CancellationToken.None);
        Assert.False(result.Imported);
        Assert.Contains(result.Problems, p => p.StartsWith("表三 自然人列：", StringComparison.Ordinal) && p.EndsWith("相差1", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith("表三 总计列：", StringComparison.Ordinal));

        json["agency"]!["code"] = UnifiedSocialCreditCode.Complete("11999999MB0000000");
        var unknown = await importer.ImportAsync(json.ToJsonString(), null, CancellationToken.None);
        Assert.Contains("未登记", unknown.Problems.Single());
        Assert.Contains("不是有效的JSON", (await importer.ImportAsync("{", null, CancellationToken.None)).Problems.Single());
    }
}
