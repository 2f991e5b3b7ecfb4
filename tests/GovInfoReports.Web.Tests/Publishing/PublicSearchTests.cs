using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>Public search as a citizen types it (issue 9): agency, short names, region, year and keywords in any
/// order, every term matching, one result per report with a marked snippet, and the filters.</summary>
public sealed class PublicSearchTests(PublishedAppFixture app) : IClassFixture<PublishedAppFixture>
{
    private static readonly string Government = UnifiedSocialCreditCode.Complete("11410724MB0000010");
    private static readonly string Office = UnifiedSocialCreditCode.Complete("11410724MB0000029");
    private static readonly string Education = UnifiedSocialCreditCode.Complete("11410724MB0000037");
    private static readonly string Town = UnifiedSocialCreditCode.Complete("11410724MB0000045");

    private async Task<FormPage> SearchAsync(string query) =>
        await FormPage.GetAsync(app.Factory.CreateClient(), "/search?" + query);

    private static List<string> Links(FormPage page) =>
        page.Document.QuerySelectorAll(".search-results li > a").Select(a => a.GetAttribute("href")!).ToList();

    [Theory]
    [InlineData("获嘉 2023")]
    [InlineData("2023 获嘉")]
    [InlineData("获嘉县2023年")]
    [InlineData("新乡 2023年度")]
    public async Task A_place_and_a_year_in_any_order_find_that_years_report(string q)
    {
        var page = await SearchAsync("q=" + Uri.EscapeDataString(q));
        // The county's 2023 report and its three units' (the demo consolidates 2023 from them), the county's first.
        var links = Links(page);
        Assert.Equal($"/reports/{Government}/2023", links[0]);
        Assert.Equal(new[] { Government, Office, Education, Town }.Select(c => $"/reports/{c}/2023").Order(), links.Order());
    }

    [Fact]
    public async Task The_common_short_form_of_an_agency_name_finds_the_full_name()
    {
        var page = await SearchAsync("q=" + Uri.EscapeDataString("获嘉县政府"));
        Assert.Equal(7, Links(page).Count(l => l.StartsWith($"/reports/{Government}/", StringComparison.Ordinal))); // 2016, 2019–2024
        // And the 办公室's two (获嘉县政府办 begins with 获嘉县政府).
        Assert.Equal([$"/reports/{Office}/2023", $"/reports/{Office}/2024"], Links(page).Where(l => l.Contains(Office, StringComparison.Ordinal)).Order());
        Assert.Contains("找到 9 份", page.Document.GetElementById("search-count")!.TextContent);
    }

    [Fact]
    public async Task A_full_name_and_a_year_find_only_the_latest_version_of_that_report()
    {
        var page = await SearchAsync("q=" + Uri.EscapeDataString("获嘉县人民政府 2024"));
        // 获嘉县人民政府办公室 contains the full name too.
        Assert.Equal([$"/reports/{Government}/2024", $"/reports/{Office}/2024"], Links(page));
        Assert.Contains("第2版", page.Document.QuerySelector(".search-results li .hint")!.TextContent);
    }

    [Theory]
    [InlineData("获嘉县人民政府 2015")]
    [InlineData("获嘉 不存在的关键词")]
    [InlineData("获嘉 2023 2024")]
    [InlineData("不存在的关键词%_")]
    public async Task Every_term_must_match(string q)
    {
        var page = await SearchAsync("q=" + Uri.EscapeDataString(q));
        Assert.Empty(Links(page));
        Assert.Contains("找到 0 份", page.Document.GetElementById("search-count")!.TextContent);
    }

    [Fact]
    public async Task A_keyword_in_the_text_shows_a_snippet_with_the_keyword_marked()
    {
        var page = await SearchAsync("q=" + Uri.EscapeDataString("获嘉 信息处理费"));
        var hits = page.Document.QuerySelectorAll(".search-results li");
        Assert.NotEmpty(hits);
        Assert.All(hits, hit =>
        {
            var marks = hit.QuerySelectorAll(".snippet mark").Select(m => m.TextContent).ToList();
            Assert.Contains("信息处理费", marks);
            // The snippet is the text as written: no space put around the marked word.
            var snippet = hit.QuerySelector(".snippet")!.TextContent;
            Assert.DoesNotContain(" 信息处理费", snippet);
            Assert.DoesNotContain("信息处理费 ", snippet);
            Assert.True(hit.QuerySelector(".snippet")!.TextContent.Length <= 130, "a snippet is a short piece of the text");
        });
    }

