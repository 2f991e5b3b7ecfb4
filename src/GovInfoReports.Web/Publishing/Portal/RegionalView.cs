using System.Globalization;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Publishing;

/// <summary>One unit (agency) of a region's subtree in the public regional view, for one year.</summary>
/// <param name="Figures">Its key figures from the latest published version of the year (件; the share 0–1), read with that
/// version's own template; null when the year has no published version (未发布, never 0).</param>
/// <param name="FirstPublishedOn">The Beijing day of its first publication of the year (for an archive record, the original
/// date printed); null when unpublished.</param>
/// <param name="Deadline">Its publication deadline for the year (statutory, or the nearest region's local date).</param>
public sealed record RegionalUnit(string Code, string Name, AgencyKind Kind, string RegionCode, string RegionName, KeyFigures? Figures,
    DateOnly? FirstPublishedOn, Deadline Deadline)
{
    public bool Published => Figures is not null;

    /// <summary>First published after the deadline day (条例 第四十九条), Beijing time.</summary>
    public bool Late => FirstPublishedOn is { } on && on > Deadline.Date;

    /// <summary>Not published and the deadline day has ended on <paramref name="today"/> (Beijing).</summary>
    public bool Overdue(DateOnly today) => !Published && today > Deadline.Date;
}

/// <summary>How complete a region's publication of a year is: every unit counted once.</summary>
/// <param name="Units">Agencies in the region and every region below it.</param>
/// <param name="Published">Units with a published version of the year (on time or late).</param>
/// <param name="Late">Published units whose first publication came after their deadline.</param>
/// <param name="NotPublished">Units without a published version.</param>
/// <param name="Overdue">Of <paramref name="NotPublished"/>, those whose deadline has passed.</param>
public sealed record Completeness(int Units, int Published, int Late, int NotPublished, int Overdue)
{
    public int OnTime => Published - Late;
}

/// <summary>The public regional view of one region and year: its subtree's units side by side, its completeness, and its
/// 全辖区 report (the region's 人民政府) year over year.</summary>
/// <param name="Path">The regions from the top down to <paramref name="Region"/> (breadcrumb).</param>
/// <param name="Labels">The words of the year's statutory format for the key figures (column heads); a unit whose version
/// is in another format shows its own word beside its number (<see cref="KeyFigureChart.OtherWord"/>).</param>
/// <param name="Government">The region's own 人民政府 (its report is the 全辖区 report), or null when the region has none.</param>
/// <param name="GovernmentYears">The government's key figures of every published year, oldest first.</param>
public sealed record RegionalYear(Region Region, IReadOnlyList<Region> Path, int Year, IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<RegionalUnit> Units, Completeness Completeness, DateOnly Today, RegionalUnit? Government, IReadOnlyList<KeyFigures> GovernmentYears);

/// <summary>
/// Reads the public regional view (issue 12 part 4) in one SQL statement for the units and their figures, whatever the
/// number of agencies: the region's subtree (recursive over regions), each agency's report of the year, its latest
/// published version (reports.published_versions) and first version, and the key figures summed in SQL from the
/// version's cells, which cells make which figure being template data (<see cref="TemplateDefinition.KeyFigures"/>) passed
/// as arrays. Only published versions are read: a draft, returned or approved report is 未发布. The page and the CSV are
/// output-cached (<see cref="PublicCache"/>) and evicted by every publication.
/// </summary>
public sealed class RegionalView(AppDbContext db, TemplateCatalog catalog, PublicReports reports, TimeProvider clock)
{
    /// <summary>The key figures each version yields, as <see cref="PublicReports.KeyFiguresAsync"/> computes them.</summary>
    private static readonly string[] FigureKeys = ["received", "handled", "disclosed", "reviews", "lawsuits"];

    /// <summary>The view of <paramref name="regionCode"/> (行政区划代码) for <paramref name="year"/>; null when the region is
    /// unknown or the year cannot have reports: before 2008 (the first report year), after the current Beijing year unless
    /// something of that year is already published in the region, or a year no loaded format covers.</summary>
    public async Task<RegionalYear?> ReadAsync(string regionCode, int year, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = BeijingTime.Day(now);
        if (year < TemplateCatalog.FirstReportYear || year > 9999 || catalog.ForYear(year) is not { } statutory) return null;
        var regions = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Id, ct);
        var region = regions.Values.FirstOrDefault(r => r.Code == regionCode);
        if (region is null) return null;

