using System.Net;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using GovInfoReports.Web.Review;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovInfoReports.Web.Tests.Review;

/// <summary>草稿 → 已提交 → 退回 → 已提交 → 已审核 → 已发布, then a correction as a new public version,
/// over HTTP as the clerk (edu) and the supervisor (reviewer).</summary>
public sealed class WorkflowTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static Task<FormPage> PostAsync(HttpClient client, string url, string handler, Dictionary<string, string>? fields = null) =>
        FormPage.PostHandlerAsync(client, url, handler, fields);

    [Fact]
    public async Task The_whole_path_with_return_diff_approval_publication_and_correction()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        var clerk = await app.ClientAsync("edu");
        var reviewer = await app.ClientAsync("reviewer");

        var submitted = await PostAsync(clerk, $"/entry/{id}", "Submit");
        Assert.Contains("报告已提交，等待审核", submitted.Text);

        // The reviewer returns it with a reason and a comment pinned to section 三.
        var refused = await PostAsync(reviewer, $"/review/{id}", "Return");
        Assert.Contains("请填写退回理由", refused.Text);
        var returned = await PostAsync(reviewer, $"/review/{id}", "Return", new()
        {
            ["Reason"] = "表三“予以公开”与正文不一致，请核对。",
            ["SectionComments[s3]"] = "正文说予以公开5件。",
        });
        Assert.Contains("已退回", returned.Text);

        // The clerk sees the reason and the pinned comment, fixes and resubmits.
        var overview = await FormPage.GetAsync(clerk, $"/entry/{id}");
        Assert.Contains("表三“予以公开”与正文不一致，请核对。", overview.Document.QuerySelector("#returned-heading")!.ParentElement!.TextContent);
        Assert.Contains("正文说予以公开5件。", overview.Text);
        var s3 = await FormPage.GetAsync(clerk, $"/entry/{id}/s3");
        await s3.PostAsync(clerk, $"/entry/{id}/s3", new Dictionary<string, string>
        {
            ["Input.Cells[apps.r1.np]"] = "5",
            ["Input.Cells[apps.r2.np]"] = "2",
        }, "#section-form");
        var s6 = await FormPage.GetAsync(clerk, $"/entry/{id}/s6");
        await s6.PostAsync(clerk, $"/entry/{id}/s6", new Dictionary<string, string> { ["Input.Texts[s6.text]"] = "2022年度信息公开申请未向申请人收取任何费用。\n本年度未收取信息处理费。" }, "#section-form");
        Assert.Contains("报告已提交，等待审核", (await PostAsync(clerk, $"/entry/{id}", "Submit")).Text);

        // The reviewer sees exactly what changed since the previous submission.
        var review = await FormPage.GetAsync(reviewer, $"/review/{id}");
        var changes = review.Document.GetElementById("cell-changes")!.QuerySelectorAll("tbody tr").Select(r => r.TextContent.Trim()).ToList();
        Assert.Equal(4, changes.Count); // r1.np, r2.np and their row totals; （七）总计 is unchanged
        Assert.Contains(changes, c => c.Contains("（一）予以公开") && c.Contains("自然人") && c.Contains('6') && c.Contains('5'));
        Assert.Contains("本年度未收取信息处理费。", review.Document.QuerySelector(".diff-para.added")!.TextContent);

        var approved = await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{id}", "Approve");
        Assert.Contains("已审核通过", approved.Text);
        var published = await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{id}", "Publish");
        Assert.Contains("已发布", published.Text);

        await using (var db = app.Db())
        {
            var report = await db.Reports.SingleAsync(r => r.Id == id);
            Assert.Equal(ReportStatus.Published, report.Status);
            Assert.NotNull(report.FirstPublishedAt);
            var v1 = await db.Snapshots.Include(s => s.Cells).SingleAsync(s => s.ReportId == id && s.Version == 1);
            Assert.Equal(5m, v1.Cells.Single(c => c.CellId == "apps.r1.np").Value);
            var transitions = await db.ReportTransitions.Where(t => t.ReportId == id).OrderBy(t => t.Id).Select(t => $"{t.From}>{t.To}").ToListAsync();
            Assert.Equal(["Draft>Submitted", "Submitted>Returned", "Returned>Submitted", "Submitted>Approved", "Approved>Published"], transitions);
        }

        // Nobody edits the published version in place.
        var locked = await FormPage.GetAsync(clerk, $"/entry/{id}/s3");
        var inPlace = await locked.PostAsync(clerk, $"/entry/{id}/s3", new Dictionary<string, string> { ["Input.Cells[apps.r1.np]"] = "4" }, "#section-form");
        Assert.Contains("不能修改", inPlace.Text);

        // A correction: a new revision through the same path; publishing it makes version 2 with its 更正说明.
        Assert.Contains("请填写更正说明", (await PostAsync(clerk, $"/entry/{id}", "Correct")).Text);
        Assert.Contains("已开始更正", (await PostAsync(clerk, $"/entry/{id}", "Correct", new() { ["CorrectionNote"] = "更正表三部分公开件数。" })).Text);
        s3 = await FormPage.GetAsync(clerk, $"/entry/{id}/s3");
        await s3.PostAsync(clerk, $"/entry/{id}/s3", new Dictionary<string, string> { ["Input.Cells[apps.r2.np]"] = "1", ["Input.Cells[apps.r1.np]"] = "6" }, "#section-form");
        Assert.Contains("报告已提交，等待审核", (await PostAsync(clerk, $"/entry/{id}", "Submit")).Text);
        await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{id}", "Approve");
        await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{id}", "Publish");

        await using (var db = app.Db())
        {
            var versions = await db.Snapshots.Include(s => s.Cells).Where(s => s.ReportId == id && s.Kind == SnapshotKind.Publication)
                .OrderBy(s => s.Version).ToListAsync();
            Assert.Equal([1, 2], versions.Select(v => v.Version!.Value));
            Assert.Null(versions[0].CorrectionNote);
            Assert.Equal("更正表三部分公开件数。", versions[1].CorrectionNote);
            Assert.Equal(5m, versions[0].Cells.Single(c => c.CellId == "apps.r1.np").Value); // v1 unchanged
            Assert.Equal(6m, versions[1].Cells.Single(c => c.CellId == "apps.r1.np").Value);
            Assert.Equal(2, (await db.Reports.SingleAsync(r => r.Id == id)).Revision);
        }
    }

    [Fact]
    public async Task Whoever_submitted_a_revision_cannot_approve_it()
    {
        // A user who is both clerk and supervisor of the agency.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovInfoReports.Web.Data.AppDbContext>();
            var education = await db.Agencies.SingleAsync(a => a.Name == "获嘉县教育局");
            var seeder = scope.ServiceProvider.GetRequiredService<AccountSeeder>();
            if (!await db.Users.AnyAsync(u => u.UserName == "both"))
            {
                Assert.Empty(await seeder.CreateAsync("both", "Both#2026test", "兼任", AppRole.Clerk, education.Id));
                var user = await db.Users.SingleAsync(u => u.UserName == "both");
                db.RoleGrants.Add(new RoleGrant(user.Id, AppRole.Supervisor, education.Id));
                await db.SaveChangesAsync();
            }
        }
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var login = await FormPage.GetAsync(client, "/account/login");
        await login.PostAsync(client, "/account/login", new Dictionary<string, string> { ["Input.UserName"] = "both", ["Input.Password"] = "Both#2026test" });
        Assert.Contains("报告已提交", (await PostAsync(client, $"/entry/{id}", "Submit")).Text);

        var review = await FormPage.GetAsync(client, $"/review/{id}");
        Assert.Contains("本修订由您提交", review.Text);
        var token = review.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var forced = await FormPage.ReadAsync(await client.PostAsync($"/review/{id}?handler=Approve",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Confirmed"] = "true" })));
        Assert.Contains("提交人不能审核通过自己提交的报告", forced.Text);
        await using var db2 = app.Db();
        Assert.Equal(ReportStatus.Submitted, (await db2.Reports.SingleAsync(r => r.Id == id)).Status);
    }

    [Fact]
    public async Task Every_cell_and_text_change_is_audited_with_who_when_old_and_new_and_supervisors_see_it()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var clerk = await app.ClientAsync("edu");
        var s3 = await FormPage.GetAsync(clerk, $"/entry/{id}/s3");
        s3 = await s3.PostAsync(clerk, $"/entry/{id}/s3", new Dictionary<string, string> { ["Input.Cells[apps.new.np]"] = "3" }, "#section-form");
        await s3.PostAsync(clerk, $"/entry/{id}/s3", new Dictionary<string, string> { ["Input.Cells[apps.new.np]"] = "4", ["Input.Cells[apps.new.biz]"] = "abc" }, "#section-form");
        var s5 = await FormPage.GetAsync(clerk, $"/entry/{id}/s5");
        await s5.PostAsync(clerk, $"/entry/{id}/s5", new Dictionary<string, string> { ["Input.Texts[s5.text]"] = "存在的问题。" }, "#section-form");

        await using (var db = app.Db())
        {
            var edu = await db.Users.SingleAsync(u => u.UserName == "edu");
            var entries = await db.AuditEntries.Where(a => a.ReportId == id).OrderBy(a => a.Id).ToListAsync();
            var np = entries.Where(e => e.Key == "apps.new.np").Select(e => $"{e.OldValue ?? "∅"}→{e.NewValue}").ToList();
            Assert.Equal(["∅→3", "3→4"], np);
            Assert.DoesNotContain(entries, e => e.Key == "apps.new.biz"); // the refused cell wrote nothing
            Assert.Contains(entries, e => e.Key == "apps.new.tot" && e.NewValue == "4");
            Assert.Contains(entries, e => e.Target == AuditTarget.Text && e.Key == "s5.text" && e.NewValue == "存在的问题。");
            Assert.All(entries, e => Assert.Equal(edu.Id, e.UserId));
        }

        var audit = await FormPage.GetAsync(await app.ClientAsync("reviewer"), $"/review/{id}/audit");
        Assert.Contains("一、本年新收政府信息公开申请数量，申请人情况 自然人", audit.Document.GetElementById("audit")!.TextContent);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.GetAsync($"/review/{id}/audit")).StatusCode);
    }

    private static async Task<FormPage> ForcePostAsync(HttpClient client, string url, string handler)
    {
        // The button may be missing; post as a crafted request would, with a valid antiforgery token (and the
        // confirmation, so that it is the workflow's own refusal that answers).
        var token = (await FormPage.GetAsync(client, "/account/password")).Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await FormPage.ReadAsync(await client.PostAsync($"{url}?handler={handler}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Confirmed"] = "true" })));
    }

    private async Task<ReportStatus> StatusAsync(int id)
    {
        await using var db = app.Db();
        return (await db.Reports.SingleAsync(r => r.Id == id)).Status;
    }

    [Fact]
    public async Task Whoever_edited_a_revision_can_neither_approve_nor_publish_it_and_an_uninvolved_supervisor_can()
    {
        // Clerk and supervisor of the same agency: edits a paragraph, a colleague (edu) submits.
        var (user, password) = await app.NewUserAsync("editor", (AppRole.Clerk, "获嘉县教育局"), (AppRole.Supervisor, "获嘉县教育局"));
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        var editor = await app.ClientAsync(user, password);
        var s5 = await FormPage.GetAsync(editor, $"/entry/{id}/s5");
        await s5.PostAsync(editor, $"/entry/{id}/s5", new Dictionary<string, string>
        {
            ["Input.Texts[s5.text]"] = "政务公开相关工作机制和制度还需要进一步完善。下一步将加强业务培训。",
        }, "#section-form");
        var clerk = await app.ClientAsync("edu");
        Assert.Contains("报告已提交", (await PostAsync(clerk, $"/entry/{id}", "Submit")).Text);

        // The editor is offered no 审核通过 and is told why; a crafted post is refused with the same reason.
        var review = await FormPage.GetAsync(editor, $"/review/{id}");
        Assert.Null(review.Document.QuerySelector("form[action*='handler=Approve']"));
        Assert.Contains("您修改过本修订的内容，按职责分离要求不能由您审核通过或发布", review.Text);
        var approve = await ForcePostAsync(editor, $"/review/{id}", "Approve");
        Assert.Contains("您修改过本修订的内容，按职责分离要求不能审核通过", approve.Document.GetElementById("action-problems")!.TextContent);
        Assert.Equal(ReportStatus.Submitted, await StatusAsync(id));

        var reviewer = await app.ClientAsync("reviewer");
        Assert.Contains("已审核通过", (await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{id}", "Approve")).Text);

        // Nor may the editor publish what someone else approved.
        review = await FormPage.GetAsync(editor, $"/review/{id}");
        Assert.Null(review.Document.QuerySelector("form[action*='handler=Publish']"));
        Assert.Contains("您修改过本修订的内容，按职责分离要求不能由您审核通过或发布", review.Text);
        var publish = await ForcePostAsync(editor, $"/review/{id}", "Publish");
        Assert.Contains("您修改过本修订的内容，按职责分离要求不能发布", publish.Document.GetElementById("action-problems")!.TextContent);
        Assert.Equal(ReportStatus.Approved, await StatusAsync(id));

        Assert.Contains("已发布", (await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{id}", "Publish")).Text);
        Assert.Equal(ReportStatus.Published, await StatusAsync(id));

        // A correction is a new revision: having edited the first one does not bar reviewing it.
        Assert.Contains("已开始更正", (await PostAsync(clerk, $"/entry/{id}", "Correct", new() { ["CorrectionNote"] = "更正第五部分的表述。" })).Text);
        var again = await FormPage.GetAsync(clerk, $"/entry/{id}/s5");
        await again.PostAsync(clerk, $"/entry/{id}/s5", new Dictionary<string, string> { ["Input.Texts[s5.text]"] = "政务公开相关工作机制和制度还需要进一步完善。" }, "#section-form");
        Assert.Contains("报告已提交", (await PostAsync(clerk, $"/entry/{id}", "Submit")).Text);
        Assert.Contains("已审核通过", (await FormPage.ConfirmHandlerAsync(editor, $"/review/{id}", "Approve")).Text);
        Assert.Contains("已发布", (await FormPage.ConfirmHandlerAsync(editor, $"/review/{id}", "Publish")).Text);
        Assert.Equal(ReportStatus.Published, await StatusAsync(id));
    }

    [Fact]
    public async Task Whoever_submitted_a_revision_cannot_publish_it_either()
    {
        var (user, password) = await app.NewUserAsync("submitter", (AppRole.Clerk, "获嘉县教育局"), (AppRole.Supervisor, "获嘉县教育局"));
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        var submitter = await app.ClientAsync(user, password);
        Assert.Contains("报告已提交", (await PostAsync(submitter, $"/entry/{id}", "Submit")).Text);
        Assert.Contains("已审核通过", (await FormPage.ConfirmHandlerAsync(await app.ClientAsync("reviewer"), $"/review/{id}", "Approve")).Text);

        var review = await FormPage.GetAsync(submitter, $"/review/{id}");
        Assert.Null(review.Document.QuerySelector("form[action*='handler=Publish']"));
        var publish = await ForcePostAsync(submitter, $"/review/{id}", "Publish");
        Assert.Contains("提交人不能发布自己提交的报告", publish.Document.GetElementById("action-problems")!.TextContent);
        Assert.Equal(ReportStatus.Approved, await StatusAsync(id));
    }

    [Fact]
    public async Task Every_transition_is_logged_with_the_acting_user_the_report_and_its_revision_or_version()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        string clerk, reviewer;
        await using (var db = app.Db())
        {
            clerk = await db.Users.Where(u => u.UserName == "edu").Select(u => u.Id).SingleAsync();
            reviewer = await db.Users.Where(u => u.UserName == "reviewer").Select(u => u.Id).SingleAsync();
        }
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var logger = new CapturingLogger<ReportWorkflow>();
        var workflow = ActivatorUtilities.CreateInstance<ReportWorkflow>(scope.ServiceProvider, logger);
        async Task Expect(Task<WorkflowResult> move)
        {
            var result = await move;
            Assert.True(result.Done, string.Join("; ", result.Problems));
        }
        await Expect(workflow.SubmitAsync(id, clerk, CancellationToken.None));
        await Expect(workflow.ReturnAsync(id, reviewer, "请核对表三。", new Dictionary<string, string?>(), CancellationToken.None));
        await Expect(workflow.SubmitAsync(id, clerk, CancellationToken.None));
        await Expect(workflow.ApproveAsync(id, reviewer, CancellationToken.None));
        await Expect(workflow.PublishAsync(id, reviewer, CancellationToken.None));
        await Expect(workflow.StartCorrectionAsync(id, clerk, "更正表三。", CancellationToken.None));

        static string Describe(CapturingLogger<ReportWorkflow>.Event e)
        {
            var kind = new[] { "submitted", "returned", "approved", "published", "correction" }.First(k => e.Message.Contains(k, StringComparison.Ordinal));
            var p = e.Properties;
            var number = p.TryGetValue("Version", out var version) ? $"v{version}" : $"r{p.GetValueOrDefault("Revision")}";
            return $"{kind} {p.GetValueOrDefault("ReportId")} {number} by {p.GetValueOrDefault("UserId")}";
        }
        Assert.Equal(
        [
            $"submitted {id} r1 by {clerk}", $"returned {id} r1 by {reviewer}", $"submitted {id} r1 by {clerk}",
            $"approved {id} r1 by {reviewer}", $"published {id} v1 by {reviewer}", $"correction {id} r2 by {clerk}",
        ], logger.Events.Select(Describe));
        Assert.All(logger.Events, e => Assert.Equal(LogLevel.Information, e.Level));
    }
}
