using System.Linq.Expressions;
using System.Text.RegularExpressions;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace GovInfoReports.Web.Publishing;

/// <summary>
/// A public search as typed: <c>获嘉 2023</c>, <c>获嘉县人民政府2024年</c>, <c>信息处理费</c>. Terms are split at
/// spaces and where digits meet other characters; a four-digit number from 2000 to 2100 (with an optional 年 or 年度)
/// is a report year, anything else is a word. Both may come in any order; every term must match.
/// </summary>
/// <param name="Years">Report years the query names (more than one different year matches nothing).</param>
/// <param name="Words">Words, each matched against the agency's name (and its short form), its region and the
/// regions above, and the published title and text.</param>
public sealed partial record SearchQuery(IReadOnlyList<int> Years, IReadOnlyList<string> Words)
{
    /// <summary>The longest query accepted, in characters.</summary>
    public const int MaxLength = 100;

    public bool IsEmpty => Years.Count == 0 && Words.Count == 0;

    /// <summary>Reads a typed query (control characters dropped). Never throws; an empty text gives an empty query.</summary>
    public static SearchQuery Parse(string? text)
    {
        var years = new List<int>();
        var words = new List<string>();
        var clean = new string((text ?? "").Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        foreach (Match m in Term().Matches(clean))
        {
            var term = m.Value;
            var year = YearTerm().Match(term);
            if (year.Success && int.Parse(year.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var y and >= 2000 and <= 2100)
            {
                if (!years.Contains(y)) years.Add(y);
            }
            else if (!words.Contains(term, StringComparer.OrdinalIgnoreCase)) words.Add(term);
        }
        return new SearchQuery(years, words);
    }

    // A run of digits (with a following 年/年度, which belongs to a year), or a run of anything else but spaces and digits.
    [GeneratedRegex(@"\d+(?:年度|年)?|[^\s\d]+")]
    private static partial Regex Term();

    [GeneratedRegex(@"^(\d{4})(?:年度|年)?$")]
    private static partial Regex YearTerm();
}

/// <summary>The filters beside the search box: report year, region (its code; the region and every region under
/// it), and kind of agency. Null means any.</summary>
public sealed record SearchFilters(int? Year, string? RegionCode, AgencyKind? Kind)
{
    public static readonly SearchFilters None = new(null, null, null);
}

/// <summary>One published report found (its latest version), with a piece of its text around the first word found
/// there, cut into plain and matching segments (the page marks the matches; nothing is raw HTML).</summary>
public sealed record SearchHit(string AgencyCode, string AgencyName, string RegionName, AgencyKind Kind, int Year, int Version,
    string Title, IReadOnlyList<SnippetSegment> Snippet);

/// <summary>A piece of a snippet; <paramref name="IsMatch"/> for a searched word.</summary>
public sealed record SnippetSegment(string Text, bool IsMatch);

/// <summary>A page of results: how many reports match in all, the page (1-based) and its size, and this page's hits
/// (newest year first, then agency name).</summary>
public sealed record SearchResults(int Total, int Page, int PageSize, IReadOnlyList<SearchHit> Hits);

/// <summary>
/// Public search over the latest published version of every report. PostgreSQL's full-text search does not split
/// Chinese, so each word is an ILIKE served by the pg_trgm indexes (agency name, title, text); the agency name is
/// also compared in its short form (<see cref="AgencyNames"/>), and regions by name with everything under them.
/// </summary>
public sealed class PublicSearch(AppDbContext db)
{
    /// <summary>Reports per page.</summary>
    public const int PageSize = 20;

    /// <summary>Characters of text kept on each side of the first match in a snippet.</summary>
    private const int SnippetContext = 40;

    /// <summary>One row of the search: a latest published version, its report and its agency (a class with
    /// settable members, so that EF can translate filters written against it).</summary>
    private sealed class Row
    {
        public required ReportSnapshot S { get; init; }
        public required Report R { get; init; }
        public required Agency A { get; init; }
    }

    /// <summary>The reports matching every term of <paramref name="query"/> and the filters, page
    /// <paramref name="page"/> (1-based; past the end gives no hits). An empty query with no filter finds nothing.</summary>
    public async Task<SearchResults> SearchAsync(SearchQuery query, SearchFilters filters, int page, CancellationToken ct)
    {
        page = Math.Max(1, page);
        if (query.IsEmpty && filters == SearchFilters.None) return new SearchResults(0, page, PageSize, []);

        var regions = await RegionsAsync(ct);

        var rows = from s in db.Snapshots.AsNoTracking()
                   join r in db.Reports on s.ReportId equals r.Id
                   join a in db.Agencies on r.AgencyId equals a.Id
                   where s.Kind == SnapshotKind.Publication && s.Version == r.PublishedVersions
                   select new Row { S = s, R = r, A = a };

        foreach (var year in query.Years) rows = rows.Where(x => x.R.Year == year);
        if (filters.Year is { } y) rows = rows.Where(x => x.R.Year == y);
        if (filters.Kind is { } kind) rows = rows.Where(x => x.A.Kind == kind);
        if (filters.RegionCode is { } code)
        {
            var under = regions.Subtree(code);
            rows = rows.Where(x => under.Contains(x.A.RegionId));
        }
        foreach (var word in query.Words)
        {
            // A region or any region above it — "新乡" finds the reports of the counties of 新乡市.
            var regionIds = regions.All.Where(r => regions.Lineage(r.Id).Any(l => l.Name.Contains(word, StringComparison.OrdinalIgnoreCase)))
                .Select(r => r.Id).ToList();
            rows = rows.Where(WordMatches(word, regionIds));
        }

        // One pass over the matches (the words' scans are the cost): every match's key and order, then the page.
        var matches = await rows.Select(x => new { SnapshotId = x.S.Id, x.R.Year, x.A.Name }).ToListAsync(ct);
        var pageIds = matches.OrderByDescending(m => m.Year).ThenBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.SnapshotId)
            .Skip((page - 1) * PageSize).Take(PageSize).Select(m => m.SnapshotId).ToList();
        var details = await (from s in db.Snapshots.AsNoTracking()
                             where pageIds.Contains(s.Id)
                             join r in db.Reports on s.ReportId equals r.Id
                             join a in db.Agencies on r.AgencyId equals a.Id
                             select new { SnapshotId = s.Id, a.Code, a.Name, a.RegionId, a.Kind, r.Year, Version = s.Version!.Value, s.Metadata.Title })
                            .ToDictionaryAsync(d => d.SnapshotId, ct);
        var found = pageIds.Select(id => details[id]).ToList();
        var total = matches.Count;

        var snippets = await SnippetsAsync(found.Select(f => f.SnapshotId).ToList(), query.Words, ct);
        var hits = found.Select(f => new SearchHit(f.Code, f.Name, regions.Find(f.RegionId)?.Name ?? "", f.Kind,
            f.Year, f.Version, f.Title, snippets.GetValueOrDefault(f.SnapshotId) ?? [])).ToList();
        return new SearchResults(total, page, PageSize, hits);
    }

    private RegionTree? _regions;

    /// <summary>The regions, loaded once per request (the search page asks for results and for the filters' choices).</summary>
    private async Task<RegionTree> RegionsAsync(CancellationToken ct) =>
        _regions ??= new RegionTree(await db.Regions.AsNoTracking().ToListAsync(ct));

    /// <summary>The years and regions (with the regions above them) that have a published report: the filters' choices.</summary>
    public async Task<(IReadOnlyList<int> Years, IReadOnlyList<(string Code, string Name, int Depth)> Regions)> FilterChoicesAsync(CancellationToken ct)
    {
        var published = await (from s in db.Snapshots.AsNoTracking()
                               where s.Kind == SnapshotKind.Publication
                               join r in db.Reports on s.ReportId equals r.Id
                               join a in db.Agencies on r.AgencyId equals a.Id
                               select new { r.Year, a.RegionId }).Distinct().ToListAsync(ct);
        var regions = await RegionsAsync(ct);
        var used = published.Select(p => p.RegionId).Distinct().SelectMany(regions.Lineage).Select(r => r.Id).ToHashSet();
        // Depth-first, so each region is listed under the one above it.
        var ordered = regions.DepthFirst(r => used.Contains(r.Id)).Select(x => (x.Region.Code, x.Region.Name, x.Depth)).ToList();
        return (published.Select(p => p.Year).Distinct().OrderDescending().ToList(), ordered);
    }

    /// <summary>x ⇒ the word is in the agency's name (as written, or both in short form), in its region or a region
    /// above (<paramref name="regionIds"/>), in the published agency name or title, or in a part of the text.</summary>
    private static Expression<Func<Row, bool>> WordMatches(string word, List<int> regionIds)
    {
        var contains = Contains(word);
        var containsShort = Contains(AgencyNames.Shorten(word));
        Expression<Func<SnapshotText, string>> text = t => t.Text;
        var textMatches = Expression.Lambda<Func<SnapshotText, bool>>(Apply(contains, text.Body), text.Parameters);
        Expression<Func<Row, bool>> inRegionOrText = x => regionIds.Contains(x.A.RegionId) || x.S.Texts.AsQueryable().Any(textMatches);
        var x = inRegionOrText.Parameters[0];
        Expression<Func<Row, string>> name = r => r.A.Name, published = r => r.S.AgencyName, title = r => r.S.Metadata.Title;
        // The agency name in short form: AgencyNames.ShortForms as nested SQL replace() calls.
        var replace = typeof(string).GetMethod(nameof(string.Replace), [typeof(string), typeof(string)])!;
        Expression shortName = Apply(name, x);
        foreach (var (full, @short) in AgencyNames.ShortForms)
            shortName = Expression.Call(shortName, replace, Expression.Constant(full), Expression.Constant(@short));
        // Cheapest first (PostgreSQL evaluates an OR in order): names and title, then region and text; the short form
        // (ten nested replace() calls per agency) only where it can add a match: when the word shares a character
        // with a short form, e.g. 政府 or 办 (依申请公开 never meets one).
        var branches = new List<Expression>
        {
            Apply(contains, Apply(name, x)), Apply(contains, Apply(published, x)), Apply(contains, Apply(title, x)), inRegionOrText.Body,
        };
        if (word.Any(ch => AgencyNames.ShortForms.Any(f => f.Short.Contains(ch))))
            branches.Add(Apply(containsShort, shortName));
        var body = branches.Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<Row, bool>>(body, x);
    }

    /// <summary>s ⇒ s contains the word. A word without upper/lower case (Chinese, digits) is a plain LIKE: ILIKE would
    /// fold the case of every text it reads, which made a common word several times slower (bench/).</summary>
    private static Expression<Func<string, bool>> Contains(string word)
    {
        var pattern = Like(word);
        return word.ToUpperInvariant() == word.ToLowerInvariant()
            ? s => EF.Functions.Like(s, pattern)
            : s => EF.Functions.ILike(s, pattern);
    }

    /// <summary>The body of a one-parameter lambda with <paramref name="argument"/> in place of its parameter.</summary>
    private static Expression Apply(LambdaExpression lambda, Expression argument) =>
        ReplacingExpressionVisitor.Replace(lambda.Parameters[0], argument, lambda.Body);

    private static (int Start, int End) Bounds(string text, int at) =>
        (Math.Max(0, at - SnippetContext), Math.Min(text.Length, at + SnippetContext * 2));

    private static string Window(string text, int at)
    {
        var (start, end) = Bounds(text, at);
        return text[start..end];
    }

    private static string Like(string word) => "%" + word.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>For each snapshot, the snippet around the first word found in its text (parts in outline order), or
    /// none when no word is in the text (a match by name, region or title only).</summary>
    private async Task<Dictionary<long, IReadOnlyList<SnippetSegment>>> SnippetsAsync(List<long> snapshotIds, IReadOnlyList<string> words, CancellationToken ct)
    {
        var result = new Dictionary<long, IReadOnlyList<SnippetSegment>>();
        if (snapshotIds.Count == 0 || words.Count == 0) return result;
        var texts = db.Set<SnapshotText>().AsNoTracking().Where(t => snapshotIds.Contains(t.SnapshotId));
        Expression<Func<SnapshotText, string>> text = t => t.Text;
        var any = Expression.Lambda<Func<SnapshotText, bool>>(
            words.Select(w => Apply(Contains(w), text.Body)).Aggregate(Expression.OrElse), text.Parameters);
        var found = await texts.Where(any).Select(t => new { t.SnapshotId, t.PartId, t.Text }).ToListAsync(ct);
        // A number bound to a cell ({{apps.new.tot}}) reads as the version's value, as its documents print it.
        var bound = found.Where(t => t.Text.Contains("{{", StringComparison.Ordinal)).Select(t => t.SnapshotId).Distinct().ToList();
        if (bound.Count > 0)
        {
            var values = (await db.Set<SnapshotCell>().AsNoTracking().Where(c => bound.Contains(c.SnapshotId))
                    .Select(c => new { c.SnapshotId, c.CellId, c.Value }).ToListAsync(ct))
                .GroupBy(c => c.SnapshotId).ToDictionary(g => g.Key, g => g.ToDictionary(c => c.CellId, c => c.Value, StringComparer.Ordinal));
            found = found.Select(t => t with
            {
                Text = Domain.Rules.CellTokens.Render(t.Text, id => values.GetValueOrDefault(t.SnapshotId)?.TryGetValue(id, out var v) == true
                    ? Domain.Values.CellValueParser.FormatValue(v) : null),
            }).ToList();
        }
        foreach (var group in found.GroupBy(t => t.SnapshotId))
        {
            // The window that shows the most of the searched words (a keyword rather than the place name that every
            // part of the report repeats), the earliest such in the outline.
            var best = group.OrderBy(t => t.PartId, StringComparer.Ordinal)
                .SelectMany(t => words.Select(w => t.Text.IndexOf(w, StringComparison.OrdinalIgnoreCase)).Where(i => i >= 0)
                    .Select(at => (t.Text, At: at, Shown: words.Count(w => Window(t.Text, at).Contains(w, StringComparison.OrdinalIgnoreCase)))))
                .Aggregate(((string Text, int At, int Shown)?)null, (held, next) => held is { } h && h.Shown >= next.Shown ? h : next);
            if (best is { } b) result[group.Key] = Snippet(b.Text, b.At, words);
        }
        return result;
    }

    /// <summary>The text from <see cref="SnippetContext"/> characters before <paramref name="at"/> to as many after the
    /// match, on one line, with … where cut, split into plain and matching segments (every word, case-insensitive).</summary>
    public static IReadOnlyList<SnippetSegment> Snippet(string text, int at, IReadOnlyList<string> words)
    {
        var (start, end) = Bounds(text, at);
        var piece = Regex.Replace(text[start..end], @"\s+", " ");
        var segments = new List<SnippetSegment>();
        if (start > 0) segments.Add(new SnippetSegment("…", false));
        var pattern = string.Join("|", words.OrderByDescending(w => w.Length).Select(Regex.Escape));
        var last = 0;
        foreach (Match m in Regex.Matches(piece, pattern, RegexOptions.IgnoreCase))
        {
            if (m.Index > last) segments.Add(new SnippetSegment(piece[last..m.Index], false));
            segments.Add(new SnippetSegment(m.Value, true));
            last = m.Index + m.Length;
        }
        if (last < piece.Length) segments.Add(new SnippetSegment(piece[last..], false));
        if (end < text.Length) segments.Add(new SnippetSegment("…", false));
        return segments;
    }
}
