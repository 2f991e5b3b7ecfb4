using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Publishing;

public sealed record PublishedVersion(long SnapshotId, int Version, DateTimeOffset PublishedAt, string? CorrectionNote, string? PdfSha256);

public sealed record PublishedReport(Agency Agency, int Year, int ReportId, ReportSnapshot Snapshot, ReportTemplate Template, IReadOnlyList<PublishedVersion> Versions)
{
    public ReportDocument Document => ReportDocument.Of(Snapshot, Agency, Year, Template);
    public string Permalink => $"/reports/{Agency.Code}/{Year}";
    public string VersionLink => $"{Permalink}/v{Snapshot.Version}";
    public bool IsLatest => Snapshot.Version == Versions[^1].Version;
}

/// <summary>One year's key figures (件; the share 0–1) read with that year's own template: <see cref="Labels"/> are its
/// words (keyFigureLabels, e.g. a pre-2019 report's 申请总数 where the 2019 and 2021 formats say 收到申请). A figure is
/// null when the year's template has no such figure or its report did not state one of its cells (a pre-2019 report's
/// key-figure sheet is optional): never 0, never another format's number.</summary>
public sealed record KeyFigures(int Year, int Version, string TemplateCode, decimal? Received, decimal? DisclosedShare, decimal? Reviews,
    decimal? Lawsuits, IReadOnlyDictionary<string, string> Labels);

public sealed record LatestEntry(string AgencyCode, string AgencyName, string RegionName, int Year, int Version, DateTimeOffset PublishedAt);

/// <summary>What the public may read: only published versions (Publication snapshots), never a draft,
/// a returned or an approved-but-unpublished report.</summary>
public sealed class PublicReports(AppDbContext db, TemplateCatalog catalog)
{
    public async Task<PublishedReport?> FindAsync(string agencyCode, int year, int? version, CancellationToken ct)
    {
        var agency = await db.Agencies.AsNoTracking().Include(a => a.Region).FirstOrDefaultAsync(a => a.Code == agencyCode, ct);
        if (agency is null) return null;
        var reportId = await db.Reports.Where(r => r.AgencyId == agency.Id && r.Year == year).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
        if (reportId is not { } id) return null;
        var versions = await db.Snapshots.AsNoTracking()
            .Where(s => s.ReportId == id && s.Kind == SnapshotKind.Publication)
            .OrderBy(s => s.Version)
            .Select(s => new PublishedVersion(s.Id, s.Version!.Value, s.At, s.CorrectionNote, s.PdfSha256))
            .ToListAsync(ct);
        if (versions.Count == 0) return null;
        var chosen = version is { } v ? versions.FirstOrDefault(x => x.Version == v) : versions[^1];
        if (chosen is null) return null;
        var snapshot = await db.Snapshots.AsNoTracking().Include(s => s.Cells).Include(s => s.Texts).AsSplitQuery()
            .SingleAsync(s => s.Id == chosen.SnapshotId, ct);
        var template = catalog.Get(snapshot.TemplateCode) ?? throw new InvalidOperationException($"Template {snapshot.TemplateCode} is not loaded.");
        return new PublishedReport(agency, year, id, snapshot, template, versions);
    }

    /// <summary>The latest version of every report of a year that has been published, for the bulk CSV.</summary>
    public async Task<IReadOnlyList<PublishedReport>> AllOfYearAsync(int year, CancellationToken ct)
    {
        var keys = await (from s in db.Snapshots
                          where s.Kind == SnapshotKind.Publication
                          join r in db.Reports on s.ReportId equals r.Id
                          where r.Year == year
                          join a in db.Agencies on r.AgencyId equals a.Id
                          select a.Code).Distinct().OrderBy(c => c).ToListAsync(ct);
        var result = new List<PublishedReport>();
        foreach (var code in keys)
            if (await FindAsync(code, year, null, ct) is { } report) result.Add(report);
        return result;
    }

    public async Task<byte[]?> PdfAsync(long snapshotId, CancellationToken ct) =>
        await db.Set<SnapshotPdf>().AsNoTracking().Where(p => p.SnapshotId == snapshotId).Select(p => p.Bytes).SingleOrDefaultAsync(ct);

    /// <summary>Key figures of every published year of an agency (latest version of each year), for its chart;
    /// which cells make each figure is template data (keyFigures).</summary>
    public async Task<IReadOnlyList<KeyFigures>> KeyFiguresAsync(int agencyId, CancellationToken ct)
    {
        var latest = await db.Snapshots.AsNoTracking()
            .Where(s => s.Kind == SnapshotKind.Publication && db.Reports.Any(r => r.Id == s.ReportId && r.AgencyId == agencyId))
            .GroupBy(s => s.ReportId).Select(g => g.OrderByDescending(s => s.Version).First().Id).ToListAsync(ct);
        var rows = await (from s in db.Snapshots.AsNoTracking()
                          where latest.Contains(s.Id)
                          join r in db.Reports on s.ReportId equals r.Id
                          select new { r.Year, s.Version, s.TemplateCode, Cells = s.Cells.Select(c => new { c.CellId, c.Value }).ToList() })
                         .ToListAsync(ct);
        return rows.OrderBy(r => r.Year).Select(r =>
        {
            var definition = catalog.Get(r.TemplateCode)?.Definition;
            var figures = definition?.KeyFigures ?? [];
            var v = r.Cells.ToDictionary(c => c.CellId, c => c.Value);
            // A blank cell is "not stated", not 0: the figure is then unknown rather than understated.
            decimal? Sum(string figure) => figures.GetValueOrDefault(figure) is { Count: > 0 } ids && ids.All(v.ContainsKey) ? ids.Sum(id => v[id]) : null;
            var (handled, disclosed) = (Sum("handled"), Sum("disclosed"));
            return new KeyFigures(r.Year, r.Version!.Value, r.TemplateCode, Sum("received"), handled is null or 0 ? null : disclosed / handled,
                Sum("reviews"), Sum("lawsuits"), definition?.KeyFigureLabels ?? new Dictionary<string, string>());
        }).ToList();
    }

    public Task<List<LatestEntry>> LatestAsync(int count, CancellationToken ct) =>
        (from s in db.Snapshots.AsNoTracking()
         where s.Kind == SnapshotKind.Publication
         join r in db.Reports on s.ReportId equals r.Id
         join a in db.Agencies on r.AgencyId equals a.Id
         orderby s.At descending
         select new LatestEntry(a.Code, a.Name, a.Region.Name, r.Year, s.Version!.Value, s.At))
        .Take(count).ToListAsync(ct);
}
