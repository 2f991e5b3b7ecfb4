using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>Open data of the 2019 format (国办公开办函〔2019〕60号): fixture 003's 二 (negative 本年增/减, 采购总金额
/// printed in 元) imported as JSON, exported again unchanged (values in 万元 plus the unit chosen) and printed in the
/// CSV and HTML as the agency printed it.</summary>
public sealed class Format2019OpenDataTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string Government = UnifiedSocialCreditCode.Complete("11410724MB0000010");
    private const string Amount = "a20_9.procurement.amount";

    /// <summary>A published 2020 report of 获嘉县人民政府 in the open-data JSON: fixture 003's figures of 二 and 表三,
    /// every other enterable cell 0, totals as printed, in template order.</summary>
    private JsonObject Document2020()
    {
        var template = app.Templates.Get("2019")!;
        var typed = template.Cells.Where(c => c.Enterable).ToDictionary(c => c.Id, _ => 0m, StringComparer.Ordinal);
        foreach (var (id, value) in new (string, decimal)[]
                 {
                     ("a20_1.normative.made", 140), ("a20_1.normative.published", 140), ("a20_1.normative.public_total", 432),
                     ("a20_5.licensing.prev", 4791), ("a20_5.licensing.change", -649), ("a20_5.licensing.decisions", 4142),
                     ("a20_6.coercion.prev", 47), ("a20_6.coercion.change", -4), ("a20_6.coercion.decisions", 43),
                     ("a20_9.procurement.items", 458), (Amount, 2117.4299m),
                     ("apps.new.np", 8), ("apps.r1.np", 5), ("apps.r3_5.np", 1), ("apps.r4_1.np", 2),
                 })
            typed[id] = value;
        var values = RuleEvaluator.WithTotals(template, typed);
        var cells = new JsonObject();
        foreach (var cell in template.Cells.Where(c => values.ContainsKey(c.Id)))
            cells[cell.Id] = JsonValue.Create(values[cell.Id]);
        return new JsonObject
        {
            ["format"] = "govinforeports.report", ["formatVersion"] = 1, ["template"] = "2019",
            ["agency"] = new JsonObject
            {
                ["code"] = Government, ["name"] = "获嘉县人民政府", ["kind"] = "Government",
                ["region"] = new JsonObject { ["code"] = "410724", ["name"] = "获嘉县" },
            },
            ["year"] = 2020, ["version"] = 1, ["publishedAt"] = "2021-01-20T02:00:00Z", ["correctionNote"] = null,
            ["metadata"] = new JsonObject
            {
                ["title"] = "获嘉县人民政府2020年政府信息公开工作年度报告", ["compilingOffice"] = "获嘉县人民政府办公室",
                ["unitsCovered"] = null, ["periodStart"] = "2020-01-01", ["periodEnd"] = "2020-12-31",
                ["publicationPlace"] = null, ["contact"] = null,
            },
            ["cells"] = cells,
            ["texts"] = new JsonObject { ["s1.active"] = "坚持做到“应公开、尽公开，应上网、尽上网”。", ["s5.text"] = "一是人员衔接力度不紧密。", ["s6.text"] = "无。" },
            ["pdfSha256"] = null,
            ["cellUnits"] = new JsonObject { [Amount] = "yuan" },
        };
    }

    [Fact]
    public async Task A_2019_format_report_imported_from_json_exports_unchanged_with_its_unit_and_negative_changes()
    {
        var document = Document2020();
        Assert.Empty(OpenDataSchema.Validate(document.ToJsonString()));
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<ReportImporter>().ImportAsync(document.ToJsonString(), null, CancellationToken.None);
            Assert.True(result.Imported, string.Join("; ", result.Problems));
        }
        await using (var db = app.Db())
        {
            var stored = await db.Snapshots.SelectMany(s => s.Cells).Where(c => c.CellId == Amount).Select(c => new { c.Value, c.Unit }).SingleAsync();
            Assert.Equal((2117.4299m, "yuan"), (stored.Value, stored.Unit));
        }

        var client = app.Factory.CreateClient();
        var exportedText = await client.GetStringAsync($"/reports/{Government}/2020.json");
        Assert.Empty(OpenDataSchema.Validate(exportedText));
        var exported = JsonNode.Parse(exportedText)!.AsObject();
        Assert.Matches("^[0-9a-f]{64}$", exported["pdfSha256"]!.GetValue<string>());
        Assert.Equal(-649m, exported["cells"]!["a20_5.licensing.change"]!.GetValue<decimal>());
        Assert.Equal("2117.4299", exported["cells"]![Amount]!.ToJsonString());
        Assert.Equal("yuan", exported["cellUnits"]![Amount]!.GetValue<string>());
        exported.Remove("pdfSha256");
        document.Remove("pdfSha256");
        Assert.Equal(document.ToJsonString(), exported.ToJsonString());

        // The CSV prints the amount in the unit chosen, as the agency printed it; no row for a not-applicable cell.
        var csv = Encoding.UTF8.GetString(await client.GetByteArrayAsync($"/reports/{Government}/2020.csv"));
        Assert.Contains(",a20_9.procurement.amount,", csv);
        Assert.Contains(",21174299,元", csv);
        Assert.Contains(",-649,件", csv);
        Assert.DoesNotContain(".na,", csv);

        var html = await client.GetStringAsync($"/reports/{Government}/2020");
        Assert.Contains("21174299元", html);
        Assert.Contains("-649", html);
    }

    [Fact]
    public async Task A_2019_format_purchase_amount_without_its_unit_is_refused_naming_the_cell()
    {
        var document = Document2020();
        document["year"] = 2019;
        document["publishedAt"] = "2020-01-20T02:00:00Z";
        document["metadata"]!["periodStart"] = "2019-01-01";
        document["metadata"]!["periodEnd"] = "2019-12-31";
        document.Remove("cellUnits");
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ReportImporter>().ImportAsync(document.ToJsonString(), null, CancellationToken.None);
        Assert.False(result.Imported);
        Assert.Equal(["第二十条第（九）项 政府集中采购采购总金额：缺少单位（cellUnits），应为yuan或wanyuan"], result.Problems);
    }
}