        var rows = await UnitRowsAsync(region.Id, year, ct);
        if (year > today.Year && !rows.Any(r => r.Version is not null)) return null;

        var overrides = await db.DeadlineOverrides.AsNoTracking().ToListAsync(ct);
        var deadlines = new Dictionary<(int, AgencyKind), Deadline>();
        Deadline DeadlineOf(int regionId, AgencyKind kind)
        {
            if (!deadlines.TryGetValue((regionId, kind), out var deadline))
                deadlines[(regionId, kind)] = deadline = Deadlines.For(regionId, kind, year, statutory, overrides, regions);
            return deadline;
        }

        var units = rows.Select(r =>
        {
            var kind = Enum.Parse<AgencyKind>(r.Kind);
            var unitRegion = regions[r.RegionId];
            return new RegionalUnit(r.Code, r.Name, kind, unitRegion.Code, unitRegion.Name, Figures(r, year),
                r.ArchivePublishedOn ?? (r.FirstAt is { } at ? BeijingTime.Day(at) : null), DeadlineOf(r.RegionId, kind));
        }).OrderBy(u => u.RegionCode, StringComparer.Ordinal).ThenBy(u => KindOrder(u.Kind)).ThenBy(u => u.Name, NameOrder).ToList();

        var published = units.Count(u => u.Published);
        var completeness = new Completeness(units.Count, published, units.Count(u => u.Late), units.Count - published, units.Count(u => u.Overdue(today)));

        // The 全辖区 report is the report of the region's own 人民政府 (the first registered, should a region have several).
        var government = rows.Where(r => r.RegionId == region.Id && r.Kind == nameof(AgencyKind.Government)).MinBy(r => r.AgencyId);
        var governmentYears = government is null ? [] : await reports.KeyFiguresAsync(government.AgencyId, ct);

