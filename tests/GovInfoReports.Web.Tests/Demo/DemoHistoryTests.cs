using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Web.Demo;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Demo;

/// <summary>Issue 8 part 9: the demo county government's published history crosses the format boundary — a 2016
/// archive report in the pre-2019 free form, 2019 and 2020 in the 2019 format, 2021 on in the 2021 format — as one
/// carry-over chain, every year passing every rule of its template.</summary>
public sealed class DemoHistoryTests(PublishedAppFixture app) : IClassFixture<PublishedAppFixture>
{
    /// <summary>The latest publication of each year of 获嘉县人民政府, with its parts.</summary>
    private async Task<Dictionary<int, ReportSnapshot>> PublishedAsync()
    {
        await using var db = app.Db();
        var government = await db.Agencies.SingleAsync(a => a.Name == "获嘉县人民政府");
        var latest = await (from s in db.Snapshots
                            where s.Kind == SnapshotKind.Publication
                            join r in db.Reports on s.ReportId equals r.Id
                            where r.AgencyId == government.Id
                            group s by r.Year into g
                            select new { Year = g.Key, Id = g.OrderByDescending(s => s.Version).First().Id }).ToListAsync();
        var ids = latest.Select(l => l.Id).ToList();
        var snapshots = await db.Snapshots.AsNoTracking().Include(s => s.Cells).Include(s => s.Texts).Include(s => s.Pdf).AsSplitQuery()
            .Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id);
        return latest.ToDictionary(l => l.Year, l => snapshots[l.Id]);
    }

    [Fact]
    public async Task The_demo_publishes_2016_in_the_pre2019_form_2019_and_2020_in_the_2019_format_and_2021_on_in_the_2021_format()
    {
        var published = await PublishedAsync();
        Assert.Equal([2016, 2019, 2020, 2021, 2022, 2023, 2024], published.Keys.Order());
        Assert.Equal(["pre2019", "2019", "2019", "2021", "2021", "2021", "2021"], published.OrderBy(p => p.Key).Select(p => p.Value.TemplateCode));
        Assert.All(published.Values, s => Assert.Matches("^[0-9A-F]{64}$", s.PdfSha256!.ToUpperInvariant()));
        Assert.All(published.Values, s => Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(s.Pdf!.Bytes, 0, 4)));
    }

    [Fact]
    public async Task Every_published_demo_year_passes_every_rule_of_its_template_with_no_error_and_no_warning()
    {
        var published = await PublishedAsync();
        await using var db = app.Db();
        var government = await db.Agencies.SingleAsync(a => a.Name == "获嘉县人民政府");
        foreach (var (year, snapshot) in published)
        {
            var template = app.Templates.Get(snapshot.TemplateCode)!;
            // As printed: the stored totals are checked like the typed cells.
            var evaluation = RuleEvaluator.Evaluate(template, snapshot.CellValues(), government.RuleContext(), EvaluationMode.Printed, snapshot.TextValues());
            Assert.True(evaluation.Violations.Count == 0, $"{year}: {string.Join("; ", evaluation.Violations.Select(v => v.Message))}");
            Assert.Equal(template.Cells.Count(c => !c.NotApplicable), snapshot.Cells.Count);
        }
    }

    [Fact]
    public async Task The_2020_report_in_the_2019_format_carries_out_what_the_2021_report_carries_in()
    {
        var published = await PublishedAsync();
        var (last, next) = (published[2020].CellValues(), published[2021].CellValues());
        foreach (var column in new[] { "np", "biz", "res", "ngo", "law", "oth", "tot" })
            Assert.Equal(last[$"apps.carry_out.{column}"], next[$"apps.carry_in.{column}"]);
        Assert.True(last["apps.carry_out.tot"] > 0); // something does cross the boundary
        foreach (var year in new[] { 2019, 2021, 2022, 2023 })
            Assert.Equal(published[year].CellValues()["apps.carry_out.tot"], published[year + 1].CellValues()["apps.carry_in.tot"]);
    }

    [Fact]
    public async Task The_2019_format_years_carry_their_item_counts_over_with_a_fall_somewhere_and_2020_prints_its_procurement_in_yuan()
    {
        var published = await PublishedAsync();
        var (y2019, y2020) = (published[2019].CellValues(), published[2020].CellValues());
        Assert.Contains(y2019.Concat(y2020), c => c.Key.EndsWith(".change", StringComparison.Ordinal) && c.Value < 0);
        Assert.Equal(y2019["a20_5.licensing.prev"] + y2019["a20_5.licensing.change"], y2020["a20_5.licensing.prev"]);
        Assert.Equal("wanyuan", published[2019].CellUnits()["a20_9.procurement.amount"]);
        Assert.Equal("yuan", published[2020].CellUnits()["a20_9.procurement.amount"]);
        // Printed in 元 to the 分: stored in 万元 with more than 2 decimals, exact at 6.
        var amount = y2020["a20_9.procurement.amount"];
        Assert.Equal(amount, Math.Round(amount, 6));
        Assert.NotEqual(amount, Math.Round(amount, 2));
        Assert.All(new[] { published[2019], published[2020] }, s => Assert.Contains("条例", s.TextValues()["s1.active"]));
    }

    [Fact]
    public async Task The_2016_archive_report_keeps_the_six_customary_headings_and_a_key_figure_sheet_that_adds_up()
    {
        var archive = (await PublishedAsync())[2016];
        var parts = archive.Parts().Where(p => p.Heading is not null).ToList();
        Assert.Equal(["一、概述", "二、主动公开政府信息情况", "三、政府信息依申请公开情况", "四、政府信息公开收费及减免情况", "五、行政复议和行政诉讼情况", "六、存在的主要问题和改进措施"],
            parts.Select(p => p.Heading));
        Assert.All(parts, p => Assert.False(string.IsNullOrWhiteSpace(p.Text)));
        Assert.Contains("2016年1月1日", archive.TextValues()["s1.opening"]);
        var cells = archive.CellValues();
        Assert.Equal(23m, cells["k_apps.received.count"]);
        Assert.Equal(2m, cells["k_lit.review.total"]);
        Assert.Equal(0m, cells["k_fees.fees.amount"]); // printed as 0, not left blank
    }

    [Fact]
    public async Task Seeding_the_demo_again_with_its_history_publishes_nothing_new()
    {
        await using var db = app.Db();
        var before = await db.Snapshots.CountAsync();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None, publishHistory: true));
        Assert.Equal(before, await db.Snapshots.CountAsync());
    }
    [Fact]
    public async Task No_demo_report_states_a_number_in_its_narrative_that_disagrees_with_its_tables()
    {
        await using var db = app.Db();
        var reports = await db.Reports.AsNoTracking().Include(r => r.Cells).Include(r => r.Texts).AsSplitQuery().ToListAsync();
        Assert.NotEmpty(reports);
        Assert.Contains(reports, r => r.TextValues().Values.Any(t => t.Contains("收到", StringComparison.Ordinal)));
        foreach (var report in reports)
        {
            var template = app.Templates.Get(report.TemplateCode)!;
            var found = NarrativeNumbers.Check(template, report.TextValues(), RuleEvaluator.WithTotals(template, report.CellValues())).ToList();
            Assert.True(found.Count == 0, $"{report.Year} {report.TemplateCode}: {string.Join("; ", found.Select(v => v.Message))}");
        }
        foreach (var snapshot in (await PublishedAsync()).Values)
        {
            var template = app.Templates.Get(snapshot.TemplateCode)!;
            Assert.Empty(NarrativeNumbers.Check(template, snapshot.TextValues(), snapshot.CellValues()));
        }
    }

    /// <summary>Issue 12 part 6: 获嘉县人民政府's 2023 and 2024 全辖区 reports took the sums of its three units' published
    /// reports through 采用汇总值 (the acceptance recorded), each unit balancing and continuing its own previous year, and
    /// no consolidation rule finds anything.</summary>
    [Fact]
    public async Task The_2023_and_2024_county_reports_are_the_sums_of_their_units_published_reports()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var editor = scope.ServiceProvider.GetRequiredService<Web.Entry.ReportEditor>();
        var reader = scope.ServiceProvider.GetRequiredService<Web.Consolidation.ConsolidationReader>();
        await using var db = app.Db();
        var government = await db.Agencies.SingleAsync(a => a.Name == "获嘉县人民政府");
        foreach (var year in DemoSeeder.ConsolidatedYears)
        {
            var id = await db.Reports.Where(r => r.AgencyId == government.Id && r.Year == year).Select(r => r.Id).SingleAsync();
            Assert.True(await db.ConsolidationAcceptances.AnyAsync(a => a.ReportId == id));
            var state = (await editor.LoadAsync(id, CancellationToken.None))!;
            Assert.True(state.SumsAccepted);
            var result = await reader.ConsolidateAsync(state.Report, CancellationToken.None);
            Assert.Equal(["获嘉县太山镇人民政府", "获嘉县人民政府办公室", "获嘉县教育局"], result.Counted.Select(u => u.Name));
            Assert.All(result.Counted, u => Assert.Equal(ReportStatus.Published, u.Status));
            Assert.Empty(result.Missing);
            var values = state.Report.CellValues();
            Assert.All(result.Cells, c => Assert.Equal(c.Sum, values.TryGetValue(c.Cell.Id, out var v) ? v : null));
            Assert.True(result.Cells.Single(c => c.Cell.Id == "apps.new.np").Sum > 0);
            Assert.DoesNotContain(state.Violations, v => v.Key.StartsWith("consolidation", StringComparison.Ordinal));
            Assert.Equal("县政府及1个乡镇、2个县直部门", state.Report.Metadata.UnitsCovered);
            // Each unit's published report passes every rule of its template on its own.
            foreach (var unit in result.Counted)
            {
                var snapshot = await db.Snapshots.AsNoTracking().Include(s => s.Cells).Include(s => s.Texts).AsSplitQuery()
                    .SingleAsync(s => s.ReportId == unit.ReportId && s.Kind == SnapshotKind.Publication && s.Version == unit.CountedVersion);
                var agency = await db.Agencies.Include(a => a.Region).SingleAsync(a => a.Id == unit.AgencyId);
                var template = app.Templates.Get(snapshot.TemplateCode)!;
                var evaluation = RuleEvaluator.Evaluate(template, snapshot.CellValues(), agency.RuleContext(), EvaluationMode.Printed, snapshot.TextValues());
                Assert.True(evaluation.Violations.Count == 0, $"{unit.Name} {year}: {string.Join("; ", evaluation.Violations.Select(v => v.Message))}");
            }
        }
    }
}
