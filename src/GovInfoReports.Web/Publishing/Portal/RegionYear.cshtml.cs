using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Publishing;

/// <summary>
/// The public regional view of a region and year (issue 12 part 4): every agency of the region and of every region below
/// it (a region column says where; a subordinate 人民政府's row is its own report, not its 全辖区 sum) with its published
/// key figures side by side, sorted on the server (?sort=…&amp;order=desc, so it works without script), paged
/// (<see cref="PageSize"/> rows), a bar chart of one figure (?chart=…), the completeness of publication, and the region's
/// 全辖区 report (its 人民政府) year over year. The CSV of the same table is /regions/{regionCode}/{year}.csv.
/// </summary>
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = PublicCache.Policy)]
public sealed class RegionYearModel(RegionalView view) : PageModel
{
    public const int PageSize = 200;

    public RegionalYear View { get; private set; } = null!;
    /// <summary>The rows of the current page, sorted.</summary>
    public IReadOnlyList<RegionalUnit> Rows { get; private set; } = [];
    public int RowCount { get; private set; }
    public string Sort { get; private set; } = "unit";
    public bool Descending { get; private set; }
    public string Chart { get; private set; } = "received";
    public int PageNumber { get; private set; } = 1;
    public int PageCount => Math.Max(1, (RowCount + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(string regionCode, int year, string? sort, string? order, string? chart, int? page, CancellationToken ct)
    {
        var read = await view.ReadAsync(regionCode, year, ct);
        if (read is null) return NotFound();
        View = read;
        Sort = sort is not null && RegionalView.SortKeys.ContainsKey(sort) ? sort : "unit";
        Descending = order == "desc";
        Chart = chart is not null && RegionalView.ChartFigures.Contains(chart) ? chart : "received";
        var sorted = RegionalView.Sorted(read.Units, Sort, Descending);
        RowCount = sorted.Count;
        PageNumber = Math.Clamp(page ?? 1, 1, PageCount);
        Rows = sorted.Skip((PageNumber - 1) * PageSize).Take(PageSize).ToList();
        return Page();
    }

    /// <summary>The deadlines that apply in the region this year, each with the kinds of unit it binds (a local rule may
    /// set one kind's date in one sub-region: it is then a line of its own).</summary>
    public IReadOnlyList<(Domain.Reports.Deadline Deadline, IReadOnlyList<Domain.Agencies.AgencyKind> Kinds)> Deadlines =>
        View.Units.GroupBy(u => u.Deadline).OrderBy(g => g.Key.Date)
            .Select(g => (g.Key, (IReadOnlyList<Domain.Agencies.AgencyKind>)g.Select(u => u.Kind).Distinct().Order().ToList())).ToList();

    /// <summary>This page's address with some of its query values changed (null: left out).</summary>
    public string Link(string? sort = null, bool? descending = null, string? chart = null, int? page = null)
    {
        var query = new List<string>();
        var s = sort ?? Sort;
        var d = descending ?? Descending;
        var c = chart ?? Chart;
        if (s != "unit") query.Add("sort=" + s);
        if (d) query.Add("order=desc");
        if (c != "received") query.Add("chart=" + c);
        if ((page ?? 1) > 1) query.Add("page=" + page);
        var path = $"/regions/{Uri.EscapeDataString(View.Region.Code)}/{View.Year}";
        return query.Count == 0 ? path : path + "?" + string.Join("&", query);
    }

    /// <summary>The link of a column head: sorts by it (figures largest first), or turns the order round when it is the sort.</summary>
    public string SortLink(string key) => Sort == key
        ? Link(sort: key, descending: !Descending)
        : Link(sort: key, descending: key is "received" or "disclosedShare" or "reviews" or "lawsuits");

    /// <summary>The words of a year-over-year table: those of its latest year's format (as the agency page), else
    /// <paramref name="fallback"/> when that format is not loaded.</summary>
    public static IReadOnlyDictionary<string, string> LabelsOf(KeyFigures latest, IReadOnlyDictionary<string, string> fallback) =>
        latest.Labels.Count > 0 ? latest.Labels : fallback;

    /// <summary>aria-sort of a column head.</summary>
    public string AriaSort(string key) => Sort != key ? "none" : Descending ? "descending" : "ascending";
}
