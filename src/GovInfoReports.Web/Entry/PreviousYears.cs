using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace GovInfoReports.Web.Entry;

/// <summary>
/// Finds last year's report of an agency for the cross-year rules (X1, X2, X3, X6; spec §9): its latest published
/// version when it has one (what the public read), else its current content with its totals (a report still being
/// written or reviewed: a prefill taken from it goes stale when it changes, and the same rules then say so). The
/// <see cref="PreviousYear.Description"/> tells the clerk which of the two the messages compare with.
/// </summary>
public sealed class PreviousYears(AppDbContext db, TemplateCatalog catalog, PublishedCells published)
{
    /// <summary>Last year's report of <paramref name="agencyId"/> as of now, or null when the agency has no report of
    /// <paramref name="year"/> − 1 (or its format is not loaded). One query when last year's report is published and its
    /// version's cells are in <see cref="PublishedCells"/>, two otherwise; nothing is tracked.</summary>
    public async Task<PreviousYear?> FindAsync(int agencyId, int year, CancellationToken ct)
    {
        var prior = await db.Reports.AsNoTracking()
            .Where(r => r.AgencyId == agencyId && r.Year == year - 1)
            .Select(r => new
            {
                r.Id, r.TemplateCode, r.Status,
                Published = db.Snapshots.Where(s => s.ReportId == r.Id && s.Kind == SnapshotKind.Publication)
                    .OrderByDescending(s => s.Version).Select(s => new { s.Id, s.Version, s.TemplateCode }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (prior is null) return null;
        if (prior.Published is { } version)
            return new PreviousYear(year - 1, version.TemplateCode, await published.GetAsync(db, version.Id, catalog.Get(version.TemplateCode), ct),
                $"{year - 1}年度报告（已发布的第{version.Version}版）");
        if (catalog.Get(prior.TemplateCode) is not { } template) return null;
        var cells = await db.ReportCells.AsNoTracking().Where(c => c.ReportId == prior.Id)
            .Select(c => new { c.CellId, c.Value }).ToListAsync(ct);
        // Totals are stored with the cells on every save; computing them again also covers rows written before that.
        var values = RuleEvaluator.WithTotals(template,
            cells.Where(c => template.CellsById.TryGetValue(c.CellId, out var cell) && !cell.Computed).ToDictionary(c => c.CellId, c => c.Value, StringComparer.Ordinal));
        return new PreviousYear(year - 1, prior.TemplateCode, values,
            $"{year - 1}年度报告（当前内容，{Report.StatusName(prior.Status)}，尚未发布）");
    }
}

/// <summary>
/// The cells of published versions (cell id → value, 万元 for money), kept in memory by snapshot id: a published version
/// never changes (a correction is a new snapshot with a new id), so an entry is never stale. Every page of a report
/// whose last year is published reads them for the cross-year rules. Bounded to <see cref="CellLimit"/> cells in all
/// (~200 a report, ~8 KB), least recently used first out. A singleton; safe for concurrent use.
/// </summary>
public sealed class PublishedCells : IDisposable
{
    /// <summary>How many cells the cache holds at most, over all versions (about 5,000 reports).</summary>
    public const int CellLimit = 1_000_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CellLimit });

    /// <summary>The cells of snapshot <paramref name="snapshotId"/> (empty when it has none or does not exist), read from
    /// the database through <paramref name="db"/> on a miss. Cell ids of <paramref name="template"/> (the version's, when
    /// loaded) are kept as the template's own strings, so entries share them.</summary>
    public async Task<IReadOnlyDictionary<string, decimal>> GetAsync(AppDbContext db, long snapshotId, ReportTemplate? template, CancellationToken ct)
    {
        if (_cache.TryGetValue(snapshotId, out IReadOnlyDictionary<string, decimal>? known) && known is not null) return known;
        var rows = await db.Snapshots.AsNoTracking().Where(s => s.Id == snapshotId)
            .SelectMany(s => s.Cells).Select(c => new { c.CellId, c.Value }).ToListAsync(ct);
        var cells = rows.ToDictionary(c => template is not null && template.CellsById.TryGetValue(c.CellId, out var cell) ? cell.Id : c.CellId,
            c => c.Value, StringComparer.Ordinal);
        _cache.Set(snapshotId, (IReadOnlyDictionary<string, decimal>)cells,
            new MemoryCacheEntryOptions { Size = Math.Max(1, cells.Count) });
        return cells;
    }

    public void Dispose() => _cache.Dispose();
}
