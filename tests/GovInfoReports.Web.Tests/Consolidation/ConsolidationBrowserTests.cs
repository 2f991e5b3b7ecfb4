using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Tests.Support;
using Microsoft.Playwright;
using static GovInfoReports.Web.Tests.Consolidation.ConsolidationTree;

namespace GovInfoReports.Web.Tests.Consolidation;

/// <summary>The government's clerk, in headless Chromium, opens 全辖区汇总 from the report overview, reads the scope and a
/// cell's contributions, and accepts the sums through the confirmation.</summary>
[Collection("Browser")]
public sealed class ConsolidationBrowserTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    [Fact]
    public async Task The_clerk_opens_the_consolidation_from_the_overview_drills_into_a_cell_and_accepts_the_sums()
    {
        var tree = await BuildAsync(app);
        var (user, password) = await app.NewUserAsync("consolbrowser", (AppRole.Clerk, tree.Name(Government)));
        await using var browser = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        var page = browser.Page;
        await AppFixture.LoginAsync(page, user, password);

        await page.GotoAsync($"/entry/{tree.GovernmentReport}");
        await page.Locator("#consolidation-link").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/consolidation", StringComparison.Ordinal));
        Assert.Equal(5, await page.Locator("#scope tbody tr").CountAsync());
        Assert.Contains("未计入", await page.Locator("#scope tbody tr", new() { HasText = tree.Name(DraftDepartment) }).TextContentAsync());

        var row = page.Locator("tr[data-cell='apps.new.np']");
        Assert.Contains("不同", await row.Locator("td.diff").TextContentAsync());
        await row.Locator("details.contributions summary").ClickAsync();
        var contributions = await row.Locator("details.contributions li").AllTextContentsAsync();
        Assert.Equal(3, contributions.Count);
        Assert.Contains($"{tree.Name(Town)}：20", contributions);
        await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("consolidation-scope-and-drill-down"), FullPage = true });

        await page.Locator("#accept-confirm summary").ClickAsync();
        Assert.Contains("汇总范围", await page.Locator("#accept-confirm .confirm-body").TextContentAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "确认采用汇总值", Exact = true }).ClickAsync();
        await page.Locator(".notice").WaitForAsync();
        Assert.Contains("已采用汇总值", await page.Locator(".notice").TextContentAsync());
        Assert.Contains("一致", await page.Locator("tr[data-cell='apps.new.np'] td.diff").TextContentAsync());
        Assert.Contains("县政府及1个乡镇、2个县直部门", await page.Locator("#units-covered-current").TextContentAsync());
        await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("consolidation-accepted"), FullPage = true });
        Assert.Empty(browser.Errors);
    }
}
