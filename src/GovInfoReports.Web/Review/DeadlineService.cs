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
        await LoadAsync(ct);
        var template = catalog.ForYear(year) ?? throw new InvalidOperationException($"No template covers the report year {year}.");
        return Deadlines.For(regionId, kind, year, template, _overrides!, _regions!);
    }

    /// <summary>The deadline of <paramref name="year"/>'s report for every (region, kind) pair among the agencies
    /// <paramref name="agencyIds"/> (every agency when null): one row per pair, not per agency, so a subtree of 10,000
    /// units costs one DISTINCT query and a few hundred dictionary walks. Dashboards join the result in SQL
    /// (<see cref="DeadlineTable"/>).</summary>
    /// <exception cref="InvalidOperationException">No template covers <paramref name="year"/>.</exception>
    public async Task<DeadlineTable> TableAsync(IReadOnlyCollection<int>? agencyIds, int year, CancellationToken ct = default)
    {
        await LoadAsync(ct);
        var template = catalog.ForYear(year) ?? throw new InvalidOperationException($"No template covers the report year {year}.");
        var agencies = db.Agencies.AsNoTracking();
        if (agencyIds is not null) agencies = agencies.Where(a => agencyIds.Contains(a.Id));
        var pairs = await agencies.Select(a => new { a.RegionId, a.Kind }).Distinct().ToListAsync(ct);
        return new DeadlineTable(pairs.Select(p => new RegionKindDeadline(p.RegionId, p.Kind, Deadlines.For(p.RegionId, p.Kind, year, template, _overrides!, _regions!))).ToList());
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        _overrides ??= await db.DeadlineOverrides.AsNoTracking().ToListAsync(ct);
        _regions ??= await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Id, ct);
    }
}

/// <summary>The deadline shared by every agency of one kind in one region.</summary>
public sealed record RegionKindDeadline(int RegionId, AgencyKind Kind, Deadline Deadline);

/// <summary>Deadlines per (region, kind) as four parallel arrays, for SQL to join as
/// <c>unnest(@dl_region, @dl_kind, @dl_due, @dl_basis) AS d(region_id, kind, due, basis)</c> (kind as stored: the enum's
/// name; due: the Beijing date by which the report must be published).</summary>
public sealed record DeadlineTable(IReadOnlyList<RegionKindDeadline> Rows)
{
    /// <summary>The SQL that makes the table <c>d(region_id, kind, due, basis)</c> from <see cref="Parameters"/>.</summary>
    public const string Sql = "SELECT * FROM unnest(@dl_region, @dl_kind, @dl_due, @dl_basis) AS d(region_id, kind, due, basis)";

    /// <summary>The four typed array parameters <see cref="Sql"/> reads.</summary>
    public IEnumerable<Npgsql.NpgsqlParameter> Parameters() =>
    [
        new("dl_region", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Integer) { Value = Rows.Select(r => r.RegionId).ToArray() },
        new("dl_kind", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = Rows.Select(r => r.Kind.ToString()).ToArray() },
        new("dl_due", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Date) { Value = Rows.Select(r => r.Deadline.Date).ToArray() },
        new("dl_basis", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = Rows.Select(r => r.Deadline.Basis).ToArray() },
    ];
}
