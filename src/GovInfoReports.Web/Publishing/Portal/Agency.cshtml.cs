using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Publishing;

/// <summary>An agency's published reports by year, with a year-over-year chart of its key figures.</summary>
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = PublicCache.Policy)]
public sealed class AgencyModel(AppDbContext db, PublicReports reports, TemplateCatalog catalog) : PageModel
{
    /// <param name="Format">The name of the format the year's latest version is in (e.g. 2019年版年度报告格式（试行）).</param>
    public sealed record YearRow(int Year, string Format, IReadOnlyList<(int Version, DateTimeOffset At, string? Note)> Versions);

    public Agency Agency { get; private set; } = null!;
    public IReadOnlyList<YearRow> Years { get; private set; } = [];
    public IReadOnlyList<KeyFigures> Figures { get; private set; } = [];
    /// <summary>The words of the latest year's template for the chart's legend and the table's columns; a year whose own
    /// template words a figure otherwise shows its own word beside the number (<see cref="KeyFigures.Labels"/>).</summary>
    public IReadOnlyDictionary<string, string> FigureLabels => catalog.Get(Figures[^1].TemplateCode)!.Definition.KeyFigureLabels;

    /// <summary>Whether any year words a figure otherwise than the columns (a year of another format's vocabulary).</summary>
    public bool MixedWords => Figures.Any(f => FigureLabels.Keys.Any(k => KeyFigureChart.OtherWord(f, k, FigureLabels)));

    public async Task<IActionResult> OnGetAsync(string agencyCode, CancellationToken ct)
    {
        var agency = await db.Agencies.AsNoTracking().Include(a => a.Region).FirstOrDefaultAsync(a => a.Code == agencyCode, ct);
        if (agency is null) return NotFound();
        Agency = agency;
        var versions = await (from s in db.Snapshots.AsNoTracking()
                              where s.Kind == SnapshotKind.Publication
                              join r in db.Reports on s.ReportId equals r.Id
                              where r.AgencyId == agency.Id
                              select new { r.Year, s.Version, s.At, s.CorrectionNote, s.TemplateCode }).ToListAsync(ct);
        Years = versions.GroupBy(v => v.Year).OrderByDescending(g => g.Key)
            .Select(g => g.OrderBy(v => v.Version).ToList())
            .Select(g => new YearRow(g[0].Year, catalog.Get(g[^1].TemplateCode)?.Name ?? g[^1].TemplateCode,
                g.Select(v => (Version: v.Version!.Value, v.At, Note: (string?)v.CorrectionNote)).ToList())).ToList();
        Figures = await reports.KeyFiguresAsync(agency.Id, ct);
        return Page();
    }
}
