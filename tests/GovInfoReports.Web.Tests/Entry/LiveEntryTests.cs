using GovInfoReports.Web.Tests.Support;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>The section forms in headless Chromium: live totals and checks, keyboard, and no-JS fallback.</summary>
[Collection("Browser")]
public sealed class LiveEntryTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    private const string A1Natural = "表三 自然人列：一（8）＋二（0）＝8，三（七）总计（9）＋四（0）＝9，相差1";

    private async Task<(BrowserPage, int)> OpenBalancedAsync(bool javaScript = true)
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        var page = await TestBrowser.NewPageAsync(app.Factory.ServerAddress, javaScript);
        await AppFixture.LoginAsync(page.Page, "edu");
        await page.Page.GotoAsync($"/entry/{id}/s3");
        return (page, id);
    }

    private static Task<IReadOnlyList<string>> ViolationsAsync(IPage page) => page.Locator("#violations li").AllTextContentsAsync();

    [Fact]
    public async Task Typing_into_the_matrix_updates_the_totals_and_shows_then_clears_the_A1_error()
    {
        var (browserPage, _) = await OpenBalancedAsync();
        await using var _ = browserPage;
        var page = browserPage.Page;
        Assert.Empty(await ViolationsAsync(page));
        Assert.True(await page.Locator("#checks-ok").IsVisibleAsync());

        await page.Locator("#c-apps-r1-np").FillAsync("7");

        Assert.Equal("9", await page.Locator("#c-apps-r7-np").InputValueAsync());
        Assert.Equal("7", await page.Locator("#c-apps-r1-tot").InputValueAsync());
        Assert.Equal("9", await page.Locator("#c-apps-r7-tot").InputValueAsync());
        Assert.Equal([A1Natural], await ViolationsAsync(page));
        Assert.Contains("rule-error", await page.Locator("#c-apps-new-np").EvaluateAsync<string>("e => e.parentElement.className"));
        Assert.Contains("v-", await page.Locator("#c-apps-r7-np").GetAttributeAsync("aria-describedby"));
        Assert.False(await page.Locator("#checks-ok").IsVisibleAsync());
        await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("s3-live-a1-error"), FullPage = true });

        await page.Locator("#c-apps-r1-np").FillAsync("6");

        Assert.Empty(await ViolationsAsync(page));
        Assert.Equal("8", await page.Locator("#c-apps-r7-np").InputValueAsync());
        Assert.DoesNotContain("rule-error", await page.Locator("#c-apps-new-np").EvaluateAsync<string>("e => e.parentElement.className"));
        Assert.Empty(browserPage.Errors);
    }

    [Fact]
    public async Task Last_years_carried_over_applications_come_with_the_page_and_a_different_carry_in_warns_as_the_clerk_types()
    {
        // A fresh agency of its own, so that its two consecutive years are nobody else's in this database.
        var name = $"获嘉县实时局{Interlocked.Increment(ref _agencies)}";
        int lastId, id;
        await using (var db = app.Db())
        {
            var government = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.Include(db.Agencies, a => a.Region), a => a.Name == "获嘉县人民政府");
            var agency = new Domain.Agencies.Agency(Domain.Agencies.UnifiedSocialCreditCode.Complete($"11410724MB{_agencies:D7}"), name,
                Domain.Agencies.AgencyKind.Department, government.Region, government, mayMakeRules: false);
            db.Agencies.Add(agency);
            var template = app.Templates.Get("2021")!;
            var last = new Domain.Reports.Report(agency, 2022, template, DateTimeOffset.UtcNow);
            var report = new Domain.Reports.Report(agency, 2023, template, DateTimeOffset.UtcNow);
            db.Reports.AddRange(last, report);
            await db.SaveChangesAsync();
            (lastId, id) = (last.Id, report.Id);
        }
        await app.FillFixture002Async(lastId, ("apps.r1.np", 4), ("apps.carry_out.np", 2));
        await app.FillFixture002Async(id, ("apps.new.np", 6), ("apps.r1.np", 6), ("apps.carry_in.np", 2), ("a20_1.normative.in_force", 29));
        var (user, password) = await app.NewUserAsync("live", (Web.Accounts.AppRole.Clerk, name));
        await using var browserPage = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        var page = browserPage.Page;
        await AppFixture.LoginAsync(page, user, password);
        await page.GotoAsync($"/entry/{id}/s3");
        Assert.Empty(await ViolationsAsync(page));

        // The clerk overwrites 上年结转 with 0 (and 本年新收 with 8 so that the column still balances).
        await page.Locator("#c-apps-carry_in-np").FillAsync("0");
        await page.Locator("#c-apps-new-np").FillAsync("8");
        Assert.Equal(["表三 自然人列：二、上年结转0件，而2022年度报告（当前内容，草稿，尚未发布）的四、结转下年度继续办理为2件，相差2；上年结转应等于上年的结转下年度（如因机构改革等确有不同，请说明）"],
            await ViolationsAsync(page));
        Assert.Contains("rule-warning", await page.Locator("#c-apps-carry_in-np").EvaluateAsync<string>("e => e.parentElement.className"));
        await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("s3-live-x1-warning"), FullPage = true });

        await page.Locator("#c-apps-carry_in-np").FillAsync("2");
        await page.Locator("#c-apps-new-np").FillAsync("6");
        Assert.Empty(await ViolationsAsync(page));
        Assert.Empty(browserPage.Errors);
    }

    private static int _agencies = 4_400_000;

    [Fact]
    public async Task The_server_shows_the_same_A1_error_after_saving()
    {
        var (browserPage, _) = await OpenBalancedAsync();
        await using var _ = browserPage;
        var page = browserPage.Page;
        await page.Locator("#c-apps-r1-np").FillAsync("7");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/s3");
        Assert.Contains("已保存（1处修改）", await page.Locator(".notice").TextContentAsync());
        Assert.Equal([A1Natural], await ViolationsAsync(page));
        Assert.Empty(browserPage.Errors);
    }

    [Fact]
    public async Task Bad_input_gets_its_message_while_typing_and_the_other_cells_keep_working()
    {
        var (browserPage, _) = await OpenBalancedAsync();
        await using var _ = browserPage;
        var page = browserPage.Page;
        await page.Locator("#c-apps-r2-np").FillAsync("一");
        Assert.Equal("“一”不是数字，请输入阿拉伯数字", await page.Locator("#e-c-apps-r2-np").TextContentAsync());
        Assert.Equal("true", await page.Locator("#c-apps-r2-np").GetAttributeAsync("aria-invalid"));
        await page.Locator("#c-apps-r2-np").FillAsync("１");
        Assert.Equal("", await page.Locator("#e-c-apps-r2-np").TextContentAsync());
        Assert.Empty(await ViolationsAsync(page));
    }

    [Fact]
    public async Task Tab_moves_along_a_row_and_skips_the_computed_total()
    {
        var (browserPage, _) = await OpenBalancedAsync();
        await using var _ = browserPage;
        var page = browserPage.Page;
        await page.Locator("#c-apps-r1-np").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("c-apps-r1-biz", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Locator("#c-apps-r1-oth").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("c-apps-r2-np", await page.EvaluateAsync<string>("() => document.activeElement.id"));
    }

    [Fact]
    public async Task The_form_works_without_javascript()
    {
        var (browserPage, _) = await OpenBalancedAsync(javaScript: false);
        await using var _ = browserPage;
        var page = browserPage.Page;
        await page.Locator("#c-apps-r1-np").FillAsync("7");
        Assert.Equal("8", await page.Locator("#c-apps-r7-np").InputValueAsync()); // no live update without JS
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/s3");
        Assert.Equal([A1Natural], await ViolationsAsync(page));
        Assert.Equal("9", await page.Locator("#c-apps-r7-np").InputValueAsync());
    }
}
