using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Publishing;

/// <summary>Browse region → agency → year. Without a code: the top regions. A region lists its years with publications,
/// each a link to the regional view (<see cref="RegionYearModel"/>).</summary>
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = PublicCache.Policy)]
public sealed class RegionsModel(AppDbContext db, RegionalView regional) : PageModel
{
    public sealed record AgencyRow(string Code, string Name, IReadOnlyList<int> Years);

    public Region? Region { get; private set; }
    public IReadOnlyList<Region> Path { get; private set; } = [];
    public IReadOnlyList<Region> Children { get; private set; } = [];
    public IReadOnlyList<AgencyRow> Agencies { get; private set; } = [];
    /// <summary>The years with a publication anywhere in the region or below it, newest first: each links to the regional
    /// view of that year.</summary>
    public IReadOnlyList<int> Years { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? regionCode, CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Code).ToListAsync(ct);
        if (regionCode is not null)
        {
            Region = regions.FirstOrDefault(r => r.Code == regionCode);
            if (Region is null) return NotFound();
            var path = new List<Region>();
            for (var r = Region; r is not null; r = regions.FirstOrDefault(x => x.Id == r.ParentId)) path.Insert(0, r);
            Path = path;
        }
        Children = regions.Where(r => r.ParentId == Region?.Id).ToList();
        if (Region is not null)
        {
            var published = await (from s in db.Snapshots.AsNoTracking()
                                   where s.Kind == SnapshotKind.Publication
                                   join r in db.Reports on s.ReportId equals r.Id
                                   join a in db.Agencies on r.AgencyId equals a.Id
                                   where a.RegionId == Region.Id
                                   select new { a.Code, r.Year }).Distinct().ToListAsync(ct);
            Agencies = (await db.Agencies.AsNoTracking().Where(a => a.RegionId == Region.Id).OrderBy(a => a.Name).ToListAsync(ct))
                .Select(a => new AgencyRow(a.Code, a.Name, published.Where(p => p.Code == a.Code).Select(p => p.Year).OrderDescending().ToList()))
                .ToList();
            Years = await regional.PublishedYearsAsync(Region.Id, ct);
        }
        return Page();
    }
}
