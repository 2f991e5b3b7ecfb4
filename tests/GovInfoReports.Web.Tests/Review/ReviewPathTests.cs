using GovInfoReports.Web.Tests.Support;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Review;

/// <summary>The whole review path in headless Chromium, with a clerk and a supervisor in two browsers:
/// submit → return with a reason → fix and resubmit → diff, approve, publish → correction → version 2.</summary>
[Collection("Browser")]
public sealed class ReviewPathTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    private static Task ClickAsync(IPage page, string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).ClickAsync();

    [Fact]
    public async Task Clerk_and_supervisor_take_a_report_to_publication_and_through_a_correction()
    {
        var year = AppFixture.UniqueYear();
        var id = await app.NewReportAsync(year);
        await app.FillFixture002Async(id);
        await using var clerkBrowser = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        await using var reviewerBrowser = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        var clerk = clerkBrowser.Page;
        var reviewer = reviewerBrowser.Page;
        await AppFixture.LoginAsync(clerk, "edu");
        await AppFixture.LoginAsync(reviewer, "reviewer");

        // The clerk fills in 表三 (one more application, handled) and submits.
        await clerk.GotoAsync($"/entry/{id}/s3");
        await clerk.Locator("#c-apps-new-biz").FillAsync("1");
        await clerk.Locator("#c-apps-r1-biz").FillAsync("1");
        Assert.Equal(0, await clerk.Locator("#violations li").CountAsync());
        await ClickAsync(clerk, "保存");
        await clerk.GotoAsync($"/entry/{id}");
        await ClickAsync(clerk, "提交审核");
        await clerk.Locator(".notice").WaitForAsync();
        Assert.Contains("报告已提交，等待审核", await clerk.Locator(".notice").TextContentAsync());

        // The supervisor returns it with a reason and a comment on section 三.
        await reviewer.GotoAsync($"/review?Year={year}");
        Assert.Contains("已提交", await reviewer.Locator("#dashboard tr", new() { HasText = "获嘉县教育局" }).TextContentAsync());
        await reviewer.GetByRole(AriaRole.Link, new() { Name = "获嘉县教育局" }).First.ClickAsync();
        await reviewer.Locator("#reason").FillAsync("商业企业的申请请核对是否属实。");
        await reviewer.Locator("details:has(#comment-s3) summary").ClickAsync();
        await reviewer.Locator("#comment-s3").FillAsync("商业企业1件：请附登记号。");
        await ClickAsync(reviewer, "退回修改");
        await reviewer.Locator(".notice").WaitForAsync();

        // The clerk sees the reason and the comment, fixes the numbers and resubmits.
        await clerk.GotoAsync($"/entry/{id}");
        Assert.Contains("商业企业的申请请核对是否属实。", await clerk.Locator("#returned-heading + .reason").TextContentAsync());
        Assert.Contains("商业企业1件：请附登记号。", await clerk.Locator("section.problems").TextContentAsync());
        await clerk.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("clerk-sees-return"), FullPage = true });
        await clerk.GotoAsync($"/entry/{id}/s3");
        await clerk.Locator("#c-apps-new-biz").FillAsync("2");
        await clerk.Locator("#c-apps-r2-biz").FillAsync("1");
        await ClickAsync(clerk, "保存");
        await clerk.GotoAsync($"/entry/{id}");
        await ClickAsync(clerk, "提交审核");
        await clerk.Locator(".notice").WaitForAsync();

        // The supervisor sees what changed, approves and publishes.
        await reviewer.GotoAsync($"/review/{id}");
        var changes = await reviewer.Locator("#cell-changes tbody tr").AllTextContentsAsync();
        Assert.Contains(changes, c => c.Contains("一、本年新收政府信息公开申请数量") && c.Contains("商业企业"));
        Assert.Contains(changes, c => c.Contains("（二）部分公开") && c.Contains("商业企业"));
        await reviewer.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("review-diff"), FullPage = true });
        await AppFixture.ConfirmReviewActionAsync(reviewer, "Approve");
        await AppFixture.ConfirmReviewActionAsync(reviewer, "Publish");
        Assert.Contains("已发布", await reviewer.Locator(".status").TextContentAsync());

        // A correction goes through the same path and becomes version 2 with its 更正说明.
        await clerk.GotoAsync($"/entry/{id}");
        await clerk.Locator("#new-correction-note").FillAsync("更正商业企业部分公开件数。");
        await ClickAsync(clerk, "开始更正");
        await clerk.Locator(".notice").WaitForAsync();
        await clerk.GotoAsync($"/entry/{id}/s3");
        await clerk.Locator("#c-apps-r2-biz").FillAsync("0");
        await clerk.Locator("#c-apps-r1-biz").FillAsync("2");
        await ClickAsync(clerk, "保存");
        await clerk.GotoAsync($"/entry/{id}");
        await ClickAsync(clerk, "提交审核");
        await clerk.Locator(".notice").WaitForAsync();
        await reviewer.GotoAsync($"/review/{id}");
        Assert.Contains("更正商业企业部分公开件数。", await reviewer.Locator("main").TextContentAsync());
        await AppFixture.ConfirmReviewActionAsync(reviewer, "Approve");
        await AppFixture.ConfirmReviewActionAsync(reviewer, "Publish");
        var versions = await reviewer.Locator("#versions-heading + ul li").AllTextContentsAsync();
        Assert.Equal(2, versions.Count);
        Assert.Contains("更正说明：更正商业企业部分公开件数。", versions[1]);
        Assert.Empty(clerkBrowser.Errors);
        Assert.Empty(reviewerBrowser.Errors);
    }
}
