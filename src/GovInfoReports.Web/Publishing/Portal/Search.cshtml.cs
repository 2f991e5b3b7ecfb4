using GovInfoReports.Domain.Agencies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Publishing;

/// <summary>Public search (<c>/search?q=获嘉 2023&amp;year=&amp;region=&amp;kind=&amp;page=</c>): words and years in any
/// order, every one must match; filters by report year, region (and everything under it) and kind of agency.
/// A query over <see cref="SearchQuery.MaxLength"/> characters or an unknown filter value gets a message next to
/// the field, and nothing is searched.</summary>
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = PublicCache.Policy)]
public sealed class SearchModel(PublicSearch search) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "year")] public string? Year { get; set; }
    [BindProperty(SupportsGet = true, Name = "region")] public string? Region { get; set; }
    [BindProperty(SupportsGet = true, Name = "kind")] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public string? PageNumber { get; set; }

    public SearchResults? Results { get; private set; }
    public string? Message { get; private set; }
    public IReadOnlyList<int> Years { get; private set; } = [];
    public IReadOnlyList<(string Code, string Name, int Depth)> Regions { get; private set; } = [];
    public IReadOnlyList<string> Words { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        (Years, Regions) = await search.FilterChoicesAsync(ct);
        var text = (Q ?? "").Trim();
        if (text.Length > SearchQuery.MaxLength) { Message = $"关键词最多{SearchQuery.MaxLength}字，当前{text.Length}字"; return; }
        var query = SearchQuery.Parse(text);
        Words = query.Words;
        int? year = int.TryParse(Year, out var y) ? y : null;
        var region = string.IsNullOrWhiteSpace(Region) ? null : Region.Trim();
        AgencyKind? kind = Enum.TryParse<AgencyKind>(Kind, out var k) && Enum.IsDefined(k) ? k : null;
        if (region is not null && Regions.All(r => r.Code != region)) region = null;
        var filters = new SearchFilters(year, region, kind);
        if (query.IsEmpty && filters == SearchFilters.None) return;
        Results = await search.SearchAsync(query, filters, int.TryParse(PageNumber, out var p) ? p : 1, ct);
    }

    /// <summary>This search's link with another page number.</summary>
    public string PageLink(int page) => QueryHelpers(new Dictionary<string, string?> { ["q"] = Q, ["year"] = Year, ["region"] = Region, ["kind"] = Kind, ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private static string QueryHelpers(Dictionary<string, string?> values) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/search", values.Where(v => !string.IsNullOrEmpty(v.Value)));
}
