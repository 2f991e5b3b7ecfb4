using System.Text.Json;
using GovInfoReports.Domain.Tests;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>tests/TestData/narrative-cases.json against the browser's narrative checker (Entry/Assets/js/narrative.js) in
/// headless Chromium, with the compiled template fetched from the app (the Domain test NarrativeCaseTests holds the C#
/// checker to the same expectations); and the narrative page's live check and 插入表格数字 menu.</summary>
[Collection("Browser")]
public sealed class NarrativeNumbersInBrowserTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    public static IEnumerable<object[]> Cases() => TestData.NarrativeCaseNames();

    private async Task<(BrowserPage Page, int Id)> OpenNarrativeAsync()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        var page = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        await AppFixture.LoginAsync(page.Page, "edu");
        await page.Page.GotoAsync($"/entry/{id}/s1");
        return (page, id);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Narrative_case_gives_the_same_warnings_in_the_browser(string name)
    {
        var root = TestData.NarrativeCases;
        var @case = root["cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
        var (browserPage, _) = await OpenNarrativeAsync();
        await using var _ = browserPage;
        var code = TestData.TemplateCode(@case);
        var raw = TestData.NarrativeRawCells(TestData.Template(@case), root, @case);

        var result = await browserPage.Page.EvaluateAsync<JsonElement>(
            """
            async ([code, cells, texts]) => {
              const template = await (await fetch('/templates/' + code + '.json')).json();
              const values = GovInfoRules.evaluateRaw(template, cells, {}, {}).values;
              return GovInfoNarrative.check(template, texts, values);
            }
            """,
            new object[] { code, raw, TestData.NarrativeTexts(@case) });

        var expected = @case["expect"]!.AsArray()
            .Select(e => $"{e!["key"]} {e["severity"]} {e["message"]}").Order(StringComparer.Ordinal).ToList();
        var actual = result.EnumerateArray()
            .Select(v => $"{v.GetProperty("key").GetString()} {v.GetProperty("severity").GetString()} {v.GetProperty("message").GetString()}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        Assert.Empty(browserPage.Errors);
    }

    [Fact]
    public async Task Typing_a_number_that_disagrees_with_the_table_shows_the_warning_at_once_and_inserting_the_cell_clears_it()
    {
        var (browserPage, _) = await OpenNarrativeAsync();
        await using var _ = browserPage;
        var page = browserPage.Page;
        var request = page.Locator("#c-s1-request");

        await request.FillAsync("共收到政府信息公开申请100件，已全部办结。");

        var warning = page.Locator("#violations li[data-rule=N1a]");
        await warning.WaitForAsync(new() { Timeout = 10_000 });
        Assert.Equal("「共收到政府信息公开申请【100】件，已全部办结」：叙述为100件，本年新收申请数按表格为8件（表三 一总计（8）），两者不一致，请核对（或用“插入表格数字”引用表格）",
            await warning.TextContentAsync());
        Assert.Contains("violation-warning", await warning.GetAttributeAsync("class"));

        // Replace the typed number by the cell: the token, whose number is never compared.
        await request.FillAsync("共收到政府信息公开申请件，已全部办结。");
        await request.EvaluateAsync("t => t.setSelectionRange(11, 11)");
        var menu = page.Locator("select[data-insert-for=c-s1-request]");
        Assert.True(await menu.IsVisibleAsync());
        Assert.Contains("：8", await menu.Locator("option[value='apps.new.tot']").TextContentAsync());
        await menu.SelectOptionAsync("apps.new.tot");

        Assert.Equal("共收到政府信息公开申请{{apps.new.tot}}件，已全部办结。", await request.InputValueAsync());
        Assert.Equal(0, await page.Locator("#violations li[data-rule=N1a]").CountAsync());
        Assert.Empty(browserPage.Errors);
    }

    [Fact]
    public async Task The_saved_narrative_shows_the_same_warning_from_the_server()
    {
        var (browserPage, id) = await OpenNarrativeAsync();
        await using var _ = browserPage;
        var page = browserPage.Page;
        await page.Locator("#c-s1-request").FillAsync("被申请行政复议2件。");
        await page.Locator("button.primary[type=submit]").ClickAsync();
        await page.WaitForURLAsync($"**/entry/{id}/s1**");

        var items = await page.Locator("#violations li[data-rule=N5a]").AllTextContentsAsync();
        Assert.Equal(["「被申请行政复议【2】件」：叙述为2件，行政复议案件数按表格为0件（表四 行政复议总计（0）），两者不一致，请核对（或用“插入表格数字”引用表格）"], items);
        Assert.Empty(browserPage.Errors);
    }

    private const string N12Wu = "五、存在的主要问题及改进情况只写了“无”：年度报告应当写明政府信息公开工作存在的主要问题及改进情况，请写明问题和改进措施，或说明确无问题的理由";

    [Fact]
    public async Task Section_five_of_no_substance_warns_as_the_clerk_types_an_empty_one_is_unwritten_and_the_server_agrees()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        await using var browserPage = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        var page = browserPage.Page;
        await AppFixture.LoginAsync(page, "edu");
        await page.GotoAsync($"/entry/{id}/s5");
        var text = page.Locator("#c-s5-text");
        Assert.Equal(0, await page.Locator("#violations li").CountAsync());

        await text.FillAsync("无");
        Assert.Equal([N12Wu], await page.Locator("#violations li[data-rule=N12]").AllTextContentsAsync());
        Assert.Contains("violation-warning", await page.Locator("#violations li[data-rule=N12]").GetAttributeAsync("class"));
        Assert.False(await page.Locator("#checks-ok").IsVisibleAsync());
        Assert.Equal("校验：0个错误，1个提示", await page.Locator("#checks-jump").TextContentAsync());

        // Emptied: not written at all (N0, an error), which N12 leaves alone.
        await text.FillAsync("  ");
        Assert.Equal(["五、存在的主要问题及改进情况尚未填写（没有需要报告的内容请填“无”）"], await page.Locator("#violations li").AllTextContentsAsync());
        Assert.Equal("1个错误，0个提示", await page.Locator("#checks-summary").TextContentAsync());

        await text.FillAsync("一是主动公开的及时性有待提高；二是政策解读形式较为单一。下一步将加强培训，丰富解读形式。");
        Assert.Equal(0, await page.Locator("#violations li").CountAsync());
        Assert.True(await page.Locator("#checks-ok").IsVisibleAsync());

        // Saved as 无, the server lists the same message the browser showed.
        await text.FillAsync("无");
        await page.Locator("button.primary[type=submit]").ClickAsync();
        await page.WaitForURLAsync($"**/entry/{id}/s5**");
        Assert.Equal([N12Wu], await page.Locator("#violations li[data-rule=N12]").AllTextContentsAsync());
        Assert.Empty(browserPage.Errors);
    }

    [Fact]
    public async Task A_townships_overview_warns_live_about_what_it_does_not_mention_reading_the_saved_sections_five_and_six_too()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear(), "获嘉县太山镇人民政府");
        await app.FillFixture002Async(id);
        await using (var db = app.Db())
        {
            var report = await db.Reports.Include(r => r.Texts).SingleAsync(r => r.Id == id);
            report.SetText("s6.text", "本年度未发生问责情形，未收取信息处理费。", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        await using var browserPage = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        var page = browserPage.Page;
        await AppFixture.LoginAsync(page, "town");
        await page.GotoAsync($"/entry/{id}/s1");
        Assert.Equal(0, await page.Locator("#violations li[data-rule=N10]").CountAsync());

        // 考核 typed here, 问责 saved in 六: only 社会评议 is missing.
        var oversight = page.Locator("#c-s1-oversight");
        await oversight.FillAsync("本镇将政务公开纳入年度考核。");
        Assert.Equal(["一、总体情况未提及社会评议：各级人民政府的年度报告还应当包括工作考核、社会评议和责任追究结果情况，通常写在（五）监督保障"],
            await page.Locator("#violations li[data-rule=N10]").AllTextContentsAsync());

        await oversight.FillAsync("本镇将政务公开纳入年度考核，并邀请群众开展社会评议。");
        Assert.Equal(0, await page.Locator("#violations li[data-rule=N10]").CountAsync());
        Assert.Empty(browserPage.Errors);
    }
}
