using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Review;

/// <summary>Deadlines of agencies' reports: the statutory defaults with the regions' overrides (data).</summary>
public sealed class DeadlineService(AppDbContext db)
{
    private IReadOnlyList<DeadlineOverride>? _overrides;
    private IReadOnlyDictionary<int, Region>? _regions;

    public async Task<Deadline> ForAsync(Agency agency, int year, CancellationToken ct = default)
    {
        _overrides ??= await db.DeadlineOverrides.AsNoTracking().ToListAsync(ct);
        _regions ??= await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Id, ct);
        return Deadlines.For(agency, year, _overrides, _regions);
    }
}
