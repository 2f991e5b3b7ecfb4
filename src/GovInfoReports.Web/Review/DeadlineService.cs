using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Review;

/// <summary>Deadlines of agencies' reports: the statutory dates of the year's template with the regions'
/// overrides (both data).</summary>
public sealed class DeadlineService(AppDbContext db, TemplateCatalog catalog)
{
    private IReadOnlyList<DeadlineOverride>? _overrides;
    private IReadOnlyDictionary<int, Region>? _regions;

    public Task<Deadline> ForAsync(Agency agency, int year, CancellationToken ct = default) => ForAsync(agency.RegionId, agency.Kind, year, ct);

    /// <summary>The deadline of the report of <paramref name="year"/> of an agency of <paramref name="kind"/> in the region
    /// <paramref name="regionId"/> (Beijing date). Throws when no template covers the year.</summary>
    public async Task<Deadline> ForAsync(int regionId, AgencyKind kind, int year, CancellationToken ct = default)
    {
        _overrides ??= await db.DeadlineOverrides.AsNoTracking().ToListAsync(ct);
        _regions ??= await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Id, ct);
        var template = catalog.ForYear(year) ?? throw new InvalidOperationException($"No template covers the report year {year}.");
        return Deadlines.For(regionId, kind, year, template, _overrides, _regions);
    }
}
