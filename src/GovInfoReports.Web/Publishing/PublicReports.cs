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

    public async Task<byte[]?> PdfAsync(long snapshotId, CancellationToken ct) =>
        await db.Snapshots.AsNoTracking().Where(s => s.Id == snapshotId).Select(s => s.Pdf).SingleOrDefaultAsync(ct);

    public Task<List<LatestEntry>> LatestAsync(int count, CancellationToken ct) =>
        (from s in db.Snapshots.AsNoTracking()
         where s.Kind == SnapshotKind.Publication
         join r in db.Reports on s.ReportId equals r.Id
         join a in db.Agencies on r.AgencyId equals a.Id
         orderby s.At descending
         select new LatestEntry(a.Code, a.Name, a.Region.Name, r.Year, s.Version!.Value, s.At))
        .Take(count).ToListAsync(ct);
}
