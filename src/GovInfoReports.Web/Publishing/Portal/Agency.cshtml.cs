using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Publishing;

/// <summary>An agency's published reports by year, with a year-over-year chart of its key figures.</summary>
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = PublicCache.Policy)]
public sealed class AgencyModel(AppDbContext db, PublicReports reports) : PageModel
{
    public sealed record YearRow(int Year, IReadOnlyList<(int Version, DateTimeOffset At, string? Note)> Versions);

    public Agency Agency { get; private set; } = null!;
    public IReadOnlyList<YearRow> Years { get; private set; } = [];
    public IReadOnlyList<KeyFigures> Figures { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string agencyCode, CancellationToken ct)
    {
        var agency = await db.Agencies.AsNoTracking().Include(a => a.Region).FirstOrDefaultAsync(a => a.Code == agencyCode, ct);
        if (agency is null) return NotFound();
        Agency = agency;
        var versions = await (from s in db.Snapshots.AsNoTracking()
                              where s.Kind == SnapshotKind.Publication
                              join r in db.Reports on s.ReportId equals r.Id
                              where r.AgencyId == agency.Id
                              select new { r.Year, s.Version, s.At, s.CorrectionNote }).ToListAsync(ct);
        Years = versions.GroupBy(v => v.Year).OrderByDescending(g => g.Key)
            .Select(g => new YearRow(g.Key, g.OrderBy(v => v.Version).Select(v => (Version: v.Version!.Value, v.At, Note: (string?)v.CorrectionNote)).ToList())).ToList();
        Figures = await reports.KeyFiguresAsync(agency.Id, ct);
        return Page();
    }
}
