using GovInfoReports.Web.Tests.Support;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Review;

/// <summary>The reviewer's complaint, in headless Chromium: a 2022 report waits while the calendar says 2026.
/// The reviewer sees it right after login, returns it with a comment on 三 that the clerk reads on the 三 page,
/// sees a one-character fix as one character, and approves and publishes through their confirmations.</summary>
[Collection("Browser")]
public sealed class ReviewerLandingBrowserTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    private static Task ClickAsync(IPage page, string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).ClickAsync();

    [Fact]
    public async Task The_reviewer_sees_the_pending_2022_report_right_after_login_and_signs_it_off_through_confirmations()
    {
        var id = await app.NewReportAsync(2022, "获嘉县太山镇人民政府");
        await app.FillFixture002Async(id);
        Assert.Contains("报告已提交", (await FormPage.PostHandlerAsync(await app.ClientAsync("town"), $"/entry/{id}", "Submit")).Text);
        await using var reviewerBrowser = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        await using var clerkBrowser = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        var reviewer = reviewerBrowser.Page;
        var clerk = clerkBrowser.Page;

        // Right after login, without navigating: the waiting 2022 report, and the dashboard on 2022.
        await AppFixture.LoginAsync(reviewer, "reviewer");
        Assert.Equal("/review", new Uri(reviewer.Url).AbsolutePath);
        var pending = reviewer.Locator("#pending tbody tr", new() { HasText = "获嘉县太山镇人民政府" });
        Assert.Contains("2022年度", await pending.TextContentAsync());
        Assert.Contains("待审核", await pending.TextContentAsync());
        Assert.Equal("2022年度报告", (await reviewer.Locator("#year-heading").TextContentAsync())!.Trim());
        Assert.Equal("2022", await reviewer.Locator("#year").InputValueAsync());
        Assert.Contains("待审核 1", await reviewer.Locator("p.meta").TextContentAsync());
        await reviewer.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("reviewer-lands-on-pending"), FullPage = true });

        // Returned with a comment pinned to 三, which the clerk reads on the 三 page.
        await pending.GetByRole(AriaRole.Link).ClickAsync();
        await reviewer.Locator("#reason").FillAsync("请核对表三。");
        await reviewer.Locator("details:has(#comment-s3) summary").ClickAsync();
        await reviewer.Locator("#comment-s3").FillAsync("商业企业1件：请附登记号。");
        await ClickAsync(reviewer, "退回修改");
        await reviewer.Locator(".notice").WaitForAsync();
        await AppFixture.LoginAsync(clerk, "town");
        await clerk.GotoAsync($"/entry/{id}/s3");
        var comments = await clerk.Locator("#section-comments").TextContentAsync();
        Assert.Contains("商业企业1件：请附登记号。", comments);
        Assert.Contains("县政府审核员（reviewer）", comments);

        // The clerk changes one character of 五 and resubmits; the reviewer sees one character, not a paragraph.
        await clerk.GotoAsync($"/entry/{id}/s5");
        await clerk.Locator("#c-s5-text").FillAsync("政务公开相关工作机制和制度仍需要进一步完善。");
        await ClickAsync(clerk, "保存");
        await clerk.Locator(".notice").WaitForAsync();
        await clerk.GotoAsync($"/entry/{id}");
        await ClickAsync(clerk, "提交审核");
        await clerk.Locator(".notice").WaitForAsync();
        await reviewer.GotoAsync($"/review/{id}");
        var changed = reviewer.Locator(".diff-para.changed");
        Assert.Equal(["还"], await changed.Locator("del").AllTextContentsAsync());
        Assert.Equal(["仍"], await changed.Locator("ins").AllTextContentsAsync());
        Assert.Equal(0, await reviewer.Locator(".diff-para.removed, .diff-para.added").CountAsync());
        await reviewer.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("review-character-diff"), FullPage = true });

        // 审核通过 first shows its confirmation; only its confirm button approves.
        var approve = reviewer.Locator("#approve-confirm button[name=Confirmed]");
        Assert.False(await approve.IsVisibleAsync());
        await AppFixture.ConfirmReviewActionAsync(reviewer, "Approve");
        Assert.Contains("已审核通过", await reviewer.Locator(".notice").TextContentAsync());

        // 发布 shows what becomes public before anything is published.
        await reviewer.Locator("#publish-confirm summary").ClickAsync();
        var what = await reviewer.Locator("#publish-what").TextContentAsync();
        foreach (var expected in new[] { "2022年度", "第 1 版", "网页（HTML）", "PDF", "Word", "JSON", "CSV" }) Assert.Contains(expected, what);
        Assert.Contains("已发布的版本永不改变", await reviewer.Locator("#publish-confirm").TextContentAsync());
        Assert.Contains("已审核", await reviewer.Locator(".status").TextContentAsync());
        await reviewer.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("publish-confirmation"), FullPage = true });
        await reviewer.Locator("#publish-confirm summary").ClickAsync(); // closed again; the helper opens it
        await AppFixture.ConfirmReviewActionAsync(reviewer, "Publish", 120_000);
        Assert.Contains("已发布", await reviewer.Locator(".status").TextContentAsync());
        Assert.Empty(reviewerBrowser.Errors);
        Assert.Empty(clerkBrowser.Errors);
    }
}
