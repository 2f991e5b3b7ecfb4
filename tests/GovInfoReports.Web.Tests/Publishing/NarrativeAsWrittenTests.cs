using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>
/// The document prints exactly what the agency wrote, headings included, and nothing it did not write (issue 8):
/// a 2021 report whose 一、总体情况 is an opening and the agency's own numbered topics, and a 2016 report in the
/// pre-2019 free form (six headed parts as the agency worded them, plus the key-figure sheet), published through
/// the open-data import and read back from the public HTML, JSON and CSV.
/// </summary>
public sealed class NarrativeAsWrittenTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string Education = UnifiedSocialCreditCode.Complete("11410724MB0000037");

    private static JsonObject Document(string template, int year, JsonObject cells, JsonObject texts, JsonArray parts) => new()
    {
        ["format"] = "govinforeports.report", ["formatVersion"] = 1, ["template"] = template,
        ["agency"] = new JsonObject { ["code"] = Education, ["name"] = "获嘉县教育局", ["kind"] = "Department",
            ["region"] = new JsonObject { ["code"] = "410724", ["name"] = "获嘉县" } },
        ["year"] = year, ["version"] = 1, ["publishedAt"] = $"{year + 1}-03-20T02:00:00Z", ["correctionNote"] = null,
        ["metadata"] = new JsonObject
        {
            ["title"] = $"获嘉县教育局{year}年政府信息公开工作年度报告", ["compilingOffice"] = "获嘉县教育局", ["unitsCovered"] = null,
            ["periodStart"] = $"{year}-01-01", ["periodEnd"] = $"{year}-12-31", ["publicationPlace"] = null, ["contact"] = null,
        },
        ["cells"] = cells, ["texts"] = texts, ["pdfSha256"] = null, ["parts"] = parts,
    };

    private static JsonObject Part(string id, string? heading) => new() { ["id"] = id, ["section"] = id[..id.IndexOf('.')], ["heading"] = heading };

    private async Task<(string Html, JsonObject Json, string Csv)> ImportAndReadAsync(JsonObject document, int year)
    {
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<ReportImporter>().ImportAsync(document.ToJsonString(), null, CancellationToken.None);
            Assert.True(result.Imported, string.Join("; ", result.Problems));
        }
        var client = app.Factory.CreateClient();
        var html = await client.GetStringAsync($"/reports/{Education}/{year}");
        // The printed text without the markup's line breaks and indentation (the texts here have no spaces).
        var text = System.Text.RegularExpressions.Regex.Replace(new HtmlParser().ParseDocument(html).QuerySelector("article.report-document")!.TextContent, @"\s+", "");
        var json = JsonNode.Parse(await client.GetStringAsync($"/reports/{Education}/{year}.json"))!.AsObject();
        var csv = Encoding.UTF8.GetString(await client.GetByteArrayAsync($"/reports/{Education}/{year}.csv"));
        return (text, json, csv);
    }

    [Fact]
    public async Task A_2021_overview_in_the_agencys_own_topics_prints_its_opening_and_headings_and_no_recommended_heading()
    {
        var template = app.Templates.Get("2021")!;
        var cells = new JsonObject();
        foreach (var (id, value) in Domain.Tests.TestData.Fixture002(template)) cells[id] = JsonNode.Parse(Domain.Values.CellValueParser.FormatValue(value));
        foreach (var (id, value) in Domain.Rules.RuleEvaluator.WithTotals(template, Domain.Tests.TestData.Fixture002(template)))
            cells[id] = JsonNode.Parse(Domain.Values.CellValueParser.FormatValue(value));
        var texts = new JsonObject
        {
            ["s1.opening"] = "2021年，县教育局深入贯彻《条例》，现将本年度报告如下。",
            ["s1.part_a"] = "编制主动公开目录，更新37条。",
            ["s1.request"] = "全年收到申请8件，均按时答复。",
            ["s5.text"] = "公开内容的深度还需加强。",
            ["s6.text"] = "无。",
        };
        var parts = new JsonArray(Part("s1.opening", null), Part("s1.part_a", "一是完善公开目录"), Part("s1.request", "二是规范依申请公开"),
            Part("s5.text", null), Part("s6.text", null));

        var (html, json, _) = await ImportAndReadAsync(Document("2021", 2021, cells, texts, parts), 2021);

        Assert.Contains("一、总体情况2021年，县教育局深入贯彻《条例》，现将本年度报告如下。一是完善公开目录编制主动公开目录，更新37条。二是规范依申请公开全年收到申请8件，均按时答复。二、", html);
        foreach (var recommended in new[] { "（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障" })
            Assert.DoesNotContain(recommended, html);
        Assert.Equal(parts.ToJsonString(), json["parts"]!.ToJsonString());
        Assert.Equal(texts.ToJsonString(), json["texts"]!.ToJsonString());
    }

    [Fact]
    public async Task A_2016_report_prints_the_six_parts_as_headed_by_the_agency_and_every_key_figure_everywhere()
    {
        var cells = new JsonObject
        {
            ["k_apps.received.count"] = 23, ["k_apps.handled.count"] = 21, ["k_apps.already_public.count"] = 4, ["k_apps.granted.count"] = 11,
            ["k_apps.partly_granted.count"] = 2, ["k_apps.refused.count"] = 1, ["k_apps.not_ours.count"] = 2, ["k_apps.not_exist.count"] = 1,
            ["k_lit.review.total"] = 3, ["k_lit.review.upheld"] = 2, ["k_lit.review.corrected"] = 1, ["k_lit.review.other"] = 0,
            ["k_lit.lawsuit.total"] = 1, ["k_lit.lawsuit.upheld"] = 1, ["k_lit.lawsuit.corrected"] = 0, ["k_lit.lawsuit.other"] = 0,
            ["k_fees.fees.amount"] = 0.0035,
        };
        string[] headings = ["一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、政府信息公开的收费及减免情况",
                             "五、因政府信息公开申请行政复议、提起行政诉讼的情况", "六、政府信息公开工作存在的主要问题及改进情况"];
        string[] ids = ["s1.overview", "s1.active", "s1.request", "s1.fees", "s1.appeals", "s1.problems"];
        var texts = new JsonObject();
        var parts = new JsonArray(Part("s1.opening", null));
        texts["s1.opening"] = "根据《中华人民共和国政府信息公开条例》，特向社会公布2016年度本机关政府信息公开工作年度报告。";
        for (var i = 0; i < ids.Length; i++)
        {
            parts.Add(Part(ids[i], headings[i]));
            texts[ids[i]] = $"第{i + 1}部分正文。";
        }

        var (html, json, csv) = await ImportAndReadAsync(Document("pre2019", 2016, cells, texts, parts), 2016);

        var expectedText = texts["s1.opening"]!.GetValue<string>() + string.Concat(ids.Select((id, i) => headings[i] + texts[id]!.GetValue<string>()));
        Assert.Contains(expectedText, html);
        Assert.DoesNotContain("报告正文", html); // our name for the text section is not the agency's
        Assert.DoesNotContain("三、政府信息依申请公开情况", html); // the default heading the agency did not use
        foreach (var label in new[] { "主要统计数据（选填）", "申请总数", "办结数", "维持具体行政行为", "被依法纠错", "其他情形", "收费金额（单位：万元）" })
            Assert.Contains(label, html);
        foreach (var (id, value) in cells)
        {
            var printed = value!.ToJsonString();
            Assert.Equal(printed, json["cells"]![id]!.ToJsonString());
            Assert.Contains($",{id},", csv);
            Assert.Contains(csv.Split("\r\n"), line => line.Contains($",{id},", StringComparison.Ordinal) && line.EndsWith($",{printed},{(id.StartsWith("k_fees", StringComparison.Ordinal) ? "万元" : "件")}", StringComparison.Ordinal));
        }
        Assert.Equal("pre2019", json["template"]!.GetValue<string>());
        Assert.Equal(parts.ToJsonString(), json["parts"]!.ToJsonString());
    }

    [Fact]
    public async Task A_2016_report_without_key_figures_prints_no_key_figure_sheet()
    {
        var texts = new JsonObject { ["s1.overview"] = "本机关2016年度政府信息公开工作概述。" };
        var (html, json, _) = await ImportAndReadAsync(Document("pre2019", 2015, new JsonObject(), texts,
            new JsonArray(Part("s1.overview", "一、概述"))), 2015);
        Assert.Contains("一、概述本机关2016年度政府信息公开工作概述。", html);
        Assert.DoesNotContain("主要统计数据", html);
        Assert.DoesNotContain("二、主动公开政府信息情况", html);
        Assert.Empty(json["cells"]!.AsObject());
    }
}
