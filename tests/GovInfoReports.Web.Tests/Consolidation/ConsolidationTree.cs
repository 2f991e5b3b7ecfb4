using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Consolidation;

/// <summary>
/// A small government of its own for one test, in the demo's 获嘉县 region (so its 汇总范围 reads 县政府…), stored directly:
/// the government with a draft 2021-format report of <see cref="Year"/>, and its units — 办公室 (published v1, then a
/// correction started whose draft changed apps.new.np to 100), 教育局 (approved, not published), a 镇 (published) whose own
/// unit 某办 (published) must never be summed again, 某局 (a draft) and 无报告局 (no report). Names carry a number unique
/// in the run. apps.new.np: 8 (办公室 v1) + 10 (教育局) + 20 (镇) = 38; the 某办's 1000 and the 某局's 500 never count.
/// </summary>
public sealed class ConsolidationTree
{
    private static int _trees;
    private static int _codes;

    public required int Year { get; init; }
    public required int GovernmentReport { get; init; }
    public required IReadOnlyDictionary<string, int> Agencies { get; init; }
    public required IReadOnlyDictionary<string, int> Reports { get; init; }
    public required string Suffix { get; init; }

    /// <summary>The unit's name as stored (with the tree's number).</summary>
    public string Name(string unit) => unit + Suffix;

    public const string Government = "汇总县人民政府", Office = "汇总县人民政府办公室", Education = "汇总县教育局", Town = "汇总县某镇人民政府",
        TownUnit = "汇总县某镇某办", DraftDepartment = "汇总县某局", NoReport = "汇总县无报告局";

    /// <summary>Every typed cell 0, then <paramref name="overrides"/>, with the template's totals computed.</summary>
    public static Dictionary<string, decimal> Values(ReportTemplate template, params (string Cell, decimal Value)[] overrides)
    {
        var values = template.Cells.Where(c => c.Enterable).ToDictionary(c => c.Id, _ => 0m, StringComparer.Ordinal);
        foreach (var (cell, value) in overrides) values[cell] = value;
        Domain.Rules.RuleEvaluator.ComputeTotals(template, values);
        return values;
    }

    public static async Task<ConsolidationTree> BuildAsync(AppFixture app)
    {
        var n = Interlocked.Increment(ref _trees);
        var suffix = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var year = AppFixture.UniqueYear();
        var t2021 = app.Templates.Get("2021")!;
        await using var db = app.Db();
        var region = await db.Regions.SingleAsync(r => r.Code == "410724");
        var agencies = new Dictionary<string, Agency>();
        Agency New(string name, AgencyKind kind, string? parent)
        {
            var code = UnifiedSocialCreditCode.Complete($"11410724MC{Interlocked.Increment(ref _codes):D7}");
            var agency = new Agency(code, name + suffix, kind, region, parent is null ? null : agencies[parent], mayMakeRules: false);
            agencies[name] = agency;
            db.Agencies.Add(agency);
            return agency;
        }
        New(Government, AgencyKind.Government, null);
        New(Office, AgencyKind.Department, Government);
        New(Education, AgencyKind.Department, Government);
        New(Town, AgencyKind.Township, Government);
        New(TownUnit, AgencyKind.Department, Town);
        New(DraftDepartment, AgencyKind.Department, Government);
        New(NoReport, AgencyKind.Department, Government);
        await db.SaveChangesAsync();

        var now = DateTimeOffset.UtcNow;
        var reports = new Dictionary<string, Report>();
        Report NewReport(string unit, ReportTemplate template, Dictionary<string, decimal> values)
        {
            var report = new Report(agencies[unit], year, template, now);
            foreach (var (cell, value) in values)
                report.SetCell(cell, value, now, null, template.CellsById[cell].Kind.Units.FirstOrDefault(u => u.Shift == 0)?.Code);
            reports[unit] = report;
            db.Reports.Add(report);
            return report;
        }
        NewReport(Government, t2021, Values(t2021, ("apps.new.np", 3m), ("apps.r1.np", 3m), ("a20_1.normative.in_force", 40m)));
        var office = NewReport(Office, t2021, Values(t2021, ("apps.new.np", 8m), ("apps.r1.np", 6m), ("apps.r2.np", 1m), ("apps.r3_7.np", 1m),
            ("a20_1.normative.issued", 6m), ("a20_1.normative.in_force", 23m), ("a20_8.fees.amount", 1.5m)));
        var education = NewReport(Education, t2021, Values(t2021, ("apps.new.np", 10m), ("apps.r1.np", 10m), ("a20_1.normative.issued", 2m),
            ("a20_1.normative.in_force", 11m), ("a20_8.fees.amount", 0.25m), ("lit.all.rv_keep", 1m)));
        var town = NewReport(Town, t2021, Values(t2021, ("apps.new.np", 20m), ("apps.r1.np", 20m), ("a20_1.normative.issued", 1m), ("lit.all.rv_keep", 2m)));
        var townUnit = NewReport(TownUnit, t2021, Values(t2021, ("apps.new.np", 1000m), ("apps.r1.np", 1000m)));
        NewReport(DraftDepartment, t2021, Values(t2021, ("apps.new.np", 500m), ("apps.r1.np", 500m)));
        await db.SaveChangesAsync();

        // The workflow's moves, without PDFs (the domain's own methods and a published version's snapshot).
        var later = now;
        foreach (var report in new[] { office, education, town, townUnit })
        {
            report.Submit("consolidation-clerk", later);
            report.Approve("consolidation-reviewer", later);
        }
        foreach (var report in new[] { office, town, townUnit })
        {
            var version = report.Publish("consolidation-reviewer", later);
            db.Snapshots.Add(ReportSnapshot.Of(report, SnapshotKind.Publication, version, "consolidation-reviewer", later));
        }
        await db.SaveChangesAsync();
        // The 办公室 starts a correction and changes its draft: only its published v1 counts.
        office.StartCorrection("consolidation-clerk", "更正表三。", later);
        office.SetCell("apps.new.np", 100m, later, "consolidation-clerk");
        await db.SaveChangesAsync();

        return new ConsolidationTree
        {
            Year = year,
            Suffix = suffix,
            GovernmentReport = reports[Government].Id,
            Agencies = agencies.ToDictionary(a => a.Key, a => a.Value.Id),
            Reports = reports.ToDictionary(r => r.Key, r => r.Value.Id),
        };
    }

    /// <summary>A clerk of the government (may edit its report) and a supervisor of it (reads, never edits), new users.</summary>
    public async Task<(HttpClient Clerk, HttpClient Reviewer, string ClerkName)> UsersAsync(AppFixture app)
    {
        var (clerk, clerkPassword) = await app.NewUserAsync("consolclerk", (AppRole.Clerk, Name(Government)));
        var (reviewer, reviewerPassword) = await app.NewUserAsync("consolreview", (AppRole.Supervisor, Name(Government)));
        return (await app.ClientAsync(clerk, clerkPassword), await app.ClientAsync(reviewer, reviewerPassword), clerk);
    }
}
