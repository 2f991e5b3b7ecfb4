using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using DocumentFormat.OpenXml.Packaging;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>A number bound to a cell ({{apps.new.tot}}) prints as the cell's value in the published HTML, PDF and DOCX,
/// and the open-data JSON keeps the token (docs/open-data.md).</summary>
public sealed class CellTokenDocumentTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string Education = UnifiedSocialCreditCode.Complete("11410724MB0000037");

    [Fact]
    public async Task A_bound_number_prints_as_the_cells_value_in_html_pdf_and_docx_and_the_json_keeps_the_token()
    {
        const int year = 2022;
        var template = app.Templates.Get("2021")!;
        var cells = new JsonObject();
        foreach (var (id, value) in Domain.Rules.RuleEvaluator.WithTotals(template, Domain.Tests.TestData.Fixture002(template)))
            cells[id] = JsonNode.Parse(Domain.Values.CellValueParser.FormatValue(value));
        var texts = new JsonObject
        {
            ["s1.request"] = "全年共收到政府信息公开申请{{apps.new.tot}}件，办结{{apps.r7.tot}}件。",
            ["s5.text"] = "公开内容的深度还需加强。",
            ["s6.text"] = "无。",
        };
        var document = new JsonObject
        {
            ["format"] = "govinforeports.report", ["formatVersion"] = 1, ["template"] = "2021",
            ["agency"] = new JsonObject { ["code"] = Education, ["name"] = "获嘉县教育局", ["kind"] = "Department",
                ["region"] = new JsonObject { ["code"] = "410724", ["name"] = "获嘉县" } },
            ["year"] = year, ["version"] = 1, ["publishedAt"] = $"{year + 1}-01-20T02:00:00Z", ["correctionNote"] = null,
            ["metadata"] = new JsonObject
            {
                ["title"] = $"获嘉县教育局{year}年政府信息公开工作年度报告", ["compilingOffice"] = "获嘉县教育局", ["unitsCovered"] = null,
                ["periodStart"] = $"{year}-01-01", ["periodEnd"] = $"{year}-12-31", ["publicationPlace"] = null, ["contact"] = null,
            },
            ["cells"] = cells, ["texts"] = texts, ["pdfSha256"] = null,
        };
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<ReportImporter>().ImportAsync(document.ToJsonString(), null, CancellationToken.None);
            Assert.True(result.Imported, string.Join("; ", result.Problems));
        }
        var client = app.Factory.CreateClient();
        const string printed = "全年共收到政府信息公开申请8件，办结8件。";

        var html = await client.GetStringAsync($"/reports/{Education}/{year}");
        var text = Regex.Replace(new HtmlParser().ParseDocument(html).QuerySelector("article.report-document")!.TextContent, @"\s+", "");
        Assert.Contains(printed, text);
        Assert.DoesNotContain("{{", text);

        var path = Path.Combine(Path.GetTempPath(), $"gir-token-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, await client.GetByteArrayAsync($"/reports/{Education}/{year}.pdf"));
        try
        {
            var pdfText = Regex.Replace(await ExternalTool.RunAsync("pdftotext", "-raw", path, "-"), @"\s+", "");
            Assert.Contains(printed, pdfText);
            Assert.DoesNotContain("{{", pdfText);
        }
        finally { File.Delete(path); }

        using (var docx = WordprocessingDocument.Open(new MemoryStream(await client.GetByteArrayAsync($"/reports/{Education}/{year}.docx")), false))
        {
            var paragraphs = docx.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText).ToList();
            Assert.Contains(printed, paragraphs);
            Assert.DoesNotContain(paragraphs, p => p.Contains("{{", StringComparison.Ordinal));
        }

        var search = await client.GetStringAsync("/search?q=" + Uri.EscapeDataString("全年共收到政府信息公开申请"));
        var results = Regex.Replace(new HtmlParser().ParseDocument(search).Body!.TextContent, @"\s+", "");
        Assert.Contains("全年共收到政府信息公开申请8件，办结8件", results);
        Assert.DoesNotContain("{{", results);

        var json = JsonNode.Parse(await client.GetStringAsync($"/reports/{Education}/{year}.json"))!.AsObject();
        Assert.Equal("全年共收到政府信息公开申请{{apps.new.tot}}件，办结{{apps.r7.tot}}件。", json["texts"]!["s1.request"]!.GetValue<string>());
    }

    [Fact]
    public void A_token_naming_no_cell_prints_a_visible_marker_and_a_blank_cell_prints_as_unfilled()
    {
        var template = app.Templates.Get("2021")!;
        var document = new ReportDocument(template, "获嘉县测试局", Education, 2024,
            new Domain.Reports.ReportMetadata("t", "获嘉县测试局", null, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), null, null),
            new Dictionary<string, decimal> { ["apps.new.tot"] = 5 },
            new Dictionary<string, string> { ["s1.request"] = "收到{{apps.new.tot}}件，结转{{apps.carry_out.tot}}件，{{apps.nope.tot}}。" }, null, null, null);

        Assert.Equal(["收到5件，结转〔未填〕件，〔表格数字有误：apps.nope.tot〕。"], document.Paragraphs("s1.request"));
    }
}
