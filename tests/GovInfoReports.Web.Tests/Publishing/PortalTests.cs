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
    public async Task Browse_region_then_agency_then_year()
    {
        var client = app.Factory.CreateClient();
        var top = await FormPage.GetAsync(client, "/regions");
        Assert.Contains("/regions/410000", top.Document.QuerySelectorAll(".region-list a").Select(a => a.GetAttribute("href")));
        var county = await FormPage.GetAsync(client, "/regions/410724");
        var agency = county.Document.QuerySelectorAll(".agency-list li").Single(li => li.TextContent.Contains("获嘉县人民政府") && !li.TextContent.Contains("办公室"));
        Assert.Equal(["/agencies/" + Government, $"/reports/{Government}/2024", $"/reports/{Government}/2023", $"/reports/{Government}/2022"],
            agency.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task The_agency_page_charts_its_key_figures_year_over_year()
    {
        var page = await FormPage.GetAsync(app.Factory.CreateClient(), $"/agencies/{Government}");
        var svg = page.Document.QuerySelector("svg.chart")!;
        Assert.Equal(9, svg.QuerySelectorAll("rect[height] title").Length); // 3 years × 3 series
        var rows = page.Document.QuerySelectorAll("#figures tbody tr").Select(r => r.QuerySelector("th")!.TextContent).ToList();
        Assert.Equal(["2022", "2023", "2024"], rows);
        Assert.Contains("（2 个版本", page.Text);
    }

    [Fact]
    public async Task Search_finds_reports_by_agency_name_and_by_keyword_in_the_text()
    {
        var client = app.Factory.CreateClient();
        var byName = await FormPage.GetAsync(client, "/search?q=" + Uri.EscapeDataString("获嘉县人民政府"));
        Assert.Equal(3, byName.Document.QuerySelectorAll(".search-results li").Length);
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
