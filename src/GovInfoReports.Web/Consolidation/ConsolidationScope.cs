using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Entry;
using GovInfoReports.Web.Review;
using GovInfoReports.Domain.Rules;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Consolidation;

/// <summary>One unit of a government's 汇总 scope: an agency whose parent is the government (a 部门, its 办公室 included,
/// or a subordinate 人民政府/乡镇/街道, which stands for its whole subtree through its own 全辖区 report), with its report
/// of the year and which version of it counts.</summary>
/// <param name="Kind">The unit's kind (部门, 人民政府, 乡镇, 街道).</param>
/// <param name="ReportId">Its report of the year, or null when it has none.</param>
/// <param name="Status">That report's status, or null.</param>
/// <param name="PublishedVersions">How many versions of it are published (0: none).</param>
/// <param name="TemplateCode">The format of the version that counts (else of the report), or null.</param>
/// <param name="PublishedOn">The Beijing date the counted version was published (an archive record's original date), or null.</param>
/// <param name="FirstPublishedOn">The Beijing date of its first publication (version 1), or null: what lateness is judged by.</param>
/// <param name="Deadline">When the unit's report was due (statutory or local, data), or null when no template covers the year.</param>
/// <param name="Exclusion">The reason the government's clerk gave for leaving the unit out, or null.</param>
/// <param name="InCycle">The unit is also above the government in the agency tree (a cycle): never counted.</param>
/// <param name="Duplicate">Another unit of the scope, not excluded, has the same name: counting both may count one unit twice.</param>
public sealed record ScopeUnit(int AgencyId, string Name, AgencyKind Kind, int? ReportId, ReportStatus? Status, int PublishedVersions,
    string? TemplateCode, DateOnly? PublishedOn)
{
    public DateOnly? FirstPublishedOn { get; init; }
    public Deadline? Deadline { get; init; }
    public string? Exclusion { get; init; }
    public bool InCycle { get; init; }
    public bool Duplicate { get; init; }

    /// <summary>Whether the unit's report counts: its latest published version, else its approved content. A draft, a
    /// submitted or a returned report never counts; it is listed as missing with its status, never counted as 0. An
    /// excluded unit or one in a cycle never counts either.</summary>
    public bool Counted => Exclusion is null && !InCycle && (PublishedVersions > 0 || Status == ReportStatus.Approved);

    /// <summary>Not counted though it should be (not excluded): what H2 warns of.</summary>
    public bool Missing => !Counted && Exclusion is null;

    /// <summary>The published version that counts, or null (the approved content counts, or nothing does).</summary>
    public int? CountedVersion => PublishedVersions > 0 ? PublishedVersions : null;

    /// <summary>What the scope table says of the report's state, e.g. 已发布（第2版）, 草稿, 未填报.</summary>
    public string StatusText => Status is not { } status ? "未填报"
        : PublishedVersions > 0 && status != ReportStatus.Published ? $"{Report.StatusName(status)}（更正修订中，已发布第{PublishedVersions}版）"
        : status == ReportStatus.Published ? $"已发布（第{PublishedVersions}版）"
        : Report.StatusName(status);

    /// <summary>Why the unit is counted or not, in the words of the scope table and of 汇总范围.</summary>
    public string Reason => InCycle ? "汇总范围有循环（该单位在机关设置中也是本级政府的上级），不计入"
        : Exclusion is { } why ? $"已排除：{why}"
        : Status is null ? "未填报"
        : PublishedVersions > 0 ? $"计入已发布的第{PublishedVersions}版" + (Status == ReportStatus.Published ? "" : "（修订稿未计入）")
        : Status == ReportStatus.Approved ? "计入已审核通过的内容（尚未发布）"
        : "尚未审核通过";

    /// <summary>Whether the unit published after its deadline (judged by its first publication, Beijing dates).</summary>
    public bool PublishedLate => Deadline is { } d && FirstPublishedOn is { } first && first > d.Date;

    /// <summary>The unit against its deadline on <paramref name="today"/> (Beijing date): 逾期发布（…）, 已逾期未发布, 按期发布 or
    /// 期限…; empty when no deadline is known.</summary>
    public string Timeliness(DateOnly today) => Deadline is not { } d ? ""
        : FirstPublishedOn is { } first
            ? first > d.Date ? $"逾期发布（期限{BeijingTime.Date(d.Date)}，{BeijingTime.Date(first)}发布，晚{first.DayNumber - d.Date.DayNumber}天）" : "按期发布"
            : today > d.Date ? $"已逾期未发布（期限{BeijingTime.Date(d.Date)}）"
            : $"期限{BeijingTime.Date(d.Date)}";
}

