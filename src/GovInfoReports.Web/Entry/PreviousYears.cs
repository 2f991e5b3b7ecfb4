using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Entry;

/// <summary>
/// Finds last year's report of an agency for the cross-year rules (X1, X2, X3, X6; spec §9): its latest published
/// version when it has one (what the public read), else its current content with its totals (a report still being
/// written or reviewed: a prefill taken from it goes stale when it changes, and the same rules then say so). The
/// <see cref="PreviousYear.Description"/> tells the clerk which of the two the messages compare with.
/// </summary>
public sealed class PreviousYears(AppDbContext db, TemplateCatalog catalog)
{
    /// <summary>Last year's report of <paramref name="agencyId"/> as of now, or null when the agency has no report of
    /// <paramref name="year"/> − 1 (or its format is not loaded). Two queries; nothing is tracked.</summary>
    public async Task<PreviousYear?> FindAsync(int agencyId, int year, CancellationToken ct)
    {
        var prior = await db.Reports.AsNoTracking()
            .Where(r => r.AgencyId == agencyId && r.Year == year - 1)
            .Select(r => new { r.Id, r.TemplateCode, r.Status })
            .FirstOrDefaultAsync(ct);
        if (prior is null) return null;
        var published = await db.Snapshots.AsNoTracking()
            .Where(s => s.ReportId == prior.Id && s.Kind == SnapshotKind.Publication)
            .OrderByDescending(s => s.Version)
            .Select(s => new { s.Version, s.TemplateCode, Cells = s.Cells.Select(c => new { c.CellId, c.Value }).ToList() })
            .FirstOrDefaultAsync(ct);
        if (published is not null)
            return new PreviousYear(year - 1, published.TemplateCode,
                published.Cells.ToDictionary(c => c.CellId, c => c.Value, StringComparer.Ordinal),
                $"{year - 1}年度报告（已发布的第{published.Version}版）");
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
