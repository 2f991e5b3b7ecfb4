using System.Net;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Tests.Support;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>The public portal without an account: home, browse, search, agency history and chart.</summary>
[Collection("Browser")]
public sealed class PortalTests(PublishedAppFixture app) : IClassFixture<PublishedAppFixture>
{
    private static readonly string Government = UnifiedSocialCreditCode.Complete("11410724MB0000010");

    [Fact]
    public async Task Home_lists_the_latest_reports_with_root_relative_permalinks()
    {
        var home = await FormPage.GetAsync(app.Factory.CreateClient(), "/");
        var links = home.Document.QuerySelectorAll(".latest a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"/reports/{Government}/2024", links);
        Assert.Contains($"/reports/{Government}/2022", links);
    }

    [Fact]
    public async Task Each_published_report_page_names_the_format_it_was_written_in()
    {
        var client = app.Factory.CreateClient();
        foreach (var (year, format) in new[] { (2016, "2019年以前的年度报告（自由格式）"), (2020, "2019年版年度报告格式（试行）"), (2024, "2021年版年度报告格式") })
            Assert.StartsWith($"格式：{format}（", (await FormPage.GetAsync(client, $"/reports/{Government}/{year}")).Document.GetElementById("report-format")!.TextContent.Trim());
    }

    [Fact]
    public async Task Browse_region_then_agency_then_year()
    {
        var client = app.Factory.CreateClient();
        var top = await FormPage.GetAsync(client, "/regions");
        Assert.Contains("/regions/410000", top.Document.QuerySelectorAll(".region-list a").Select(a => a.GetAttribute("href")));
        var county = await FormPage.GetAsync(client, "/regions/410724");
        var agency = county.Document.QuerySelectorAll(".agency-list li").Single(li => li.TextContent.Contains("获嘉县人民政府") && !li.TextContent.Contains("办公室"));
        Assert.Equal(["/agencies/" + Government, .. new[] { 2024, 2023, 2022, 2021, 2020, 2019, 2016 }.Select(y => $"/reports/{Government}/{y}")],
            agency.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task The_agency_page_charts_its_key_figures_year_over_year()
    {
        var page = await FormPage.GetAsync(app.Factory.CreateClient(), $"/agencies/{Government}");
        var svg = page.Document.QuerySelector("svg.chart")!;
        Assert.Equal(21, svg.QuerySelectorAll("rect[height] title").Length); // 7 years × 3 series
        // Every axis the legend names is drawn: 件 on the left, the share's 0–100 % on the right, each with its ticks.
        Assert.Contains("右轴", svg.TextContent);
        Assert.Equal(["0%", "25%", "50%", "75%", "100%"], svg.QuerySelectorAll("g.axis-right text").Select(t => t.TextContent));
        Assert.NotNull(svg.QuerySelector("g.axis-right line"));
        Assert.Equal("件", svg.QuerySelector("g.axis-left text")!.TextContent);
        var rows = page.Document.QuerySelectorAll("#figures tbody tr").Select(r => r.QuerySelector("th")!.TextContent).ToList();
        Assert.Equal(["2016", "2019", "2020", "2021", "2022", "2023", "2024"], rows);
        Assert.Contains("（2 个版本", page.Text);
    }

    [Fact]
    public async Task The_agency_page_names_each_years_format_and_shows_the_2016_figures_under_their_own_words()
    {
        var page = await FormPage.GetAsync(app.Factory.CreateClient(), $"/agencies/{Government}");
        var years = page.Document.QuerySelectorAll(".year-list li")
            .Select(li => (li.QuerySelector("a")!.TextContent, li.QuerySelector(".format")!.TextContent)).ToList();
        Assert.Equal([("2024年度报告", "2021年版年度报告格式"), ("2023年度报告", "2021年版年度报告格式"), ("2022年度报告", "2021年版年度报告格式"),
            ("2021年度报告", "2021年版年度报告格式"), ("2020年度报告", "2019年版年度报告格式（试行）"), ("2019年度报告", "2019年版年度报告格式（试行）"),
            ("2016年度报告", "2019年以前的年度报告（自由格式）")], years);

        // The 2016 report's own vocabulary (申请总数, 同意公开和同意部分公开…), never the later formats' words on its numbers.
        var row2016 = page.Document.QuerySelectorAll("#figures tbody tr").Single(r => r.QuerySelector("th")!.TextContent == "2016").QuerySelectorAll("td");
        Assert.Equal("23（申请总数）", row2016[0].TextContent);
        Assert.EndsWith("（同意公开和同意部分公开占办结比例）", row2016[1].TextContent);
        Assert.Equal(["2", "1"], row2016.Skip(2).Select(td => td.TextContent)); // 行政复议, 行政诉讼: the same words
        var row2019 = page.Document.QuerySelectorAll("#figures tbody tr").Single(r => r.QuerySelector("th")!.TextContent == "2019");
        Assert.Empty(row2019.QuerySelectorAll(".figure-word")); // the 2019 format words its figures as the 2021 format does
        Assert.Contains("括号内为该年度报告格式的用词", page.Document.GetElementById("figures-note")!.TextContent);

        var bars = page.Document.QuerySelectorAll("svg.chart rect[height] title").Select(t => (Title: t.TextContent, Pale: t.ParentElement!.ClassList.Contains("other-word"))).ToList();
        Assert.Contains(bars, b => b.Title.StartsWith("2016年 申请总数", StringComparison.Ordinal) && b.Title.EndsWith("：23件", StringComparison.Ordinal) && b.Pale);
        Assert.DoesNotContain(bars, b => b.Title.StartsWith("2016年 收到申请", StringComparison.Ordinal));
        Assert.Contains(bars, b => b.Title == "2016年 行政复议：2件" && !b.Pale);
        Assert.All(bars.Where(b => !b.Title.StartsWith("2016年", StringComparison.Ordinal)), b => Assert.False(b.Pale));
    }

    [Fact]
    public async Task Search_finds_reports_by_agency_name_and_by_keyword_in_the_text()
    {
        var client = app.Factory.CreateClient();
        var byName = await FormPage.GetAsync(client, "/search?q=" + Uri.EscapeDataString("获嘉县人民政府"));
        // The county's 2016, 2019–2024, and its 办公室's 2023 and 2024 (获嘉县人民政府办公室 contains the name).
        Assert.Equal(9, byName.Document.QuerySelectorAll(".search-results li").Length);
        var byText = await FormPage.GetAsync(client, "/search?q=" + Uri.EscapeDataString("信息处理费"));
        Assert.NotEmpty(byText.Document.QuerySelectorAll(".search-results li"));
        var none = await FormPage.GetAsync(client, "/search?q=" + Uri.EscapeDataString("不存在的关键词%_"));
        Assert.Contains("找到 0 份", none.Text);
        Assert.Equal(HttpStatusCode.OK, none.Response.StatusCode);
    }

    [Fact]
    public async Task Public_pages_are_cached_and_a_publication_shows_at_once()
    {
        var anonymous = app.Factory.CreateClient();
        await anonymous.GetAsync("/");
        var cached = await anonymous.GetAsync("/");
        Assert.True(cached.Headers.Age is not null, "the second request should be served from the output cache");

        var id = await app.NewReportAsync(2050);
        await app.FillFixture002Async(id);
        await app.PublishViaFormsAsync(id);
        var home = await FormPage.GetAsync(anonymous, "/");
        Assert.Contains(home.Document.QuerySelectorAll(".latest a"), a => a.GetAttribute("href")!.EndsWith("/2050", StringComparison.Ordinal));
    }
}
