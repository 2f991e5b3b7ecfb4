using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Consolidation;
using GovInfoReports.Web.Entry;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GovInfoReports.Web.Tests.Consolidation.ConsolidationTree;

namespace GovInfoReports.Web.Tests.Consolidation;

/// <summary>A government's 全辖区 report consolidated from its units (template-spec §11), against real PostgreSQL: the
/// scope, the sums over the versions that count, the drill-down, a unit on another format, and 采用汇总值.</summary>
public sealed class ConsolidationTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<ConsolidationResult> ConsolidateAsync(int reportId)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var state = await scope.ServiceProvider.GetRequiredService<ReportEditor>().LoadAsync(reportId, CancellationToken.None);
        return await scope.ServiceProvider.GetRequiredService<ConsolidationReader>().ConsolidateAsync(state!.Report, CancellationToken.None);
    }

    private static decimal? Sum(ConsolidationResult result, string cellId) => result.Cells.Single(c => c.Cell.Id == cellId).Sum;

    [Fact]
    public async Task The_sums_are_those_of_the_counted_units_and_a_town_s_own_units_are_not_summed_again()
    {
        var tree = await BuildAsync(app);
        var result = await ConsolidateAsync(tree.GovernmentReport);

        // 办公室 v1 8 (its correction draft's 100 does not count) + 教育局 10 + 镇 20; not the 镇's 某办 (1000), not the draft (500).
        Assert.Equal(38m, Sum(result, "apps.new.np"));
        Assert.Equal(36m, Sum(result, "apps.r1.np"));
        Assert.Equal(1m, Sum(result, "apps.r2.np"));
        Assert.Equal(0m, Sum(result, "apps.r3_1.np"));
        Assert.Equal(9m, Sum(result, "a20_1.normative.issued"));
        Assert.Equal(1.75m, Sum(result, "a20_8.fees.amount"));
        Assert.Equal(3m, Sum(result, "lit.all.rv_keep"));
        // Stocks and computed totals are not summed.
        Assert.DoesNotContain(result.Cells, c => c.Cell.Id is "a20_1.normative.in_force" or "apps.new.tot" or "apps.r7.np" or "lit.all.rv_tot");

        var drill = result.Cells.Single(c => c.Cell.Id == "apps.new.np").Contributions;
        Assert.Equal(
            new[] { (tree.Name(Town), 20m), (tree.Name(Education), 10m), (tree.Name(Office), 8m) }.OrderBy(x => x.Item1, StringComparer.Ordinal),
            drill.Select(c => (c.Name, c.Value!.Value)).OrderBy(x => x.Name, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_draft_unit_and_a_unit_without_a_report_are_listed_as_missing_never_counted_as_zero()
    {
        var tree = await BuildAsync(app);
        var result = await ConsolidateAsync(tree.GovernmentReport);

        Assert.Equal(5, result.Units.Count); // the government's children only, never the 镇's own 某办
        Assert.DoesNotContain(result.Units, u => u.Name == tree.Name(TownUnit));
        var draft = result.Units.Single(u => u.Name == tree.Name(DraftDepartment));
        Assert.False(draft.Counted);
        Assert.Equal(ReportStatus.Draft, draft.Status);
        Assert.Equal("尚未审核通过", draft.Reason);
        var none = result.Units.Single(u => u.Name == tree.Name(NoReport));
        Assert.False(none.Counted);
        Assert.Null(none.ReportId);
        Assert.Equal("未填报", none.StatusText);
        Assert.Equal([tree.Name(NoReport), tree.Name(DraftDepartment)], result.Missing.Select(u => u.Name).Order(StringComparer.Ordinal));
        // The draft's 500 appears nowhere, not even as a 0 contribution.
        Assert.DoesNotContain(result.Cells.SelectMany(c => c.Contributions), c => c.AgencyId == draft.AgencyId || c.AgencyId == none.AgencyId);

        var office = result.Units.Single(u => u.Name == tree.Name(Office));
        Assert.True(office.Counted);
        Assert.Equal(1, office.CountedVersion);
        Assert.Contains("更正修订中", office.StatusText);
        var education = result.Units.Single(u => u.Name == tree.Name(Education));
        Assert.True(education.Counted);
        Assert.Null(education.CountedVersion);
        Assert.Null(education.PublishedOn);
        Assert.Equal("计入已审核通过的内容（尚未发布）", education.Reason);
        Assert.Equal(BeijingTime.Day(DateTimeOffset.UtcNow), result.Units.Single(u => u.Name == tree.Name(Town)).PublishedOn);
        Assert.Equal(AgencyKind.Township, result.Units[0].Kind); // 乡镇 before 部门
    }

    [Fact]
    public async Task A_unit_on_the_2019_format_contributes_only_the_cells_both_formats_share_and_the_rest_is_listed()
    {
        var tree = await BuildAsync(app);
        int unitId;
        await using (var db = app.Db())
        {
            var government = await db.Agencies.Include(a => a.Region).SingleAsync(a => a.Id == tree.Agencies[Government]);
            var unit = new Agency(UnifiedSocialCreditCode.Complete($"11410724MD{tree.Year:D7}"), "汇总县旧格式局" + tree.Suffix, AgencyKind.Department,
                government.Region, government, mayMakeRules: false);
            db.Agencies.Add(unit);
            var t2019 = app.Templates.Get("2019")!;
            var report = new Report(unit, tree.Year, t2019, DateTimeOffset.UtcNow);
            foreach (var (cell, value) in Values(t2019, ("apps.new.np", 4m), ("apps.r1.np", 3m), ("apps.r6.np", 1m), ("a20_5.licensing.decisions", 7m),
                         ("a20_5.licensing.prev", 50m), ("a20_9.procurement.amount", 2m)))
                report.SetCell(cell, value, DateTimeOffset.UtcNow, null, t2019.CellsById[cell].Kind.Units.Count > 0 ? "wanyuan" : null);
            db.Reports.Add(report);
            await db.SaveChangesAsync();
            report.Submit("consolidation-clerk", DateTimeOffset.UtcNow);
            report.Approve("consolidation-reviewer", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            unitId = unit.Id;
        }

        var result = await ConsolidateAsync(tree.GovernmentReport);

        Assert.Equal(42m, Sum(result, "apps.new.np"));            // 38 + the 2019 unit's 4: a cell both formats have
        Assert.Equal(7m, Sum(result, "a20_5.licensing.decisions"));
        Assert.Equal(0m, Sum(result, "apps.r6_1.np"));           // 2021 only: the 2019 unit gives nothing, the others 0
        var r6 = result.Cells.Single(c => c.Cell.Id == "apps.r6_1.np").Contributions.Single(c => c.AgencyId == unitId);
        Assert.Null(r6.Value);
        Assert.Equal("格式不含此格", r6.Note);
        var lacking = result.NotInFormat[unitId].Select(c => c.Id).ToList();
        Assert.Contains("apps.r6_1.np", lacking);
        Assert.Contains("a20_8.fees.amount", lacking);
        Assert.DoesNotContain("apps.new.np", lacking);
        Assert.Equal("2019", result.Units.Single(u => u.AgencyId == unitId).TemplateCode);
        Assert.DoesNotContain(result.NotInFormat.Keys, id => id != unitId); // the 2021 units lack nothing
    }

    [Fact]
    public async Task Accepting_the_sums_writes_every_summable_cell_as_an_audited_save_and_fills_the_scope_text()
    {
        var tree = await BuildAsync(app);
        var (clerk, _, clerkName) = await tree.UsersAsync(app);
        var url = $"/entry/{tree.GovernmentReport}/consolidation";
        Assert.NotNull((await FormPage.GetAsync(clerk, $"/entry/{tree.GovernmentReport}")).Document.QuerySelector($"a#consolidation-link[href='{url}']"));

        var answer = await FormPage.ConfirmHandlerAsync(clerk, url, "Accept");

        Assert.Contains("已采用汇总值", answer.Text);
        await using var db = app.Db();
        var report = await db.Reports.Include(r => r.Cells).SingleAsync(r => r.Id == tree.GovernmentReport);
        var cells = report.CellValues();
        Assert.Equal(38m, cells["apps.new.np"]);
        Assert.Equal(38m, cells["apps.new.tot"]);                  // recomputed from the written cells
        Assert.Equal(36m, cells["apps.r1.np"]);
        Assert.Equal(1.75m, cells["a20_8.fees.amount"]);
        Assert.Equal(40m, cells["a20_1.normative.in_force"]);       // a stock: the government's own figure stays
        Assert.Equal($"县政府及1个乡镇、2个县直部门（未计入：{tree.Name(NoReport)}，未填报；{tree.Name(DraftDepartment)}，尚未审核通过）",
            report.Metadata.UnitsCovered);
        var userId = await db.Users.Where(u => u.UserName == clerkName).Select(u => u.Id).SingleAsync();
        var audit = await db.AuditEntries.Where(a => a.ReportId == tree.GovernmentReport).ToListAsync();
        Assert.Contains(audit, a => a.Key == "apps.new.np" && a.OldValue == "3" && a.NewValue == "38" && a.UserId == userId);
        Assert.Contains(audit, a => a.Target == AuditTarget.Metadata && a.Key == "汇总范围" && a.UserId == userId);
        Assert.Contains("一致", (await FormPage.GetAsync(clerk, url)).Document.QuerySelector("tr[data-cell='apps.new.np'] td.diff")!.TextContent);
    }

    [Fact]
    public async Task An_unconfirmed_or_stale_accept_writes_nothing_and_says_why()
    {
        var tree = await BuildAsync(app);
        var (clerk, _, _) = await tree.UsersAsync(app);
        var url = $"/entry/{tree.GovernmentReport}/consolidation";
        const string form = "form[action*='handler=Accept']";

        var unconfirmed = await FormPage.PostHandlerAsync(clerk, url, "Accept");
        Assert.Contains("尚未采用", unconfirmed.Text);
        Assert.NotNull(unconfirmed.Document.QuerySelector("details#accept-confirm[open]"));

        // The page is drawn; then the draft department's report is approved: the sums the clerk saw are stale.
        var shown = await FormPage.GetAsync(clerk, url);
        await using (var db = app.Db())
        {
            var draft = await db.Reports.SingleAsync(r => r.Id == tree.Reports[DraftDepartment]);
            draft.Submit("consolidation-clerk", DateTimeOffset.UtcNow);
            draft.Approve("consolidation-reviewer", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        var stale = await shown.PostAsync(clerk, url, new Dictionary<string, string> { ["Confirmed"] = "true" }, form, "Accept");
        Assert.Contains("汇总数据在您打开页面后有变化", stale.Text);
        Assert.Equal(3m, await NewApplicationsAsync());

        // Accepting what the page now shows writes the new sum: 38 + the approved department's 500.
        Assert.Contains("已采用汇总值", (await FormPage.ConfirmHandlerAsync(clerk, url, "Accept")).Text);
        Assert.Equal(538m, await NewApplicationsAsync());

        async Task<decimal> NewApplicationsAsync()
        {
            await using var db = app.Db();
            return await db.ReportCells.Where(c => c.ReportId == tree.GovernmentReport && c.CellId == "apps.new.np").Select(c => c.Value).SingleAsync();
        }
    }

    [Fact]
    public async Task Only_a_government_s_report_has_the_page_and_its_reviewer_only_reads_it()
    {
        var tree = await BuildAsync(app);
        var (departmentClerk, password) = await app.NewUserAsync("consoldept", (AppRole.Clerk, tree.Name(Education)));
        var department = await app.ClientAsync(departmentClerk, password);
        Assert.Equal(System.Net.HttpStatusCode.NotFound,
            (await department.GetAsync($"/entry/{tree.Reports[Education]}/consolidation")).StatusCode);
        Assert.Null((await FormPage.GetAsync(department, $"/entry/{tree.Reports[Education]}")).Document.QuerySelector("#consolidation-link"));

        var (_, reviewer, _) = await tree.UsersAsync(app);
        var page = await FormPage.GetAsync(reviewer, $"/entry/{tree.GovernmentReport}/consolidation");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.Response.StatusCode);
        Assert.Null(page.Document.QuerySelector("#accept-form"));
        Assert.Contains("采用汇总值由本报告的填报员操作", page.Document.QuerySelector("#read-only")!.TextContent);
        Assert.Equal(5, page.Document.QuerySelectorAll("#scope tbody tr").Length);
        Assert.Contains("38", page.Document.QuerySelector("tr[data-cell='apps.new.np'] td.sum")!.TextContent);
    }
}
