using GovInfoReports.Web.Publishing;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Pages;

[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = GovInfoReports.Web.Hosting.PublicCache.Policy)]
public sealed class IndexModel(PublicReports reports) : PageModel
{
    public IReadOnlyList<LatestEntry> Latest { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Latest = await reports.LatestAsync(20, ct);
}
