using System.Text.Json;
using GovInfoReports.Domain.Tests;
using GovInfoReports.Web.Tests.Support;
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
}
