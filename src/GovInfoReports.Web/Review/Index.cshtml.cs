using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Entry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Review;

/// <summary>A supervisor's subtree: first the reports waiting for the supervisor in every year
/// (<see cref="ReviewQueue"/>), then every agency × its report status for one year, with deadlines and overdue
/// flags. The year defaults to the most recent one with waiting reports, else the last completed year.</summary>
public sealed class IndexModel(AccessControl access, AppDbContext db, DeadlineService deadlines, ReviewQueue queue, TimeProvider clock) : PageModel
{
    public sealed record Row(Agency Agency, int? ReportId, ReportStatus? Status, Deadline Deadline, bool Overdue);

    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<int> Years { get; private set; } = [];
    /// <summary>Reports waiting for the supervisor (已提交, 已审核), of every year, newest year first.</summary>
    public IReadOnlyList<PendingReport> Pending { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var supervised = await access.SupervisedAgenciesAsync(ct);
        if (supervised.Count == 0) return Forbid();
        var now = clock.GetUtcNow();
        var thisYear = BeijingTime.Year(now);
        Years = await db.Reports.Where(r => supervised.Contains(r.AgencyId)).Select(r => r.Year).Distinct().OrderByDescending(y => y).ToListAsync(ct);
        if (!Years.Contains(thisYear - 1)) Years = Years.Append(thisYear - 1).OrderByDescending(y => y).ToList();
        Pending = await queue.PendingAsync(ct);
        if (Year is < 2000 or > 9998) Year = null; // a deadline falls in the following year, which must exist
        // The year with work waiting, not the calendar: a late 2022 report must not hide behind an empty 2024.
        var year = Year ??= Pending.Count > 0 ? Pending.Max(p => p.Year) : thisYear - 1;
        var agencies = await db.Agencies.AsNoTracking().Where(a => supervised.Contains(a.Id)).OrderBy(a => a.RegionId).ThenBy(a => a.Name).ToListAsync(ct);
        var reports = await db.Reports.AsNoTracking().Where(r => r.Year == year && supervised.Contains(r.AgencyId))
            .Select(r => new { r.Id, r.AgencyId, r.Status, r.FirstPublishedAt }).ToDictionaryAsync(r => r.AgencyId, ct);
        var rows = new List<Row>();
        foreach (var agency in agencies)
        {
            var report = reports.GetValueOrDefault(agency.Id);
            var deadline = await deadlines.ForAsync(agency, year, ct);
            rows.Add(new Row(agency, report?.Id, report?.Status, deadline, deadline.IsOverdue(report?.FirstPublishedAt ?? now)));
        }
        Rows = rows;
        return Page();
    }
}
