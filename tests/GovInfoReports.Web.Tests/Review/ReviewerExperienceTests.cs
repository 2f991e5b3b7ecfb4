using System.Net;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Review;

/// <summary>The supervisor's side of the workflow over HTTP: where login lands, the dashboard's year, comments
/// pinned to a section where the clerk fixes it, the character-level narrative diff, and 审核通过 / 发布 only
/// after their confirmation.</summary>
public sealed class ReviewerExperienceTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>Posts the login form without following the redirect; returns where it sends the user.</summary>
    private async Task<string> LandingAsync(string user, string password, string? returnUrl = null)
    {
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var login = await FormPage.GetAsync(client, returnUrl is null ? "/account/login" : $"/account/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>(login.Fields())
        {
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    private async Task<int> SubmittedAsync(int year, string agency, string clerk, params (string Cell, decimal Value)[] overrides)
    {
        var id = await app.NewReportAsync(year, agency);
        await app.FillFixture002Async(id, overrides);
        Assert.Contains("报告已提交，等待审核", (await FormPage.PostHandlerAsync(await app.ClientAsync(clerk), $"/entry/{id}", "Submit")).Text);
        return id;
    }

    private async Task<ReportStatus> StatusAsync(int id)
    {
        await using var db = app.Db();
        return (await db.Reports.SingleAsync(r => r.Id == id)).Status;
    }

    [Fact]
    public async Task A_supervisor_lands_on_review_a_clerk_on_entry_and_a_return_url_wins()
    {
        Assert.Equal("/review", await LandingAsync("reviewer", AppFixture.PasswordOf("reviewer")));
        Assert.Equal("/entry", await LandingAsync("edu", AppFixture.PasswordOf("edu")));
        Assert.Equal("/entry/1/s3", await LandingAsync("reviewer", AppFixture.PasswordOf("reviewer"), "/entry/1/s3"));
    }

    [Fact]
    public async Task A_clerk_who_also_supervises_lands_on_review_only_while_reports_wait_for_review()
    {
        var (user, password) = await app.NewUserAsync("dual", (AppRole.Clerk, "获嘉县人民政府办公室"), (AppRole.Supervisor, "获嘉县人民政府办公室"));
        Assert.Equal("/entry", await LandingAsync(user, password));
        // Its 2022 is the demo draft (fixture 002): 2023's 行政规范性文件 continue it (23 + 6 = 29, rule X2).
        await SubmittedAsync(2023, "获嘉县人民政府办公室", "office", ("a20_1.normative.in_force", 29m));
        Assert.Equal("/review", await LandingAsync(user, password));
    }

    [Fact]
    public async Task The_dashboard_opens_on_the_latest_year_with_waiting_reports_and_lists_them_with_their_year()
    {
        var (user, password) = await app.NewUserAsync("townreviewer", (AppRole.Supervisor, "获嘉县太山镇人民政府"));
        var id = await SubmittedAsync(2022, "获嘉县太山镇人民政府", "town");
        var dashboard = await FormPage.GetAsync(await app.ClientAsync(user, password), "/review");
        var pending = dashboard.Document.GetElementById("pending")!.QuerySelectorAll("tbody tr").Select(r => r.TextContent).ToList();
        var row = Assert.Single(pending);
        Assert.Contains("2022年度", row);
        Assert.Contains("获嘉县太山镇人民政府", row);
        Assert.Contains("待审核", row);
        Assert.NotNull(dashboard.Document.QuerySelector($"#pending a[href='/review/{id}']"));
        Assert.Equal("2022年度报告", dashboard.Document.GetElementById("year-heading")!.TextContent.Trim());
        Assert.Contains("待审核 1", dashboard.Document.QuerySelector("p.meta")!.TextContent);
        Assert.Contains("已提交", dashboard.Document.GetElementById("dashboard")!.TextContent);
    }

    [Fact]
    public async Task A_comment_pinned_to_a_section_shows_on_that_sections_page_with_who_and_when()
    {
        var id = await SubmittedAsync(AppFixture.UniqueYear(), "获嘉县教育局", "edu");
        await FormPage.PostHandlerAsync(await app.ClientAsync("reviewer"), $"/review/{id}", "Return", new()
        {
            ["Reason"] = "请核对表三。",
            ["SectionComments[s3]"] = "商业企业1件：请附登记号。",
        });
        var clerk = await app.ClientAsync("edu");
        var s3 = await FormPage.GetAsync(clerk, $"/entry/{id}/s3");
        var comments = s3.Document.GetElementById("section-comments")!.TextContent;
        Assert.Contains("商业企业1件：请附登记号。", comments);
        Assert.Contains("县政府审核员（reviewer）", comments);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", comments);
        Assert.Null((await FormPage.GetAsync(clerk, $"/entry/{id}/s4")).Document.GetElementById("section-comments"));
    }

    [Fact]
    public async Task A_one_character_edit_of_a_paragraph_shows_as_that_character_deleted_and_inserted_with_the_text_encoded()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        var clerk = await app.ClientAsync("edu");
        var s5 = await FormPage.GetAsync(clerk, $"/entry/{id}/s5");
        await s5.PostAsync(clerk, $"/entry/{id}/s5", new Dictionary<string, string> { ["Input.Texts[s5.text]"] = "<i>机制</i>和制度还需要进一步完善，下一步将健全公开工作制度。" }, "#section-form");
        await FormPage.PostHandlerAsync(clerk, $"/entry/{id}", "Submit");
        var reviewer = await app.ClientAsync("reviewer");
        await FormPage.PostHandlerAsync(reviewer, $"/review/{id}", "Return", new() { ["Reason"] = "请再看第五部分。" });
        s5 = await FormPage.GetAsync(clerk, $"/entry/{id}/s5");
        await s5.PostAsync(clerk, $"/entry/{id}/s5", new Dictionary<string, string> { ["Input.Texts[s5.text]"] = "<i>机制</i>和制度仍需要进一步完善，下一步将健全公开工作制度。" }, "#section-form");
        Assert.Contains("报告已提交", (await FormPage.PostHandlerAsync(clerk, $"/entry/{id}", "Submit")).Text);

        var review = await FormPage.GetAsync(reviewer, $"/review/{id}");
        var changed = Assert.Single(review.Document.QuerySelectorAll(".diff-para.changed"));
        Assert.Equal(["还"], changed.QuerySelectorAll("del").Select(e => e.TextContent));
        Assert.Equal(["仍"], changed.QuerySelectorAll("ins").Select(e => e.TextContent));
        Assert.Empty(review.Document.QuerySelectorAll(".diff-para.removed, .diff-para.added"));
        Assert.Empty(changed.QuerySelectorAll("i"));
        Assert.Contains("<i>机制</i>和制度", changed.TextContent);
    }

    [Fact]
    public async Task Approve_and_publish_posted_without_confirmation_change_nothing_and_say_why()
    {
        var id = await SubmittedAsync(AppFixture.UniqueYear(), "获嘉县教育局", "edu");
        var reviewer = await app.ClientAsync("reviewer");

        var unconfirmed = await FormPage.PostHandlerAsync(reviewer, $"/review/{id}", "Approve");
        Assert.Contains("尚未审核通过", unconfirmed.Document.GetElementById("action-problems")!.TextContent);
        Assert.True(unconfirmed.Document.GetElementById("approve-confirm")!.HasAttribute("open"));
        Assert.Equal(ReportStatus.Submitted, await StatusAsync(id));
        Assert.False((await FormPage.GetAsync(reviewer, $"/review/{id}")).Document.GetElementById("approve-confirm")!.HasAttribute("open"));
        Assert.Contains("已审核通过", (await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{id}", "Approve")).Text);
        Assert.Equal(ReportStatus.Approved, await StatusAsync(id));

        unconfirmed = await FormPage.PostHandlerAsync(reviewer, $"/review/{id}", "Publish");
        Assert.Contains("尚未发布", unconfirmed.Document.GetElementById("action-problems")!.TextContent);
        Assert.True(unconfirmed.Document.GetElementById("publish-confirm")!.HasAttribute("open"));
        Assert.Equal(ReportStatus.Approved, await StatusAsync(id));

        // What becomes public: the report, its year, the version to be created, every format, and that it never changes.
        await using (var db = app.Db())
        {
            var report = await db.Reports.Include(r => r.Agency).SingleAsync(r => r.Id == id);
            var what = unconfirmed.Document.GetElementById("publish-confirm")!.TextContent;
            Assert.Contains(report.Metadata.Title, what);
            Assert.Contains($"{report.Year}年度", what);
            Assert.Contains("第 1 版", what);
            Assert.Contains($"/reports/{report.Agency.Code}/{report.Year}/v1", what);
            foreach (var format in new[] { "HTML", "PDF", "Word", "JSON", "CSV" }) Assert.Contains(format, what);
            Assert.Contains("已发布的版本永不改变", what);
        }
        Assert.Contains("已发布", (await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{id}", "Publish")).Text);
        Assert.Equal(ReportStatus.Published, await StatusAsync(id));
    }
}
