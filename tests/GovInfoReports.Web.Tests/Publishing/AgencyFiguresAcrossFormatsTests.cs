using System.Text.Json.Nodes;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>Issue 8 part 9: the agency page's key figures read each year with its own template; a pre-2019 report that
/// printed no key figures shows none (never 0, never a later format's number).</summary>
public sealed class AgencyFiguresAcrossFormatsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string Township = UnifiedSocialCreditCode.Complete("11410724MB0000045");

    [Fact]
    public async Task A_pre2019_year_without_its_key_figure_sheet_shows_dashes_and_no_bar_rather_than_zeros()
    {
        var document = new JsonObject
        {
            ["format"] = "govinforeports.report", ["formatVersion"] = 1, ["template"] = "pre2019",
            ["agency"] = new JsonObject { ["code"] = Township, ["name"] = "获嘉县太山镇人民政府", ["kind"] = "Township",
                ["region"] = new JsonObject { ["code"] = "410724101", ["name"] = "太山镇" } },
            ["year"] = 2015, ["version"] = 1, ["publishedAt"] = "2016-03-25T02:00:00Z", ["correctionNote"] = null,
            ["metadata"] = new JsonObject
            {
                ["title"] = "获嘉县太山镇人民政府2015年政府信息公开工作年度报告", ["compilingOffice"] = "获嘉县太山镇人民政府", ["unitsCovered"] = null,
                ["periodStart"] = "2015-01-01", ["periodEnd"] = "2015-12-31", ["publicationPlace"] = null, ["contact"] = null,
            },
            ["cells"] = new JsonObject(), ["texts"] = new JsonObject { ["s1.overview"] = "2015年，本镇未收到政府信息公开申请。" }, ["pdfSha256"] = null,
        };
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<ReportImporter>().ImportAsync(document.ToJsonString(), null, CancellationToken.None);
            Assert.True(result.Imported, string.Join("; ", result.Problems));
        }

        var page = await FormPage.GetAsync(app.Factory.CreateClient(), $"/agencies/{Township}");
        Assert.Contains("2019年以前的年度报告（自由格式）", page.Document.QuerySelector(".year-list li")!.TextContent);
        var row = page.Document.QuerySelector("#figures tbody tr")!;
        Assert.Equal("2015", row.QuerySelector("th")!.TextContent);
        Assert.Equal(["—", "—", "—", "—"], row.QuerySelectorAll("td").Select(td => td.TextContent));
        var svg = page.Document.QuerySelector("svg.chart")!;
        Assert.Empty(svg.QuerySelectorAll("rect[height] title"));
        Assert.Empty(svg.QuerySelectorAll("circle"));
        Assert.Contains("“—”表示该年度报告未载明", page.Text);
    }
}
