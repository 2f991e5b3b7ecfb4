using GovInfoReports.Domain.Tests;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>Issue 9, the clerk's path in headless Chromium: nothing typed is lost (autosave, the guard, the draft
/// kept in the browser), paste from a spreadsheet (a block, a whole table), tables that help (Enter, the error list,
/// sticky headers, the phone bar) and the 说明 panel.</summary>
[Collection("Browser")]
public sealed class ClerkComfortTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    private async Task<(BrowserPage Browser, int Id)> OpenAsync(string section = "s3", bool fill = true, int width = 1280)
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        if (fill) await app.FillFixture002Async(id);
        var browser = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        await browser.Page.SetViewportSizeAsync(width, 900);
        await AppFixture.LoginAsync(browser.Page, "edu");
        await browser.Page.GotoAsync($"/entry/{id}/{section}");
        return (browser, id);
    }

    private async Task<decimal?> StoredAsync(int reportId, string cellId)
    {
        await using var db = app.Db();
        return await db.ReportCells.Where(c => c.ReportId == reportId && c.CellId == cellId).Select(c => (decimal?)c.Value).SingleOrDefaultAsync();
    }

    private static ILocator Tab(IPage page, string number) =>
        page.Locator("nav.section-tabs").GetByRole(AriaRole.Link, new() { Name = number, Exact = true });

    [Fact]
    public async Task A_value_typed_into_三_survives_clicking_the_四_tab_without_saving()
    {
        var (browser, id) = await OpenAsync();
        await using var _ = browser;
        var page = browser.Page;
        await page.Locator("#c-apps-r3_1-biz").FillAsync("5");

        await Tab(page, "四").ClickAsync();
        await page.WaitForURLAsync($"**/entry/{id}/s4");
        Assert.Equal(5m, await StoredAsync(id, "apps.r3_1.biz"));
        await Tab(page, "三").ClickAsync();
        await page.WaitForURLAsync($"**/entry/{id}/s3");

        Assert.Equal("5", await page.Locator("#c-apps-r3_1-biz").InputValueAsync());
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_paragraph_and_a_heading_typed_in_一_are_saved_on_the_way_to_二()
    {
        var (browser, id) = await OpenAsync(section: "s1");
        await using var _ = browser;
        var page = browser.Page;
        await page.Locator("textarea[data-part='s1.opening']").FillAsync("2022年，县教育局认真贯彻《条例》。");
        await page.Locator("#h-c-s1-active").FillAsync("（一）主动公开");

        await Tab(page, "二").ClickAsync();
        await page.WaitForURLAsync($"**/entry/{id}/s2");

        await using var db = app.Db();
        var report = await db.Reports.Include(r => r.Texts).SingleAsync(r => r.Id == id);
        var parts = report.Parts("s1");
        Assert.Equal("2022年，县教育局认真贯彻《条例》。", parts.Single(p => p.Id == "s1.opening").Text);
        Assert.Equal("（一）主动公开", parts.Single(p => p.Id == "s1.active").Heading);
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task Typing_autosaves_within_30_seconds_and_says_when()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        await using var browser = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        var page = browser.Page;
        await AppFixture.LoginAsync(page, "edu");
        await page.Clock.InstallAsync();
        await page.GotoAsync($"/entry/{id}/s3");
        await page.Locator("#c-apps-r1-np").FillAsync("5");
        await page.Locator("#c-apps-r3_7-np").FillAsync("2");
        await page.Clock.RunForAsync(29_000);
        Assert.Equal(6m, await StoredAsync(id, "apps.r1.np"));

        await page.Clock.RunForAsync(2_000);
        await Assertions.Expect(page.Locator("#autosave-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^已自动保存 [0-2][0-9]:[0-5][0-9]$"));
        Assert.Equal(5m, await StoredAsync(id, "apps.r1.np"));
        Assert.Equal(2m, await StoredAsync(id, "apps.r3_7.np"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.GovInfoEntry.dirtyCount()"));
    }

    [Fact]
    public async Task Autosave_never_overwrites_a_cell_someone_else_changed_meanwhile()
    {
        var (browser, id) = await OpenAsync();
        await using var _ = browser;
        var page = browser.Page;
        // Another clerk saves the same cell after this page was drawn.
        var other = await app.ClientAsync("edu");
        var form = await FormPage.GetAsync(other, $"/entry/{id}/s3");
        await form.PostAsync(other, $"/entry/{id}/s3", new Dictionary<string, string> { [FormPage.Cell("apps.r1.np")] = "4" }, "#section-form");
        Assert.Equal(4m, await StoredAsync(id, "apps.r1.np"));

        await page.Locator("#c-apps-r1-np").FillAsync("7");
        await page.Locator("#c-apps-r2-np").FillAsync("2");
        var saved = await page.EvaluateAsync<bool>("() => window.GovInfoEntry.autosave()");

        Assert.False(saved);
        Assert.Equal(4m, await StoredAsync(id, "apps.r1.np"));
        Assert.Equal(2m, await StoredAsync(id, "apps.r2.np"));
        Assert.Contains("1处未能保存", await page.Locator("#autosave-status").TextContentAsync());
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.GovInfoEntry.dirtyCount()"));
    }

    [Fact]
    public async Task What_was_typed_survives_a_reload_until_the_server_has_it()
    {
        var (browser, id) = await OpenAsync();
        await using var _ = browser;
        var page = browser.Page;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // the guard asks before a reload
        await page.Locator("#c-apps-r2-np").FillAsync("一");
        await page.Locator("#c-apps-r3_2-biz").FillAsync("3");

        await page.ReloadAsync();

        Assert.Equal("一", await page.Locator("#c-apps-r2-np").InputValueAsync());
        Assert.Equal("3", await page.Locator("#c-apps-r3_2-biz").InputValueAsync());
        Assert.Contains("已恢复", await page.Locator("#draft-restored").TextContentAsync());
        Assert.Contains("不是数字", await page.Locator("#e-c-apps-r2-np").TextContentAsync());

        // Saved: the valid cell reaches the server and leaves the draft; the bad one stays, next to its message.
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Equal(3m, await StoredAsync(id, "apps.r3_2.biz"));
        await page.GotoAsync($"/entry/{id}/s3");
        Assert.Equal("一", await page.Locator("#c-apps-r2-np").InputValueAsync());
        Assert.Equal("3", await page.Locator("#c-apps-r3_2-biz").InputValueAsync());
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.GovInfoEntry.dirtyCount()"));
    }

    [Fact]
    public async Task Enter_moves_down_a_column_and_never_submits()
    {
        var (browser, id) = await OpenAsync();
        await using var _ = browser;
        var page = browser.Page;
        await page.Locator("#c-apps-r1-biz").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("c-apps-r2-biz", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("c-apps-r3_1-biz", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.PressAsync("Shift+Enter");
        Assert.Equal("c-apps-r2-biz", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.EndsWith($"/entry/{id}/s3", page.Url);
    }

    [Fact]
    public async Task Each_problem_is_listed_once_and_its_entry_jumps_to_the_cell_whose_rule_is_outlined()
    {
        var (browser, _) = await OpenAsync();
        await using var __ = browser;
        var page = browser.Page;
        await page.Locator("#c-apps-r1-np").FillAsync("7");
        await page.Locator("#c-apps-r3_2-law").FillAsync("x");

        var items = await page.Locator("#violations li").AllTextContentsAsync();
        Assert.Equal(2, items.Count);
        Assert.Single(items, i => i.Contains("“x”不是数字", StringComparison.Ordinal));
        Assert.Single(items, i => i.StartsWith("表三 自然人列：", StringComparison.Ordinal));
        Assert.Contains("校验：2个错误", await page.Locator("#checks-jump").TextContentAsync());

        await page.Locator("#violations li a", new() { HasTextString = "自然人列" }).ClickAsync();
        Assert.Equal("c-apps-new-np", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.Equal("2px", await page.Locator("#c-apps-new-np").EvaluateAsync<string>("e => getComputedStyle(e.parentElement).outlineWidth"));
        await page.Locator("#violations li a", new() { HasTextString = "不是数字" }).ClickAsync();
        Assert.Equal("c-apps-r3_2-law", await page.EvaluateAsync<string>("() => document.activeElement.id"));
    }

    [Fact]
    public async Task The_column_headers_and_row_labels_stay_in_view_while_the_table_scrolls()
    {
        var (browser, _) = await OpenAsync(width: 700);
        await using var __ = browser;
        var page = browser.Page;
        await page.Locator("#section-form .table-scroll").EvaluateAsync("box => { box.scrollTop = 400; box.scrollLeft = 300; }");
        var offsets = await page.EvaluateAsync<double[]>("""
            () => {
              const box = document.querySelector('#section-form .table-scroll').getBoundingClientRect();
              const header = Array.from(document.querySelectorAll('thead th')).find(th => th.textContent.trim() === '申请人情况').getBoundingClientRect();
              const label = Array.from(document.querySelectorAll('tbody th')).find(th => th.textContent.trim() === '8.属于行政查询事项').getBoundingClientRect();
              return [header.top - box.top, label.left - box.left];
            }
            """);
        Assert.InRange(offsets[0], -1, 2);   // the first header row sits at the top of the scrolled box
        Assert.InRange(offsets[1], 0, 400);  // the row label is still inside the box on the left
        await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("s3-sticky-scrolled") });
    }

    [Fact]
    public async Task A_block_pasted_into_a_cell_fills_right_and_down_and_one_that_does_not_fit_touches_nothing()
    {
        var (browser, _) = await OpenAsync();
        await using var __ = browser;
        var page = browser.Page;
        await PasteAsync(page.Locator("#c-apps-r1-np"), "5\t1\n2\t0\n");
        Assert.Equal(["5", "1", "2", "0"], await ValuesAsync(page, "#c-apps-r1-np", "#c-apps-r1-biz", "#c-apps-r2-np", "#c-apps-r2-biz"));
        Assert.Equal("6", await page.Locator("#c-apps-r1-tot").InputValueAsync());
        Assert.Contains("已粘贴4格", await page.Locator("#paste-message").TextContentAsync());

        // Three columns from 其他 run past 总计 into nothing: refused, nothing written.
        await PasteAsync(page.Locator("#c-apps-r2-oth"), "1\t2\t3");
        Assert.Contains("没有填入", await page.Locator("#paste-message").TextContentAsync());
        Assert.Equal("0", await page.Locator("#c-apps-r2-oth").InputValueAsync());

        // A total in the block is compared, not typed.
        await PasteAsync(page.Locator("#c-apps-r3_1-law"), "1\t0\t9");
        Assert.Equal("1", await page.Locator("#c-apps-r3_1-law").InputValueAsync());
        Assert.Contains("粘贴的是9，按所填数字计算为1", await page.Locator("#paste-message").TextContentAsync());
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task Pasting_fixture_002s_table_three_as_copied_fills_all_144_typed_cells_in_four_actions()
    {
        var (browser, id) = await OpenAsync(fill: false);
        await using var _ = browser;
        var page = browser.Page;
        var actions = 0;

        await page.GetByRole(AriaRole.Button, new() { Name = "粘贴整表" }).ClickAsync(); actions++;
        await PasteAsync(page.Locator("#paste-area"), TableThreeOfFixture002()); actions++;
        Assert.Contains("对应上24行，将填入144格", await page.Locator("#paste-preview").TextContentAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "填入" }).ClickAsync(); actions++;
        Assert.Contains("已从粘贴的表格填入144格", await page.Locator("#paste-message").TextContentAsync());
        Assert.Empty(await page.Locator("#violations li").AllTextContentsAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync(); actions++;
        await page.WaitForURLAsync($"**/entry/{id}/s3");

        Assert.Equal(4, actions);
        Assert.Contains("已保存（144处修改）", await page.Locator(".notice").TextContentAsync());
        Assert.Empty(await page.Locator("#violations li").AllTextContentsAsync());
        var expected = TestData.Fixture002(TestData.Template2021);
        await using var db = app.Db();
        var stored = await db.ReportCells.Where(c => c.ReportId == id && c.CellId.StartsWith("apps.")).ToDictionaryAsync(c => c.CellId, c => c.Value);
        var typed = TestData.Template2021.Tables["apps"].Cells.Where(c => !c.Computed).Select(c => c.Id).ToList();
        Assert.Equal(144, typed.Count);
        Assert.All(typed, cell => Assert.Equal(expected[cell], stored[cell]));
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_table_copied_from_the_public_web_page_maps_its_merged_labels_and_headers()
    {
        var (source, sourceId) = await OpenAsync(fill: true);
        await using var _ = source;
        // The form's own table as a web page would give it (rowspans, colspans, inputs as their numbers).
        var html = await source.Page.EvaluateAsync<string>("""
            () => {
              const copy = document.querySelector('#table-apps').cloneNode(true);
              copy.querySelectorAll('td.cell').forEach(td => { td.textContent = td.querySelector('input') ? td.querySelector('input').value : ''; });
              copy.querySelector('caption').remove();
              return copy.outerHTML;
            }
            """);
        var (browser, id) = await OpenAsync(fill: false);
        await using var __ = browser;
        var page = browser.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "粘贴整表" }).ClickAsync();
        await PasteAsync(page.Locator("#paste-area"), "(see html)", html);
        Assert.Contains("将填入144格", await page.Locator("#paste-preview").TextContentAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "填入" }).ClickAsync();
        Assert.Empty(await page.Locator("#violations li").AllTextContentsAsync());
        Assert.Equal("6", await page.Locator("#c-apps-r1-np").InputValueAsync());
        Assert.Equal("1", await page.Locator("#c-apps-r3_7-np").InputValueAsync());
        Assert.NotEqual(sourceId, id);
    }

    [Fact]
    public async Task A_whole_table_that_cannot_be_matched_is_not_filled_and_says_why()
    {
        var (browser, _) = await OpenAsync(fill: false);
        await using var __ = browser;
        var page = browser.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "粘贴整表" }).ClickAsync();
        await PasteAsync(page.Locator("#paste-area"), "一、本年新收政府信息公开申请数量\t8\t0\t0\n（一）予以公开\t6\t二\t0\t0\t0\t0\t6\n某某不存在的行\t1\t1\n");
        var preview = await page.Locator("#paste-preview").TextContentAsync();
        Assert.Contains("“一、本年新收政府信息公开申请数量”一行粘贴了3个数，本表这一行有7格", preview);
        Assert.Contains("某某不存在的行", preview);
        Assert.True(await page.Locator("#paste-apply").IsDisabledAsync());
        Assert.Equal("", await page.Locator("#c-apps-new-np").InputValueAsync());
    }

    [Fact]
    public async Task On_a_phone_the_action_bar_stays_one_short_line()
    {
        var (browser, _) = await OpenAsync(width: 390);
        await using var __ = browser;
        var page = browser.Page;
        var bar = await page.Locator("#section-form .actions").BoundingBoxAsync();
        var save = await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).BoundingBoxAsync();
        Assert.InRange(bar!.Height, 20, 64);
        Assert.True(save!.Width > save.Height, "the 保存 button is wider than tall (not one character per line)");
        await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("s3-phone") });
    }

    [Fact]
    public async Task 提交审核_saves_the_说明_typed_on_the_page_first()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id, ("a20_1.rules.issued", 1m), ("a20_1.rules.in_force", 1m));
        await using var browser = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        var page = browser.Page;
        await AppFixture.LoginAsync(page, "edu");
        await page.GotoAsync($"/entry/{id}");
        Assert.Contains("不在公开的报告中发布", await page.Locator("#explain-help").TextContentAsync());
        await page.Locator("textarea[name='Explanations[C4]']").FillAsync("本年代县政府起草规章1件，经市政府发布。");

        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
        await page.WaitForLoadStateAsync();

        Assert.Contains("报告已提交，等待审核", await page.Locator(".notice").TextContentAsync());
        await using var db = app.Db();
        var report = await db.Reports.Include(r => r.Explanations).SingleAsync(r => r.Id == id);
        Assert.Equal("本年代县政府起草规章1件，经市政府发布。", report.Explanations.Single(e => e.RuleKey == "C4").Text);
    }

    [Fact]
    public async Task Leaving_the_报告信息_form_with_a_change_not_saved_asks_first()
    {
        var (browser, id) = await OpenAsync(section: "meta");
        await using var _ = browser;
        var page = browser.Page;
        string? asked = null;
        page.Dialog += async (_, dialog) => { asked = dialog.Message; await dialog.DismissAsync(); };
        await page.Locator("form.metadata input[type=text], form.metadata input:not([type])").First.FillAsync("改过的标题");

        await page.Locator("nav.breadcrumb a").Last.ClickAsync();

        Assert.Equal("本页有未保存的修改，离开后将丢失。仍要离开吗？", asked);
        Assert.EndsWith($"/entry/{id}/meta", page.Url);
        Assert.Equal("改过的标题", await page.Locator("form.metadata input[type=text], form.metadata input:not([type])").First.InputValueAsync());
    }

    private static async Task PasteAsync(ILocator target, string text, string? html = null)
    {
        await target.FocusAsync();
        await target.EvaluateAsync("""
            (el, [text, html]) => {
              const data = new DataTransfer();
              data.setData('text/plain', text);
              if (html) data.setData('text/html', html);
              const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
              if (el.dispatchEvent(event) && el.tagName === 'TEXTAREA') {
                // Not handled by the page: the browser's own paste puts the text in.
                el.value = text;
                el.dispatchEvent(new Event('input', { bubbles: true }));
              }
            }
            """, new[] { text, html });
    }

    private static async Task<string[]> ValuesAsync(IPage page, params string[] selectors)
    {
        var values = new List<string>();
        foreach (var s in selectors) values.Add(await page.Locator(s).InputValueAsync());
        return values.ToArray();
    }

    /// <summary>表三 of fixture 002 exactly as the published page's text has it: header lines, labels and numbers on
    /// separate lines, a heading split over two lines, 社会组织 for 社会公益组织, 其他法律法规 for 其他法律行政法规.</summary>
    private static string TableThreeOfFixture002()
    {
        var lines = File.ReadAllLines(TestData.PathOf("fixtures/002_02625ab39fea2acd.txt"));
        var start = Array.FindIndex(lines, l => l.StartsWith("(本列数据的勾稽关系", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, start, l => l.Contains("四、结转下年度继续办理", StringComparison.Ordinal));
        return string.Join("\n", lines[start..(end + 1)]);
    }
}