/// <summary>What one unit gives a summed cell: its value, or why it gives none (<see cref="Note"/>: 未填, or 格式不含此格
/// for a unit whose report uses another format without this cell).</summary>
public sealed record Contribution(int AgencyId, string Name, decimal? Value, string? Note);

/// <summary>One summable cell of the government's report: the sum over the counted units (null when none of them gives a
/// value: blank, never an invented 0) in the cell kind's unit (件, 万元), and every counted unit's contribution.</summary>
public sealed record CellSum(CellDefinition Cell, decimal? Sum, IReadOnlyList<Contribution> Contributions)
{
    /// <summary>How many counted units give no value for this cell (not filled, or not in their format).</summary>
    public int Lacking => Contributions.Count(c => c.Value is null);
}

/// <summary>
/// The consolidation of a government's 全辖区 report of one year (template-spec §11 汇总): its scope (<see cref="Units"/>)
/// and, for every summable cell of <see cref="Template"/> (<see cref="ReportTemplate.SummableCells"/>), the sum over the
/// counted units with the drill-down. A unit on another format contributes only the cells both formats share (same cell
/// id, same unit); the others are listed in <see cref="NotInFormat"/>.
/// </summary>
public sealed record ConsolidationResult(
    Agency Government,
    int Year,
    ReportTemplate Template,
    IReadOnlyList<ScopeUnit> Units,
    IReadOnlyList<CellSum> Cells,
    IReadOnlyDictionary<int, IReadOnlyList<CellDefinition>> NotInFormat)
{
    public IReadOnlyList<ScopeUnit> Counted => Units.Where(u => u.Counted).ToList();

    /// <summary>Units that should count but do not (no report, not yet approved, in a cycle); excluded units are not
    /// missing.</summary>
    public IReadOnlyList<ScopeUnit> Missing => Units.Where(u => u.Missing).ToList();

    /// <summary>Every unit not counted, missing or excluded, as 汇总范围 names them.</summary>
    public IReadOnlyList<ScopeUnit> NotCounted => Units.Where(u => !u.Counted).ToList();

    /// <summary>When the government's clerk last accepted the sums (UTC), or null: never, and then no C rule runs.</summary>
    public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>The sums to write (cell id → value), the cells without any value left out.</summary>
    public IReadOnlyDictionary<string, decimal> Sums() =>
        Cells.Where(c => c.Sum is not null).ToDictionary(c => c.Cell.Id, c => c.Sum!.Value, StringComparer.Ordinal);

    /// <summary>
    /// The 汇总范围 (metadata unitsCovered) this scope gives, e.g. 县政府及1个乡镇、9个县直部门（未计入：获嘉县某局，尚未审核通过）:
    /// the government (named by its region's last character: 县, 市, 区, 省 …), the counted units by kind, then each unit
    /// not counted with why. At most <paramref name="maxLength"/> characters: when the list of missing units would not
    /// fit, only their number is given.
    /// </summary>
    public string UnitsCoveredText(int maxLength)
    {
        var level = Government.Region.Name is { Length: > 0 } n && "省市县区旗".Contains(n[^1]) ? n[^1].ToString()
            : Government.Region.Level switch { RegionLevel.Province => "省", RegionLevel.City => "市", RegionLevel.County => "县", _ => "乡镇" };
        var counted = Counted;
        var parts = new List<string>();
        void Part(AgencyKind kind, string words)
        {
            var count = counted.Count(u => u.Kind == kind);
            if (count > 0) parts.Add($"{count}个{words}");
        }
        Part(AgencyKind.Government, "下级人民政府");
        Part(AgencyKind.Township, "乡镇");
        Part(AgencyKind.Subdistrict, "街道");
        Part(AgencyKind.Department, level == "乡镇" ? "部门" : $"{level}直部门");
        var text = $"{level}政府" + (parts.Count > 0 ? "及" + string.Join("、", parts) : "");
        var notCounted = NotCounted;
        if (notCounted.Count == 0) return text;
        var listed = $"{text}（未计入：{string.Join("；", notCounted.Select(u => $"{u.Name}，{u.Reason}"))}）";
        return listed.Length <= maxLength ? listed : $"{text}（另有{notCounted.Count}个单位未计入）";
    }

    /// <summary>The rule key of H1 for one cell: the key its 说明 (the override's reason) is stored under.</summary>
    public static string CellRuleKey(string cellId) => "consolidation:" + cellId;

    /// <summary>The rule ids of the consolidation rules (汇总, H for 汇总; the templates' own rules use A–C, K, N, X).</summary>
    public const string SumRule = "H1", MissingRule = "H2", DuplicateRule = "H3";

    /// <summary>The rule keys of H2 (units not counted) and H3 (a unit apparently listed twice).</summary>
    public const string MissingRuleKey = "consolidation-missing", DuplicateRuleKey = "consolidation-duplicate";

    /// <summary>The advice that ends every H1 message; the overview's banner shows the messages without it.</summary>
    public const string SumAdvice = "（全辖区汇总页可查看各单位数据）。如确需与汇总值不同（如规章只计本级政府制发的一次），请写明理由；否则请采用汇总值";

    /// <summary>
    /// The consolidation rules on the government's current values <paramref name="stored"/> (cell id → value, totals
    /// included), all warnings (a 说明 lets the report through, as for any warning): H1 per summable cell whose value is
    /// not the current sum (a unit published or corrected its report after the sums were accepted, or the clerk changed
    /// the cell: the 说明 is the override's reason, e.g. 规章只计本级政府制发的一次); H2 when units of the scope are not
    /// counted; H3 when two units not excluded share a name. Empty until the sums were accepted once
    /// (<see cref="AcceptedAt"/>): a government filling its report by hand is not checked against a sum it never took.
    /// </summary>
    public IReadOnlyList<Violation> Checks(IReadOnlyDictionary<string, decimal> stored)
    {
        if (AcceptedAt is null) return [];
        var violations = new List<Violation>();
        foreach (var sum in Cells)
        {
            decimal? current = stored.TryGetValue(sum.Cell.Id, out var v) ? v : null;
            if (current == sum.Sum) continue;
            var unit = sum.Cell.Kind.Unit;
            string Show(decimal? value) => value is { } x ? CellValueParser.FormatValue(x) + unit : "空白";
            var difference = current is { } c && sum.Sum is { } s ? $"，相差{CellValueParser.FormatValue(c - s)}{unit}" : "";
            violations.Add(new Violation(CellRuleKey(sum.Cell.Id), SumRule, Severity.Warning, Template.Tables[sum.Cell.TableId].SectionId, sum.Cell.TableId,
                $"“{sum.Cell.AccessibleName}”本报告为{Show(current)}，各单位汇总为{Show(sum.Sum)}{difference}{SumAdvice}", [sum.Cell.Id]));
        }
        var section = Template.Sections.First(s => s.Kind == SectionKind.Tables).Id;
        var missing = Missing;
        if (missing.Count > 0)
            violations.Add(new Violation(MissingRuleKey, MissingRule, Severity.Warning, section, "",
                $"汇总范围内有{missing.Count}个单位未计入汇总值：{string.Join("；", missing.Take(10).Select(u => $"{u.Name}（{u.Reason}）"))}" +
                (missing.Count > 10 ? $"等" : "") + "。请待其审核通过后重新采用汇总值，或在全辖区汇总页排除并写明理由", []));
        foreach (var twice in Units.Where(u => u.Duplicate).GroupBy(u => ScopeNames.Normalise(u.Name)))
            violations.Add(new Violation(DuplicateRuleKey + ":" + twice.Key, DuplicateRule, Severity.Warning, section, "",
                $"汇总范围内有{twice.Count()}个名称相同的单位“{twice.First().Name}”，都计入会重复计算；请核对机关设置，在全辖区汇总页排除其一并写明理由", []));
        return violations;
    }

    /// <summary>A fingerprint of what would be written (every sum and 汇总范围): the page posts the one it showed, and
    /// 采用汇总值 is refused when the consolidation changed meanwhile (a unit published or corrected its report).</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder();
        foreach (var u in Units) text.Append(CultureInfo.InvariantCulture, $"{u.AgencyId}:{u.Status}:{u.PublishedVersions}:{u.TemplateCode}:{u.Counted}\n");
        foreach (var c in Cells) text.Append(CultureInfo.InvariantCulture, $"{c.Cell.Id}={c.Sum}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>Names as the duplicate check compares them: without any white space.</summary>
public static class ScopeNames
{
    public static string Normalise(string name) => string.Concat(name.Where(c => !char.IsWhiteSpace(c)));
}

/// <summary>
/// Reads the scope and the consolidation of a government's 全辖区 report in SQL (one query for the scope, one for the
/// counted units' values of the summable cells, which give both the sums and the drill-down), never loading the units'
/// reports; and the consolidation rules H1–H3 the report editor adds to a government report's checks. Read-only.
/// </summary>
public sealed class ConsolidationReader(AppDbContext db, TemplateCatalog catalog, DeadlineService deadlines)
{
    // The units (children of the government in the agency tree) and, for those whose report counts, the version that
    // counts: the latest published version (a snapshot), else the approved report's own cells. Excluded units never
    // count. {0}: government id, {1}: year, {2}: the summable cell ids of the government's format.
    private const string CountedSql = """
        WITH counted AS (
            SELECT r.agency_id, r.id AS report_id, r.published_versions, s.id AS snapshot_id,
                   COALESCE(s.template_code, r.template_code) AS template_code
            FROM agencies a
            JOIN reports r ON r.agency_id = a.id AND r.year = {1}
            LEFT JOIN report_snapshots s ON s.report_id = r.id AND s.kind = 'Publication' AND s.version = r.published_versions
            WHERE a.parent_id = {0} AND a.id <> {0} AND (r.published_versions > 0 OR r.status = 'Approved')
              AND NOT EXISTS (SELECT 1 FROM consolidation_exclusions x JOIN reports g ON g.id = x.report_id
                              WHERE g.agency_id = {0} AND g.year = {1} AND x.agency_id = a.id)
        ), unit_values AS (
            SELECT c.agency_id, c.template_code, sc.cell_id, sc.value
            FROM counted c JOIN snapshot_cells sc ON sc.snapshot_id = c.snapshot_id
            WHERE c.published_versions > 0 AND sc.cell_id = ANY({2})
            UNION ALL
            SELECT c.agency_id, c.template_code, rc.cell_id, rc.value
            FROM counted c JOIN report_cells rc ON rc.report_id = c.report_id
            WHERE c.published_versions = 0 AND rc.cell_id = ANY({2})
        )
        """;

    /// <summary>The scope of the government <paramref name="governmentId"/>'s report of <paramref name="year"/>: every unit
    /// (a child in the agency tree) with its report's state, its deadline and first publication, the exclusion the
    /// government's clerk recorded, and whether it counts (subordinate governments, 乡镇, 街道, then 部门, each by name).
    /// A unit that is also an ancestor of the government (a cycle in the agency tree) is marked and never counted; units
    /// sharing a name are marked <see cref="ScopeUnit.Duplicate"/>.</summary>
    public async Task<IReadOnlyList<ScopeUnit>> ScopeAsync(int governmentId, int year, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<ScopeRow>($"""
            WITH RECURSIVE ancestors(id, depth) AS (
                SELECT parent_id, 1 FROM agencies WHERE id = {governmentId} AND parent_id IS NOT NULL
                UNION ALL
                SELECT a.parent_id, x.depth + 1 FROM agencies a JOIN ancestors x ON a.id = x.id
                WHERE a.parent_id IS NOT NULL AND x.depth < 64
            )
            SELECT a.id AS agency_id, a.name, a.kind, a.region_id, r.id AS report_id, r.status, r.published_versions,
                   COALESCE(s.template_code, r.template_code) AS template_code, s.at AS published_at, s.archive_published_on,
                   r.first_published_at, f.archive_published_on AS first_archive_published_on, x.reason AS exclusion,
                   a.id IN (SELECT id FROM ancestors) AS in_cycle
            FROM agencies a
            LEFT JOIN reports r ON r.agency_id = a.id AND r.year = {year}
            LEFT JOIN report_snapshots s ON s.report_id = r.id AND s.kind = 'Publication' AND s.version = r.published_versions
            LEFT JOIN report_snapshots f ON f.report_id = r.id AND f.kind = 'Publication' AND f.version = 1
            LEFT JOIN reports g ON g.agency_id = {governmentId} AND g.year = {year}
            LEFT JOIN consolidation_exclusions x ON x.report_id = g.id AND x.agency_id = a.id
            WHERE a.parent_id = {governmentId} AND a.id <> {governmentId}
            """).ToListAsync(ct);
        var covered = catalog.ForYear(year) is not null;
        var units = new List<ScopeUnit>(rows.Count);
        foreach (var r in rows)
        {
            var kind = Enum.Parse<AgencyKind>(r.Kind);
            units.Add(new ScopeUnit(r.AgencyId, r.Name, kind, r.ReportId,
                r.Status is null ? null : Enum.Parse<ReportStatus>(r.Status), r.PublishedVersions ?? 0, r.TemplateCode,
                r.ArchivePublishedOn ?? (r.PublishedAt is { } at ? BeijingTime.Day(at) : null))
            {
                FirstPublishedOn = r.FirstArchivePublishedOn ?? (r.FirstPublishedAt is { } first ? BeijingTime.Day(first) : null),
                Deadline = covered ? await deadlines.ForAsync(r.RegionId, kind, year, ct) : null,
                Exclusion = r.Exclusion,
                InCycle = r.InCycle,
            });
        }
        var twice = units.Where(u => u.Exclusion is null && !u.InCycle).GroupBy(u => ScopeNames.Normalise(u.Name))
            .Where(g => g.Count() > 1).SelectMany(g => g).Select(u => u.AgencyId).ToHashSet();
        return units.Select(u => twice.Contains(u.AgencyId) ? u with { Duplicate = true } : u)
            .OrderBy(u => KindOrder(u.Kind)).ThenBy(u => u.Name, StringComparer.Ordinal).ThenBy(u => u.AgencyId).ToList();
    }

    private static int KindOrder(AgencyKind kind) => kind switch
    {
        AgencyKind.Government => 0,
        AgencyKind.Township => 1,
        AgencyKind.Subdistrict => 2,
        _ => 3,
    };

    /// <summary>The consolidation of <paramref name="report"/> (a government's report; its agency and region loaded):
    /// its scope, and for every summable cell of its format the sum over the counted units with each unit's
    /// contribution. Missing units are listed, never counted as 0.</summary>
    public Task<ConsolidationResult> ConsolidateAsync(Report report, CancellationToken ct) => ConsolidateAsync(report, null, ct);

    /// <param name="acceptedAt">When the caller has already read the acceptance (<see cref="ChecksAsync"/>); null: read it.</param>
    private async Task<ConsolidationResult> ConsolidateAsync(Report report, DateTimeOffset? acceptedAt, CancellationToken ct)
    {
        var template = catalog.Get(report.TemplateCode) ?? throw new InvalidOperationException($"Template {report.TemplateCode} is not loaded.");
        var units = await ScopeAsync(report.AgencyId, report.Year, ct);
        var ids = template.SummableCells.ToArray();
        // Every counted unit's values are read for the drill-down anyway, so the sums are taken from them here rather than
        // by a second, aggregating query over the same rows.
        var values = await db.Database.SqlQuery<UnitValue>(FormattableStringFactory.Create(CountedSql + """
            SELECT agency_id, cell_id, value FROM unit_values
            """, report.AgencyId, report.Year, ids)).ToListAsync(ct);
        var accepted = acceptedAt ?? await db.ConsolidationAcceptances.AsNoTracking().Where(a => a.ReportId == report.Id)
            .Select(a => (DateTimeOffset?)a.AcceptedAt).FirstOrDefaultAsync(ct);

        // A cell counts from a unit's format only when that format has the same cell in the same unit (件, 万元).
        bool Shares(string? code, CellDefinition cell) =>
            code == template.Code || (code is not null && catalog.Get(code)?.CellsById.GetValueOrDefault(cell.Id) is { } other && other.Kind.Unit == cell.Kind.Unit);
        var counted = units.Where(u => u.Counted).ToList();
        var given = values.ToDictionary(v => (v.AgencyId, v.CellId), v => v.Value);
        var cells = template.Cells.Where(c => template.SummableCells.Contains(c.Id)).Select(cell =>
        {
            var contributions = counted.Select(u => !Shares(u.TemplateCode, cell)
                    ? new Contribution(u.AgencyId, u.Name, null, "格式不含此格")
                    : given.TryGetValue((u.AgencyId, cell.Id), out var value)
                        ? new Contribution(u.AgencyId, u.Name, value, null)
                        : new Contribution(u.AgencyId, u.Name, null, "未填"))
                .ToList();
            var filled = contributions.Where(c => c.Value is not null).ToList();
            return new CellSum(cell, filled.Count == 0 ? null : filled.Sum(c => c.Value!.Value), contributions);
        }).ToList();
        var notInFormat = counted.Where(u => u.TemplateCode != template.Code)
            .ToDictionary(u => u.AgencyId, u => (IReadOnlyList<CellDefinition>)cells.Select(c => c.Cell).Where(c => !Shares(u.TemplateCode, c)).ToList());
        return new ConsolidationResult(report.Agency, report.Year, template, units, cells, notInFormat) { AcceptedAt = accepted };
    }

    /// <summary>The consolidation rules (H1–H3, warnings; see <see cref="ConsolidationResult.Checks"/>) on a report as
    /// it stands: none for a report that is not a government's or never accepted its sums (no query then beyond one
    /// lookup of the acceptance). Run on every load of the report, so a unit's later publication or correction shows on
    /// the government's report at once, published or not; a published version itself never changes.</summary>
    /// <returns>Whether the report took its units' sums, and the violations.</returns>
    public async Task<(bool Accepted, IReadOnlyList<Violation> Violations)> ChecksAsync(Report report, CancellationToken ct)
    {
        if (report.Agency.Kind != AgencyKind.Government) return (false, []);
        var acceptedAt = await db.ConsolidationAcceptances.AsNoTracking().Where(a => a.ReportId == report.Id)
            .Select(a => (DateTimeOffset?)a.AcceptedAt).FirstOrDefaultAsync(ct);
        if (acceptedAt is null) return (false, []);
        var result = await ConsolidateAsync(report, acceptedAt, ct);
        return (true, result.Checks(RuleEvaluator.WithTotals(result.Template, report.CellValues())));
    }

    internal sealed record ScopeRow(int AgencyId, string Name, string Kind, int RegionId, int? ReportId, string? Status, int? PublishedVersions,
        string? TemplateCode, DateTimeOffset? PublishedAt, DateOnly? ArchivePublishedOn, DateTimeOffset? FirstPublishedAt,
        DateOnly? FirstArchivePublishedOn, string? Exclusion, bool InCycle);

    internal sealed record UnitValue(int AgencyId, string CellId, decimal Value);
}

/// <summary>
/// Writes a government's consolidation into its report, only while the report is editable (草稿/退回): 采用汇总值 (every
/// sum, except cells the clerk overrode with a 说明), a per-cell override with its 说明 or its return to the sum, and the
/// exclusion of a unit with a reason. Every value change is audited as a clerk's save is; a published version never
/// changes (a correction is a new version).
/// </summary>
public sealed partial class ConsolidationService(AppDbContext db, ConsolidationReader reader, ReportEditor editor, TimeProvider clock,
    ILogger<ConsolidationService> logger)
{
    /// <summary>
    /// 采用汇总值: writes every sum into the government's report as a clerk's save writes cells (each change audited under
    /// <paramref name="userId"/>, totals recomputed), keeps the cells overridden with a 说明, sets 汇总范围 from the scope
    /// and records the acceptance (from then on H1–H3 run on the report). Refused, with the reason in Chinese, when the
    /// report cannot be edited, is not a government's, no unit counts, or the consolidation no longer has the
    /// <paramref name="fingerprint"/> the clerk saw. Returns null when written.
    /// </summary>
    public async Task<string?> AcceptAsync(int reportId, string? fingerprint, string userId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (report, refusal) = await LockGovernmentAsync(reportId, ct);
        if (report is null) return refusal;
        var result = await reader.ConsolidateAsync(report, ct);
        if (result.Counted.Count == 0) return "没有可计入的单位报告（须已审核通过或已发布），不能采用汇总值";
        if (result.Fingerprint() != fingerprint) return "汇总数据在您打开页面后有变化（如单位发布或更正了报告），未采用；请核对下面新的汇总值后再采用";
        var template = result.Template;
        var max = template.MetadataField(ReportMetadata.UnitsCoveredField).MaxLength ?? FieldLimits.UnitsCovered;
        var overridden = Overridden(report);
        var sums = result.Sums().Where(s => !overridden.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        foreach (var (cellId, value) in sums)
        {
            var cell = template.CellsById[cellId];
            if (Math.Abs(value) > cell.Kind.Max)
                return $"“{cell.AccessibleName}”的汇总值{CellValueParser.FormatValue(value)}超出可填写的范围，未采用";
        }
        var now = clock.GetUtcNow();
        ReportEditor.WriteValues(report, template, sums, report.Metadata with { UnitsCovered = result.UnitsCoveredText(Math.Min(max, FieldLimits.UnitsCovered)) },
            now, userId);
        var acceptance = await db.ConsolidationAcceptances.FindAsync([reportId], ct);
        if (acceptance is null) db.ConsolidationAcceptances.Add(new ConsolidationAcceptance(reportId, userId, now));
        else acceptance.Accept(userId, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogAccepted(logger, reportId, report.Revision, sums.Count, result.Counted.Count, result.Missing.Count, userId);
        return null;
    }

    /// <summary>The cells the clerk overrode: those with a H1 说明 stored.</summary>
    public static IReadOnlySet<string> Overridden(Report report) => Overrides(report).Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>The cells the clerk overrode, each with its 说明 (the explanation of its H1 warning): cell id → 说明.</summary>
    public static IReadOnlyDictionary<string, string> Overrides(Report report) =>
        report.Explanations.Where(e => e.RuleKey.StartsWith(ConsolidationResult.CellRuleKey(""), StringComparison.Ordinal))
            .ToDictionary(e => e.RuleKey[ConsolidationResult.CellRuleKey("").Length..], e => e.Text, StringComparer.Ordinal);

    /// <summary>
    /// Overrides one summable cell of the government's report with <paramref name="raw"/> (as typed: 件 or 万元 per the
    /// cell) and its 说明 <paramref name="note"/> (required, at most <see cref="FieldLimits.WarningExplanation"/> characters),
    /// stored as the 说明 of the cell's H1 warning. Returns the field errors (key "value" or "note", messages in Chinese;
    /// key "" for a refusal of the whole request), empty when written.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> OverrideAsync(int reportId, string cellId, string? raw, string? note, string userId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (report, refusal) = await LockGovernmentAsync(reportId, ct);
        if (report is null) return new Dictionary<string, string> { [""] = refusal! };
        var template = editor.TemplateOf(report);
        if (!template.SummableCells.Contains(cellId) || !template.CellsById.TryGetValue(cellId, out var cell))
            return new Dictionary<string, string> { [""] = "这一格不汇总，不能在此改写" };
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var parsed = CellValueParser.ParseCell(raw, cell, null, template.InputMessages);
        if (parsed.Error is { } error) errors["value"] = error;
        else if (parsed.Value is null) errors["value"] = "请填写改写后的数值（不填则请点“恢复汇总值”）";
        var text = note?.Trim() ?? "";
        if (text.Length == 0) errors["note"] = "改写汇总值须写明说明（理由），如“规章只计本级政府制发的一次”";
        else if (text.Length > FieldLimits.WarningExplanation) errors["note"] = $"说明最多{FieldLimits.WarningExplanation}字，当前{text.Length}字";
        if (errors.Count > 0) return errors;
        var now = clock.GetUtcNow();
        ReportEditor.WriteValues(report, template, new Dictionary<string, decimal> { [cellId] = parsed.Value!.Value }, report.Metadata, now, userId);
        report.Explain(ConsolidationResult.CellRuleKey(cellId), text, now, userId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogOverridden(logger, reportId, cellId, userId);
        return errors;
    }

    /// <summary>恢复汇总值 for one cell: writes its current sum (blank when no unit gives one) and removes its override
    /// 说明. Returns a refusal in Chinese, or null.</summary>
    public async Task<string?> RestoreAsync(int reportId, string cellId, string userId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (report, refusal) = await LockGovernmentAsync(reportId, ct);
        if (report is null) return refusal;
        var result = await reader.ConsolidateAsync(report, ct);
        if (result.Cells.FirstOrDefault(c => c.Cell.Id == cellId) is not { } sum) return "这一格不汇总";
        var now = clock.GetUtcNow();
        if (sum.Sum is { } value) ReportEditor.WriteValues(report, result.Template, new Dictionary<string, decimal> { [cellId] = value }, report.Metadata, now, userId);
        else
        {
            report.SetCell(cellId, null, now, userId);
            ReportEditor.StoreTotals(report, result.Template, now, userId);
        }
        report.Explain(ConsolidationResult.CellRuleKey(cellId), null, now, userId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>
    /// Leaves the unit <paramref name="agencyId"/> out of the government's 汇总范围 with <paramref name="reason"/>
    /// (required, at most <see cref="ConsolidationExclusion.MaxReason"/> characters), or counts it again when
    /// <paramref name="reason"/> is null and <paramref name="include"/> is set. The values already written stay until the
    /// clerk accepts the sums again (the H1 warnings say which differ). Returns the field error ("reason") or refusal
    /// (""), empty when done.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ExcludeAsync(int reportId, int agencyId, string? reason, bool include, string userId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (report, refusal) = await LockGovernmentAsync(reportId, ct);
        if (report is null) return new Dictionary<string, string> { [""] = refusal! };
        if (!await db.Agencies.AnyAsync(a => a.Id == agencyId && a.ParentId == report.AgencyId, ct))
            return new Dictionary<string, string> { [""] = "该单位不在本级政府的汇总范围内" };
        var existing = await db.ConsolidationExclusions.FindAsync([reportId, agencyId], ct);
        if (include)
        {
            if (existing is not null) db.ConsolidationExclusions.Remove(existing);
        }
        else
        {
            var text = reason?.Trim() ?? "";
            if (text.Length == 0) return new Dictionary<string, string> { ["reason"] = "排除单位须写明理由，如“垂直管理单位，不属本级编制主体”" };
            if (text.Length > ConsolidationExclusion.MaxReason)
                return new Dictionary<string, string> { ["reason"] = $"理由最多{ConsolidationExclusion.MaxReason}字，当前{text.Length}字" };
            if (existing is not null) db.ConsolidationExclusions.Remove(existing);
            db.ConsolidationExclusions.Add(new ConsolidationExclusion(reportId, agencyId, text, userId, clock.GetUtcNow()));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogExcluded(logger, reportId, agencyId, !include, userId);
        return new Dictionary<string, string>();
    }

    private async Task<(Report? Report, string? Refusal)> LockGovernmentAsync(int reportId, CancellationToken ct)
    {
        var report = await editor.LockAsync(reportId, ct);
        if (report is null) return (null, "报告不存在");
        if (report.Agency.Kind != AgencyKind.Government) return (null, "只有人民政府的全辖区报告可以汇总");
        if (!report.IsEditable) return (null, $"报告状态为“{Report.StatusName(report.Status)}”，不能修改；已发布的报告须先开始更正");
        return (report, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} revision {Revision}: consolidation accepted by user {UserId} ({Cells} cells from {Counted} units, {Missing} units not counted)")]
    private static partial void LogAccepted(ILogger logger, int reportId, int revision, int cells, int counted, int missing, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId}: consolidated cell {CellId} overridden by user {UserId}")]
    private static partial void LogOverridden(ILogger logger, int reportId, string cellId, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId}: unit {AgencyId} excluded={Excluded} by user {UserId}")]
    private static partial void LogExcluded(ILogger logger, int reportId, int agencyId, bool excluded, string userId);
}