    [Fact]
    public async Task Filters_narrow_by_year_region_and_kind_of_agency()
    {
        var byYear = await SearchAsync("q=" + Uri.EscapeDataString("获嘉") + "&year=2016");
        Assert.Equal([$"/reports/{Government}/2016"], Links(byYear));
        Assert.Equal("2016", byYear.Document.QuerySelector("#f-year option[selected]")!.GetAttribute("value"));

        var byRegion = await SearchAsync("region=410700"); // 新乡市: the county's reports lie under it
        Assert.Equal(7, Links(byRegion).Count(l => l.StartsWith($"/reports/{Government}/", StringComparison.Ordinal)));
        var otherRegion = await SearchAsync("region=410724101"); // 太山镇: only the town's own reports
        Assert.Equal([$"/reports/{Town}/2023", $"/reports/{Town}/2024"], Links(otherRegion).Order());

        var governments = await SearchAsync("q=" + Uri.EscapeDataString("获嘉") + "&kind=Government");
        Assert.Equal(7, Links(governments).Count);
        var townships = await SearchAsync("q=" + Uri.EscapeDataString("获嘉") + "&kind=Township");
        Assert.Equal([$"/reports/{Town}/2023", $"/reports/{Town}/2024"], Links(townships).Order());
        var subdistricts = await SearchAsync("q=" + Uri.EscapeDataString("获嘉") + "&kind=Subdistrict");
        Assert.Empty(Links(subdistricts));
    }

    [Fact]
    public async Task The_region_filter_offers_the_regions_with_published_reports_each_under_the_one_above_it()
    {
        var page = await SearchAsync("q=" + Uri.EscapeDataString("获嘉"));
        var options = page.Document.QuerySelectorAll("#f-region option").Where(o => o.GetAttribute("value") is { Length: > 0 })
            .Select(o => $"{o.GetAttribute("value")} {o.TextContent}").ToList();
        // Only the regions of published agencies and the regions above them, each indented under the one above it.
        Assert.Equal(["410000 河南省", "410700 　新乡市", "410724 　　获嘉县", "410724101 　　　太山镇"], options);
    }

    [Fact]
    public async Task A_query_over_100_characters_gets_a_message_next_to_the_box_and_keeps_the_text()
    {
        var typed = new string('获', 101);
        var page = await SearchAsync("q=" + Uri.EscapeDataString(typed));
        Assert.Equal("关键词最多100字，当前101字", page.Document.GetElementById("q-error")!.TextContent.Trim());
        Assert.Equal(typed, page.Fields("form[role=search]")["q"]);
        Assert.Null(page.Document.GetElementById("search-count"));
    }

    [Theory]
    [InlineData("获嘉 2023", new[] { 2023 }, new[] { "获嘉" })]
    [InlineData("获嘉县人民政府2024年", new[] { 2024 }, new[] { "获嘉县人民政府" })]
    [InlineData("2022年度 依申请公开 2022", new[] { 2022 }, new[] { "依申请公开" })]
    [InlineData("收费 12345 1999", new int[0], new[] { "收费", "12345", "1999" })]
    [InlineData("  ", new int[0], new string[0])]
    public void A_query_is_read_as_years_and_words(string text, int[] years, string[] words)
    {
        var query = SearchQuery.Parse(text);
        Assert.Equal(years, query.Years);
        Assert.Equal(words, query.Words);
    }

    [Theory]
    [InlineData("获嘉县人民政府", "获嘉县政府")]
    [InlineData("获嘉县人民政府办公室", "获嘉县政府办")]
    [InlineData("新乡市发展和改革委员会", "新乡市发改委")]
    [InlineData("获嘉县教育局", "获嘉县教育局")]
    public void An_agency_name_has_its_usual_short_form(string name, string shortForm) =>
        Assert.Equal(shortForm, AgencyNames.Shorten(name));

    [Fact]
    public void A_snippet_marks_every_word_and_shows_where_the_text_was_cut()
    {
        var text = new string('甲', 100) + "本年度收取信息处理费0元，" + new string('乙', 100);
        var segments = PublicSearch.Snippet(text, 105, ["信息处理费", "收取"]);
        Assert.Equal("…", segments[0].Text);
        Assert.Equal("…", segments[^1].Text);
        Assert.Equal(["收取", "信息处理费"], segments.Where(s => s.IsMatch).Select(s => s.Text));
    }
}
