using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Consolidation;
using GovInfoReports.Web.Entry;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GovInfoReports.Web.Tests.Consolidation.ConsolidationTree;

namespace GovInfoReports.Web.Tests.Consolidation;

/// <summary>Issue 12 part 2 and its bad input, against real PostgreSQL: an override of a summed cell needs a 说明, a
/// unit is excluded only with a reason, units listed twice or in a cycle are flagged, and once the sums are accepted the
/// rules H1–H3 compare the report with the sums as they are now — so a unit's correction after the county published
/// raises a warning on the county's report and proposes a correction, while its published version stays as it was.</summary>
public sealed class ConsolidationRulesTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Issued = "a20_1.normative.issued"; // 6 (办公室 v1) + 2 (教育局) + 1 (镇) = 9

    private async Task<ReportState> StateAsync(int reportId)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ReportEditor>().LoadAsync(reportId, CancellationToken.None))!;
    }

    private async Task<ConsolidationResult> ConsolidateAsync(int reportId)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConsolidationReader>().ConsolidateAsync((await StateAsync(reportId)).Report, CancellationToken.None);
    }

    private async Task<decimal?> CellAsync(int reportId, string cellId)
    {
        await using var db = app.Db();
        return await db.ReportCells.Where(c => c.ReportId == reportId && c.CellId == cellId).Select(c => (decimal?)c.Value).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task An_override_needs_a_reason_keeps_what_was_typed_and_survives_accepting_the_sums_again()
    {
        var tree = await BuildAsync(app);
        var (clerk, _, _) = await tree.UsersAsync(app);
        var url = $"/entry/{tree.GovernmentReport}/consolidation";
        Assert.Contains("已采用汇总值", (await FormPage.ConfirmHandlerAsync(clerk, url, "Accept")).Text);
        Assert.Equal(9m, await CellAsync(tree.GovernmentReport, Issued));
        var form = $"tr[data-cell='{Issued}'] form[action*='handler=Override']";
        Assert.Equal("汇总值", (await FormPage.GetAsync(clerk, url)).Document.QuerySelector($"tr[data-cell='{Issued}'] span.mark")!.TextContent);

        // Without a 说明: refused next to the field, the typed value kept, nothing written.
        var refused = await (await FormPage.GetAsync(clerk, url)).PostAsync(clerk, url, new Dictionary<string, string> { ["Value"] = "6", ["Note"] = " " }, form, "Override");
        Assert.Contains("改写汇总值须写明说明", refused.Document.GetElementById($"n-{Issued}-error")!.TextContent);
        Assert.Equal("6", refused.Document.GetElementById($"v-{Issued}")!.GetAttribute("value"));
        Assert.NotNull(refused.Document.QuerySelector($"tr[data-cell='{Issued}'] details.override[open]"));
        Assert.Equal(9m, await CellAsync(tree.GovernmentReport, Issued));
        // A value that is no number: refused next to the value, the 说明 kept.
        var bad = await refused.PostAsync(clerk, url, new Dictionary<string, string> { ["Value"] = "六件", ["Note"] = "只计本级政府制发的文件" }, form, "Override");
        Assert.NotEmpty(bad.Document.GetElementById($"v-{Issued}-error")!.TextContent.Trim());
        Assert.Equal("只计本级政府制发的文件", bad.Document.GetElementById($"n-{Issued}")!.TextContent);

        var done = await bad.PostAsync(clerk, url, new Dictionary<string, string> { ["Value"] = "6", ["Note"] = "只计本级政府制发的文件，部门代拟的不重复计算" }, form, "Override");
        Assert.Contains("已改写该格", done.Text);
        Assert.Equal(6m, await CellAsync(tree.GovernmentReport, Issued));
        Assert.Equal("已改写", done.Document.QuerySelector($"tr[data-cell='{Issued}'] span.mark")!.TextContent);
        Assert.Contains("部门代拟的不重复计算", done.Document.QuerySelector($"tr[data-cell='{Issued}'] .override-note")!.TextContent);
        // The H1 warning stands, with the override's reason as its 说明 (so the report can be submitted).
        var state = await StateAsync(tree.GovernmentReport);
        var warning = Assert.Single(state.Violations, v => v.Key == ConsolidationResult.CellRuleKey(Issued));
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("本报告为6件，各单位汇总为9件", warning.Message);
        Assert.Contains(state.Report.Explanations, e => e.RuleKey == warning.Key && e.Text.Contains("部门代拟的不重复计算"));

        // Accepting the sums again keeps the override and says so.
        var again = await FormPage.ConfirmHandlerAsync(clerk, url, "Accept");
        Assert.Contains("1格保留了您改写的值及其说明", again.Text);
        Assert.Equal(6m, await CellAsync(tree.GovernmentReport, Issued));

        // 恢复汇总值: the sum back, the 说明 gone, no warning left.
        var restored = await FormPage.PostHandlerAsync(clerk, url, "Restore");
        Assert.Contains("已恢复汇总值", restored.Text);
        Assert.Equal(9m, await CellAsync(tree.GovernmentReport, Issued));
        state = await StateAsync(tree.GovernmentReport);
        Assert.DoesNotContain(state.Violations, v => v.RuleId == ConsolidationResult.SumRule);
        Assert.DoesNotContain(state.Report.Explanations, e => e.RuleKey.StartsWith("consolidation:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_unit_is_excluded_only_with_a_reason_and_is_then_left_out_of_the_sums_and_named_in_the_scope_text()
    {
        var tree = await BuildAsync(app);
        var (clerk, _, _) = await tree.UsersAsync(app);
        var url = $"/entry/{tree.GovernmentReport}/consolidation";
        var education = tree.Agencies[Education];
        var form = $"tr[data-agency='{education}'] form[action*='handler=Exclude']";

        var refused = await (await FormPage.GetAsync(clerk, url)).PostAsync(clerk, url, new Dictionary<string, string> { ["Reason"] = "" }, form, "Exclude");
        Assert.Contains("排除单位须写明理由", refused.Document.GetElementById($"reason-{education}-error")!.TextContent);
        Assert.True((await ConsolidateAsync(tree.GovernmentReport)).Units.Single(u => u.AgencyId == education).Counted);

        var done = await refused.PostAsync(clerk, url, new Dictionary<string, string> { ["Reason"] = "垂直管理单位，不属本级编制主体" }, form, "Exclude");
        Assert.Contains("该单位已排除", done.Text);
        var result = await ConsolidateAsync(tree.GovernmentReport);
        var unit = result.Units.Single(u => u.AgencyId == education);
        Assert.False(unit.Counted);
        Assert.False(unit.Missing); // excluded with a reason is not missing (no H2 for it)
        Assert.Equal("已排除：垂直管理单位，不属本级编制主体", unit.Reason);
        Assert.Equal(28m, result.Cells.Single(c => c.Cell.Id == "apps.new.np").Sum); // 38 − 教育局's 10
        Assert.Contains($"{tree.Name(Education)}，已排除：垂直管理单位，不属本级编制主体", result.UnitsCoveredText(500));
        Assert.Contains("已排除", done.Document.QuerySelector($"tr[data-agency='{education}']")!.TextContent);

        var included = await FormPage.PostHandlerAsync(clerk, url, "Include", new Dictionary<string, string> { ["AgencyId"] = education.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains("已恢复计入", included.Text);
        Assert.Equal(38m, (await ConsolidateAsync(tree.GovernmentReport)).Cells.Single(c => c.Cell.Id == "apps.new.np").Sum);
    }

    [Fact]
    public async Task A_unit_s_correction_after_the_county_published_warns_on_the_county_s_report_and_proposes_a_correction()
    {
        var tree = await BuildAsync(app);
        var (clerk, _, _) = await tree.UsersAsync(app);
        var url = $"/entry/{tree.GovernmentReport}/consolidation";
        // No consolidation rule runs before the sums were accepted.
        Assert.DoesNotContain((await StateAsync(tree.GovernmentReport)).Violations, v => v.Key.StartsWith("consolidation", StringComparison.Ordinal));
        await FormPage.ConfirmHandlerAsync(clerk, url, "Accept");

        // H2: the draft department and the department without a report are not counted.
        var missing = Assert.Single((await StateAsync(tree.GovernmentReport)).Violations, v => v.RuleId == ConsolidationResult.MissingRule);
        Assert.Contains("2个单位未计入", missing.Message);
        Assert.Contains(tree.Name(NoReport), missing.Message);

        // The county publishes (38 new applications), then the 办公室 publishes its correction (8 → 100).
        var later = DateTimeOffset.UtcNow;
        await using (var db = app.Db())
        {
            var county = await db.Reports.Include(r => r.Agency).Include(r => r.Cells).Include(r => r.Texts).SingleAsync(r => r.Id == tree.GovernmentReport);
            county.Submit("consolidation-clerk", later);
            county.Approve("consolidation-reviewer", later);
            db.Snapshots.Add(ReportSnapshot.Of(county, SnapshotKind.Publication, county.Publish("consolidation-reviewer", later), "consolidation-reviewer", later));
            await db.SaveChangesAsync();
        }
        Assert.DoesNotContain((await StateAsync(tree.GovernmentReport)).Violations, v => v.RuleId == ConsolidationResult.SumRule);
        await using (var db = app.Db())
        {
            var office = await db.Reports.Include(r => r.Agency).Include(r => r.Cells).Include(r => r.Texts).SingleAsync(r => r.Id == tree.Reports[Office]);
            office.Submit("consolidation-clerk", later);
            office.Approve("consolidation-reviewer", later);
            db.Snapshots.Add(ReportSnapshot.Of(office, SnapshotKind.Publication, office.Publish("consolidation-reviewer", later), "consolidation-reviewer", later));
            await db.SaveChangesAsync();
        }

        var state = await StateAsync(tree.GovernmentReport);
        var warning = Assert.Single(state.Violations, v => v.Key == ConsolidationResult.CellRuleKey("apps.new.np"));
        Assert.Contains("本报告为38件，各单位汇总为130件", warning.Message);
        Assert.Equal(["apps.new.np"], warning.Cells);
        // Nothing is recomputed in the published version.
        await using (var db = app.Db())
        {
            var published = await db.Snapshots.Include(s => s.Cells).SingleAsync(s => s.ReportId == tree.GovernmentReport && s.Kind == SnapshotKind.Publication);
            Assert.Equal(38m, published.CellValues()["apps.new.np"]);
        }
        Assert.Equal(38m, await CellAsync(tree.GovernmentReport, "apps.new.np"));

        // The county's clerk sees the change and a correction proposed; the sums cannot be taken into the published report.
        var overview = await FormPage.GetAsync(clerk, $"/entry/{tree.GovernmentReport}");
        var banner = overview.Document.GetElementById("consolidation-changed")!;
        Assert.Contains("建议更正本报告", banner.TextContent);
        Assert.Contains("各单位汇总为130件", banner.TextContent);
        Assert.Contains("全辖区汇总数据有变化", overview.Document.GetElementById("new-correction-note")!.TextContent);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<ConsolidationService>();
            var result = await scope.ServiceProvider.GetRequiredService<ConsolidationReader>().ConsolidateAsync(state.Report, CancellationToken.None);
            Assert.Contains("须先开始更正", await service.AcceptAsync(tree.GovernmentReport, result.Fingerprint(), "someone", CancellationToken.None));
        }
    }

    [Fact]
    public async Task Units_listed_twice_or_in_a_cycle_are_flagged_and_a_unit_in_a_cycle_never_counts()
    {
        var tree = await BuildAsync(app);
        var (clerk, _, _) = await tree.UsersAsync(app);
        var url = $"/entry/{tree.GovernmentReport}/consolidation";
        int twin;
        await using (var db = app.Db())
        {
            var government = await db.Agencies.Include(a => a.Region).SingleAsync(a => a.Id == tree.Agencies[Government]);
            var copy = new Agency(UnifiedSocialCreditCode.Complete($"11410724MD{tree.Agencies[Government]:D7}"), " " + tree.Name(Education), AgencyKind.Department,
                government.Region, government, mayMakeRules: false);
            db.Agencies.Add(copy);
            await db.SaveChangesAsync();
            twin = copy.Id;
        }
        var result = await ConsolidateAsync(tree.GovernmentReport);
        Assert.Equal([tree.Agencies[Education], twin], result.Units.Where(u => u.Duplicate).Select(u => u.AgencyId).Order());
        Assert.Contains(tree.Name(Education), (await FormPage.GetAsync(clerk, url)).Document.GetElementById("scope-duplicates")!.TextContent);
        await FormPage.ConfirmHandlerAsync(clerk, url, "Accept");
        Assert.Single((await StateAsync(tree.GovernmentReport)).Violations, v => v.RuleId == ConsolidationResult.DuplicateRule);

        // Excluding the second registration clears it.
        var form = $"tr[data-agency='{twin}'] form[action*='handler=Exclude']";
        await (await FormPage.GetAsync(clerk, url)).PostAsync(clerk, url, new Dictionary<string, string> { ["Reason"] = "重复登记" }, form, "Exclude");
        Assert.DoesNotContain((await ConsolidateAsync(tree.GovernmentReport)).Units, u => u.Duplicate);
        Assert.DoesNotContain((await StateAsync(tree.GovernmentReport)).Violations, v => v.RuleId == ConsolidationResult.DuplicateRule);

        // A cycle: the town made the county's parent. The town is flagged and no longer counted.
        await using (var db = app.Db())
            await db.Database.ExecuteSqlAsync($"UPDATE agencies SET parent_id = {tree.Agencies[Town]} WHERE id = {tree.Agencies[Government]}");
        var cycled = await ConsolidateAsync(tree.GovernmentReport);
        var town = cycled.Units.Single(u => u.AgencyId == tree.Agencies[Town]);
        Assert.True(town.InCycle);
        Assert.False(town.Counted);
        Assert.Contains("循环", town.Reason);
        Assert.Equal(18m, cycled.Cells.Single(c => c.Cell.Id == "apps.new.np").Sum); // 8 + 10, without the town's 20
        Assert.Contains(tree.Name(Town), (await FormPage.GetAsync(clerk, url)).Document.GetElementById("scope-cycle")!.TextContent);
    }
}