        var path = new List<Region>();
        for (Region? r = region; r is not null; r = r.ParentId is { } p ? regions[p] : null) path.Insert(0, r);
        return new RegionalYear(region, path, year, statutory.Definition.KeyFigureLabels, units, completeness, today,
            government is null ? null : units.Single(u => u.Code == government.Code), governmentYears);
    }

    /// <summary>The years (newest first) in which some agency of the region's subtree has a published version, for the
    /// region page's links.</summary>
    public async Task<IReadOnlyList<int>> PublishedYearsAsync(int regionId, CancellationToken ct) =>
        (await db.Database.SqlQuery<YearRow>($"""
            WITH RECURSIVE subtree AS (
                SELECT id FROM regions WHERE id = {regionId}
                UNION ALL
                SELECT r.id FROM regions r JOIN subtree s ON r.parent_id = s.id
            )
            SELECT DISTINCT rep.year
            FROM reports rep JOIN agencies a ON a.id = rep.agency_id
            WHERE rep.published_versions > 0 AND a.region_id IN (SELECT id FROM subtree)
            """).ToListAsync(ct)).Select(r => r.Year).OrderDescending().ToList();

    internal sealed record YearRow(int Year);

    /// <summary>Every agency of the subtree with its latest and first published version of the year and the sums of its key
    /// figures' cells; one statement. A figure is stated only when every one of its cells is (a blank cell is "not
    /// stated", not 0).</summary>
    private Task<List<UnitRow>> UnitRowsAsync(int regionId, int year, CancellationToken ct)
    {
        var definitions = catalog.All.SelectMany(t => t.Definition.KeyFigures.SelectMany(f => f.Value.Select(cell => (t.Code, Figure: f.Key, Cell: cell)))).ToList();
        var templates = definitions.Select(d => d.Code).ToArray();
        var figures = definitions.Select(d => d.Figure).ToArray();
        var cells = definitions.Select(d => d.Cell).ToArray();
        var keyCells = cells.Distinct(StringComparer.Ordinal).ToArray();
        return db.Database.SqlQuery<UnitRow>($"""
            WITH RECURSIVE subtree AS (
                SELECT id FROM regions WHERE id = {regionId}
                UNION ALL
                SELECT r.id FROM regions r JOIN subtree s ON r.parent_id = s.id
            ), units AS (
                SELECT a.id AS agency_id, a.code, a.name, a.kind, a.region_id, s.version, s.id AS snapshot_id, s.template_code,
                       f.at AS first_at, f.archive_published_on
                FROM agencies a
                JOIN subtree t ON t.id = a.region_id
                LEFT JOIN reports r ON r.agency_id = a.id AND r.year = {year} AND r.published_versions > 0
                LEFT JOIN report_snapshots s ON s.report_id = r.id AND s.kind = 'Publication' AND s.version = r.published_versions
                LEFT JOIN LATERAL (
                    SELECT fs.at, fs.archive_published_on FROM report_snapshots fs
                    WHERE fs.report_id = r.id AND fs.kind = 'Publication' ORDER BY fs.version LIMIT 1
                ) f ON TRUE
            ), definitions AS (
                SELECT * FROM unnest({templates}::text[], {figures}::text[], {cells}::text[]) AS d(template_code, figure, cell_id)
            ), needed AS (
                SELECT template_code, figure, COUNT(*) AS cells FROM definitions GROUP BY template_code, figure
            ), cells AS MATERIALIZED (
                -- The key cells of every latest version in one pass, each with its version's format. Materialized and
                -- then joined only to the small definitions: joined back to the units (whose number the planner
                -- underestimates, the subtree being recursive) it was planned as a re-scan of the units per cell, which
                -- grew with the square of the units (50,000: over two minutes; now 1.7 s in PostgreSQL).
                SELECT u.snapshot_id, u.template_code, sc.cell_id, sc.value
                FROM units u JOIN snapshot_cells sc ON sc.snapshot_id = u.snapshot_id
                WHERE sc.cell_id = ANY({keyCells})
            ), figures AS (
                -- A figure is stated only when every one of its cells is.
                SELECT c.snapshot_id, d.figure, SUM(c.value) AS total, COUNT(*) = MAX(n.cells) AS stated
                FROM cells c
                JOIN definitions d ON d.template_code = c.template_code AND d.cell_id = c.cell_id
                JOIN needed n ON n.template_code = d.template_code AND n.figure = d.figure
                GROUP BY c.snapshot_id, d.figure
            )
            SELECT u.agency_id, u.code, u.name, u.kind, u.region_id, u.version, u.template_code, u.first_at, u.archive_published_on,
                   MAX(f.total) FILTER (WHERE f.figure = 'received' AND f.stated) AS received,
                   MAX(f.total) FILTER (WHERE f.figure = 'handled' AND f.stated) AS handled,
                   MAX(f.total) FILTER (WHERE f.figure = 'disclosed' AND f.stated) AS disclosed,
                   MAX(f.total) FILTER (WHERE f.figure = 'reviews' AND f.stated) AS reviews,
                   MAX(f.total) FILTER (WHERE f.figure = 'lawsuits' AND f.stated) AS lawsuits
            FROM units u
            LEFT JOIN figures f ON f.snapshot_id = u.snapshot_id
            GROUP BY u.agency_id, u.code, u.name, u.kind, u.region_id, u.version, u.template_code, u.first_at, u.archive_published_on
            """).ToListAsync(ct); // columns are matched snake_case (EFCore.NamingConventions)
    }

    private KeyFigures? Figures(UnitRow row, int year)
    {
        if (row.Version is not { } version || row.TemplateCode is null) return null;
        var definition = catalog.Get(row.TemplateCode)?.Definition;
        return new KeyFigures(year, version, row.TemplateCode, row.Received, row.Handled is null or 0 ? null : row.Disclosed / row.Handled,
            row.Reviews, row.Lawsuits, definition?.KeyFigureLabels ?? new Dictionary<string, string>());
    }

    private static int KindOrder(AgencyKind kind) => kind switch
    {
        AgencyKind.Government => 0,
        AgencyKind.Township => 1,
        AgencyKind.Subdistrict => 2,
        _ => 3,
    };

    internal sealed record UnitRow(int AgencyId, string Code, string Name, string Kind, int RegionId, int? Version, string? TemplateCode,
        DateTimeOffset? FirstAt, DateOnly? ArchivePublishedOn, decimal? Received, decimal? Handled, decimal? Disclosed, decimal? Reviews, decimal? Lawsuits);

    // ---- Sorting, shared by the page and the CSV ----

    /// <summary>The sortable columns by query value (?sort=…), with the key each sorts on. Units without the value (未发布,
    /// or a figure their report did not state) always come last, whichever the direction.</summary>
    public static readonly IReadOnlyDictionary<string, Func<RegionalUnit, IComparable?>> SortKeys = new Dictionary<string, Func<RegionalUnit, IComparable?>>
    {
        ["unit"] = u => null, // the default order (RegionalYear.Units): region code, then 人民政府, 乡镇, 街道, 部门, then name
        ["name"] = u => u.Name,
        ["region"] = u => u.RegionName,
        ["published"] = u => u.FirstPublishedOn,
        ["received"] = u => u.Figures?.Received,
        ["disclosedShare"] = u => u.Figures?.DisclosedShare,
        ["reviews"] = u => u.Figures?.Reviews,
        ["lawsuits"] = u => u.Figures?.Lawsuits,
    };

    /// <summary>The figures a chart may show (?chart=…): the agency page's key figures.</summary>
    public static readonly IReadOnlyList<string> ChartFigures = ["received", "disclosedShare", "reviews", "lawsuits"];

    /// <summary>The units in the order asked for; an unknown <paramref name="sort"/> keeps the default order. Ties keep the
    /// default order (a stable sort).</summary>
    public static IReadOnlyList<RegionalUnit> Sorted(IReadOnlyList<RegionalUnit> units, string sort, bool descending)
    {
        if (!SortKeys.TryGetValue(sort, out var key) || sort == "unit") return descending ? units.Reverse().ToList() : units;
        var known = units.Where(u => key(u) is not null);
        var ordered = descending ? known.OrderByDescending(key, Comparer) : known.OrderBy(key, Comparer);
        return [.. ordered, .. units.Where(u => key(u) is null)];
    }

    /// <summary>Names in the order Chinese readers look them up (zh-CN collation: by pinyin), not by code point.</summary>
    public static readonly StringComparer NameOrder = StringComparer.Create(CultureInfo.GetCultureInfo("zh-CN"), CompareOptions.None);

    private static readonly Comparer<IComparable?> Comparer = Comparer<IComparable?>.Create((a, b) =>
        a is string x && b is string y ? NameOrder.Compare(x, y) : Comparer<IComparable?>.Default.Compare(a, b));

    /// <summary>A figure's value for the chart and the sort (the share as 0–1), or null.</summary>
    public static decimal? Value(KeyFigures? figures, string figure) => figure switch
    {
        "received" => figures?.Received,
        "disclosedShare" => figures?.DisclosedShare,
        "reviews" => figures?.Reviews,
        "lawsuits" => figures?.Lawsuits,
        _ => null,
    };

    /// <summary>The publication status in words: 按期发布, 逾期发布, 未发布 or 未发布（已逾期）.</summary>
    public static string Status(RegionalUnit unit, DateOnly today) =>
        unit.Published ? unit.Late ? "逾期发布" : "按期发布" : unit.Overdue(today) ? "未发布（已逾期）" : "未发布";

    // ---- The CSV of the same table ----

    /// <summary>The CSV rows of the view (the header first, Chinese, as on the page): one row per unit in the order given;
    /// an unpublished unit's figures are empty and its status says 未发布 (never 0); counts in 件 as the stored number's
    /// invariant text; the share in percent to one decimal.</summary>
    public static IEnumerable<string[]> CsvRows(RegionalYear view, IEnumerable<RegionalUnit> units)
    {
        var l = view.Labels;
        yield return ["单位名称", "统一社会信用代码", "类别", "地区", "行政区划代码", "发布状态", "首次发布日期", "发布期限", "最新版本", "报告格式",
            $"{l["received"]}（件）", $"{l["disclosedShare"]}（%）", $"{l["reviews"]}（件）", $"{l["lawsuits"]}（件）"];
        static string Count(decimal? value) => value is { } v ? CellValueParser.FormatValue(v) : "";
        foreach (var u in units)
        {
            var f = u.Figures;
            yield return
            [
                u.Name, u.Code, Agency.KindName(u.Kind), u.RegionName, u.RegionCode, Status(u, view.Today),
                u.FirstPublishedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", u.Deadline.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                f?.Version.ToString(CultureInfo.InvariantCulture) ?? "", f is null ? "" : f.TemplateCode,
                Count(f?.Received), f?.DisclosedShare is { } share ? (share * 100).ToString("0.0", CultureInfo.InvariantCulture) : "",
                Count(f?.Reviews), Count(f?.Lawsuits),
            ];
        }
    }
}
