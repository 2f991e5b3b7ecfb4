using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Demo;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>Open data: exports valid against docs/report.schema.json (checked in-process with the validator
/// the import uses), byte for byte what format version 1 has always written, the bulk CSV, and the import: a
/// round trip into a fresh database is identical; a document that breaks the schema is refused naming each JSON
/// path; an unbalanced column is refused with the A1 message.</summary>
[Collection("Browser")]
public sealed class OpenDataTests(PublishedAppFixture app) : IClassFixture<PublishedAppFixture>
{
    private static readonly string Government = UnifiedSocialCreditCode.Complete("11410724MB0000010");
    private static readonly string[] Versions = ["2022", "2023", "2024/v1", "2024/v2"];

    [Fact]
    public async Task Every_published_version_exports_json_that_the_schema_accepts()
    {
        var client = app.Factory.CreateClient();
        var exports = new List<string>();
        foreach (var path in Versions)
        {
            var json = await client.GetStringAsync($"/reports/{Government}/{path}.json");
            Assert.Empty(OpenDataSchema.Validate(json));
            exports.Add(json);
        }
        Assert.Equal(4, exports.Distinct().Count());

        // The schema really constrains: a negative cell is rejected, at its path.
        var bad = JsonNode.Parse(exports[0])!;
        bad["cells"]!["apps.new.np"] = -1;
        Assert.Equal(["$.cells['apps.new.np']：不能小于0（现为-1）"], OpenDataSchema.Validate(bad.ToJsonString()));
    }

    [Fact]
    public void The_schema_that_runs_is_the_documented_file()
    {
        var documented = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "report.schema.json"));
        Assert.Equal(documented, OpenDataSchema.Text);
    }

    [Fact]
    public async Task The_json_export_is_byte_for_byte_what_format_version_1_has_always_written()
    {
        var client = app.Factory.CreateClient();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var reports = scope.ServiceProvider.GetRequiredService<PublicReports>();
        foreach (var (year, version) in new[] { (2022, 1), (2023, 1), (2024, 1), (2024, 2) })
        {
            var report = (await reports.FindAsync(Government, year, version, CancellationToken.None))!;
            var expected = FormatVersion1(report);
            Assert.Equal(expected, OpenData.JsonText(report));
            Assert.Equal(expected, await client.GetStringAsync($"/reports/{Government}/{year}/v{version}.json"));
        }
    }

    /// <summary>
    /// The writer format version 1 shipped with (a JsonObject built by hand), kept as the oracle for the public
    /// format: the record-based writer must give the same names, order, value formats and indentation.
    /// </summary>
    private static string FormatVersion1(PublishedReport report)
    {
        var document = report.Document;
        var snapshot = report.Snapshot;
        var cells = new JsonObject();
        foreach (var cell in report.Template.Cells.Where(c => document.Values.ContainsKey(c.Id)))
            cells[cell.Id] = JsonNode.Parse(document.Value(cell.Id));
        var texts = new JsonObject();
        foreach (var part in report.Template.NarrativeParts.Keys.Where(document.Texts.ContainsKey))
            texts[part] = document.Texts[part];
        return new JsonObject
        {
            ["format"] = "govinforeports.report",
            ["formatVersion"] = 1,
            ["template"] = report.Template.Code,
            ["agency"] = new JsonObject
            {
                ["code"] = report.Agency.Code,
                ["name"] = snapshot.AgencyName,
                ["kind"] = snapshot.AgencyKind.ToString(),
                ["region"] = new JsonObject { ["code"] = snapshot.RegionCode, ["name"] = snapshot.RegionName },
            },
            ["year"] = report.Year,
            ["version"] = snapshot.Version,
            ["publishedAt"] = snapshot.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["correctionNote"] = snapshot.CorrectionNote,
            ["metadata"] = new JsonObject
            {
                ["title"] = snapshot.Metadata.Title,
                ["compilingOffice"] = snapshot.Metadata.CompilingOffice,
                ["unitsCovered"] = snapshot.Metadata.UnitsCovered,
                ["periodStart"] = snapshot.Metadata.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["periodEnd"] = snapshot.Metadata.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["publicationPlace"] = snapshot.Metadata.PublicationPlace,
                ["contact"] = snapshot.Metadata.Contact,
            },
            ["cells"] = cells,
            ["texts"] = texts,
            ["pdfSha256"] = snapshot.PdfSha256,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovInfoReports.sln"))) return dir.FullName;
        throw new InvalidOperationException("Repository root not found.");
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
        // The 总计 column is the sum of the others: its identity is not reported again.
        Assert.DoesNotContain(result.Problems, p => p.StartsWith("表三 总计列：", StringComparison.Ordinal));

        json["agency"]!["code"] = UnifiedSocialCreditCode.Complete("11999999MB0000000");
        var unknown = await importer.ImportAsync(json.ToJsonString(), null, CancellationToken.None);
        Assert.Contains("未登记", unknown.Problems.Single());
        Assert.Contains("不是有效的JSON", (await importer.ImportAsync("{", null, CancellationToken.None)).Problems.Single());
    }

    [Fact]
    public async Task A_document_that_breaks_the_schema_is_refused_naming_each_JSON_path()
    {
        var json = JsonNode.Parse(await app.Factory.CreateClient().GetStringAsync($"/reports/{Government}/2022.json"))!;
        json["year"] = 2025; // a year this system does not hold (the demo publishes 2016 and 2019–2024), so only the document's faults can refuse it
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<ReportImporter>();

        var wrong = json.DeepClone();
        wrong["cells"]!["apps.new.np"] = -1;
        wrong["metadata"]!.AsObject().Remove("title");
        wrong["agency"]!["extra"] = "x";
        wrong["publishedAt"] = "2023-03-01 08:00";
        wrong["texts"]!["s1.active"] = 5;
        var result = await importer.ImportAsync(wrong.ToJsonString(), null, CancellationToken.None);
        Assert.False(result.Imported);
        Assert.Equal(
            [
                "$.agency.extra：格式中没有这一项",
                "$.cells['apps.new.np']：不能小于0（现为-1）",
                "$.metadata：缺少“title”",
                "$.publishedAt：“2023-03-01 08:00”不符合格式 ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                "$.texts['s1.active']：应为文本，实为数字",
            ],
            result.Problems.Order(StringComparer.Ordinal));

        // A date the schema's pattern lets through but the calendar does not have is named too.
        var impossible = json.DeepClone();
        impossible["metadata"]!["periodEnd"] = "2021-02-30";
        Assert.Equal(["$.metadata.periodEnd：不是有效的日期（应如 2024-12-31）"],
            (await importer.ImportAsync(impossible.ToJsonString(), null, CancellationToken.None)).Problems);

        await using var db = app.Db();
        Assert.False(await db.Reports.AnyAsync(r => r.Year == 2025 && r.Agency.Code == Government));
    }
}
