using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Publishing;

[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = PublicCache.Policy)]
public sealed class IndexModel(PublicReports reports) : PageModel
{
    public IReadOnlyList<LatestEntry> Latest { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Latest = await reports.LatestAsync(20, ct);
}
