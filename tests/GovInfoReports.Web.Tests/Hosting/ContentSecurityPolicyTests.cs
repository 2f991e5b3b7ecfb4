using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Tests.Support;

namespace GovInfoReports.Web.Tests.Hosting;

/// <summary>Every page, as the public and as each kind of user, in Chromium: zero securitypolicyviolation
/// events (TestBrowser turns each one into a recorded error), zero script errors, no failed requests.</summary>
[Collection("Browser")]
public sealed class ContentSecurityPolicyTests(KestrelPublishedAppFixture app) : IClassFixture<KestrelPublishedAppFixture>
{
    private static readonly string Government = UnifiedSocialCreditCode.Complete("11410724MB0000010");

    [Fact]
    public async Task No_page_violates_the_content_security_policy()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        string[] publicPages = ["/", "/regions", "/regions/410724", "/regions/410724/2024", $"/agencies/{Government}", $"/reports/{Government}/2024",
            $"/reports/{Government}/2024/v1", "/search?q=" + Uri.EscapeDataString("信息处理费"), "/account/login"];
        string[] clerkPages = ["/entry", $"/entry/{id}", $"/entry/{id}/meta", "/account/password",
            .. new[] { "s1", "s2", "s3", "s4", "s5", "s6" }.Select(s => $"/entry/{id}/{s}")];
        string[] reviewerPages = ["/review", "/review/dashboard", $"/review/{id}", $"/review/{id}/audit"];
        string[] adminPages = ["/admin", "/admin/regions", "/admin/agencies", "/admin/users", "/admin/import"];

        foreach (var (user, pages) in new (string?, string[])[] { (null, publicPages), ("edu", clerkPages), ("reviewer", reviewerPages), ("admin", adminPages) })
        {
            await using var browser = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
            if (user is not null) await AppFixture.LoginAsync(browser.Page, user);
            foreach (var url in pages)
            {
                var response = await browser.Page.GotoAsync(url);
                Assert.True(response!.Ok, $"{url} as {user ?? "anonymous"}: {response.Status}");
                await browser.Page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
            }
            // Typing on a section form runs the live checks: still nothing blocked.
            if (user == "edu")
            {
                await browser.Page.GotoAsync($"/entry/{id}/s3");
                await browser.Page.Locator("#c-apps-r1-np").FillAsync("7");
            }
            Assert.True(browser.Errors.Count == 0, $"as {user ?? "anonymous"}: {string.Join("; ", browser.Errors)}");
        }
    }
}
