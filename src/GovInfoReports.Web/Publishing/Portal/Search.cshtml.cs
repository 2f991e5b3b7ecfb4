using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Publishing;

[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = PublicCache.Policy)]
public sealed class SearchModel(PublicReports reports) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    public IReadOnlyList<SearchHit> Hits { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = new string((Q ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (query.Length == 0) return;
        if (query.Length > 100) { Message = "关键词最多100字"; return; }
        Hits = await reports.SearchAsync(query, ct);
    }
}
