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
public sealed record ScopeUnit(int AgencyId, string Name, AgencyKind Kind, int? ReportId, ReportStatus? Status, int PublishedVersions,
    string? TemplateCode, DateOnly? PublishedOn)
{
    /// <summary>Whether the unit's report counts: its latest published version, else its approved content. A draft, a
    /// submitted or a returned report never counts; it is listed as missing with its status, never counted as 0.</summary>
    public bool Counted => PublishedVersions > 0 || Status == ReportStatus.Approved;

    /// <summary>The published version that counts, or null (the approved content counts, or nothing does).</summary>
    public int? CountedVersion => PublishedVersions > 0 ? PublishedVersions : null;

    /// <summary>What the scope table says of the report's state, e.g. 已发布（第2版）, 草稿, 未填报.</summary>
    public string StatusText => Status is not { } status ? "未填报"
        : PublishedVersions > 0 && status != ReportStatus.Published ? $"{Report.StatusName(status)}（更正修订中，已发布第{PublishedVersions}版）"
        : status == ReportStatus.Published ? $"已发布（第{PublishedVersions}版）"
        : Report.StatusName(status);

    /// <summary>Why the unit is counted or not, in the words of the scope table and of 汇总范围.</summary>
    public string Reason => Status is null ? "未填报"
        : PublishedVersions > 0 ? $"计入已发布的第{PublishedVersions}版" + (Status == ReportStatus.Published ? "" : "（修订稿未计入）")
        : Status == ReportStatus.Approved ? "计入已审核通过的内容（尚未发布）"
        : "尚未审核通过";
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
    public IReadOnlyList<ScopeUnit> Missing => Units.Where(u => !u.Counted).ToList();

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
        if (Missing.Count == 0) return text;
        var listed = $"{text}（未计入：{string.Join("；", Missing.Select(u => $"{u.Name}，{u.Reason}"))}）";
        return listed.Length <= maxLength ? listed : $"{text}（另有{Missing.Count}个单位未计入）";
    }

    /// <summary>A fingerprint of what would be written (every sum and 汇总范围): the page posts the one it showed, and
    /// 采用汇总值 is refused when the consolidation changed meanwhile (a unit published or corrected its report).</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder();
        foreach (var u in Units) text.Append(CultureInfo.InvariantCulture, $"{u.AgencyId}:{u.Status}:{u.PublishedVersions}:{u.TemplateCode}\n");
        foreach (var c in Cells) text.Append(CultureInfo.InvariantCulture, $"{c.Cell.Id}={c.Sum}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>
/// Builds the scope and the consolidation of a government's 全辖区 report in SQL (one query for the scope,
/// one for the counted units' values of the summable cells, which give both the sums and the drill-down), never loading the units' reports,
/// and writes the sums into the government's report when its clerk accepts them (采用汇总值).
/// </summary>
public sealed partial class ConsolidationService(AppDbContext db, TemplateCatalog catalog, ReportEditor editor, TimeProvider clock,
    ILogger<ConsolidationService> logger)
{
    // The units (children of the government in the agency tree) and, for those whose report counts, the version that
    // counts: the latest published version (a snapshot), else the approved report's own cells. {0}: government id,
    // {1}: year, {2}: the summable cell ids of the government's format.
    private const string CountedSql = """
        WITH counted AS (
            SELECT r.agency_id, r.id AS report_id, r.published_versions, s.id AS snapshot_id,
                   COALESCE(s.template_code, r.template_code) AS template_code
            FROM agencies a
            JOIN reports r ON r.agency_id = a.id AND r.year = {1}
            LEFT JOIN report_snapshots s ON s.report_id = r.id AND s.kind = 'Publication' AND s.version = r.published_versions
            WHERE a.parent_id = {0} AND a.id <> {0} AND (r.published_versions > 0 OR r.status = 'Approved')
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
    /// (a child in the agency tree) with its report's state and whether it counts (subordinate governments, 乡镇, 街道, then
    /// 部门, each by name).</summary>
    public async Task<IReadOnlyList<ScopeUnit>> ScopeAsync(int governmentId, int year, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<ScopeRow>($"""
            SELECT a.id AS agency_id, a.name, a.kind, r.id AS report_id, r.status, r.published_versions,
                   COALESCE(s.template_code, r.template_code) AS template_code, s.at AS published_at, s.archive_published_on
            FROM agencies a
            LEFT JOIN reports r ON r.agency_id = a.id AND r.year = {year}
            LEFT JOIN report_snapshots s ON s.report_id = r.id AND s.kind = 'Publication' AND s.version = r.published_versions
            WHERE a.parent_id = {governmentId} AND a.id <> {governmentId}
            """).ToListAsync(ct);
        return rows.Select(r => new ScopeUnit(r.AgencyId, r.Name, Enum.Parse<AgencyKind>(r.Kind), r.ReportId,
                r.Status is null ? null : Enum.Parse<ReportStatus>(r.Status), r.PublishedVersions ?? 0, r.TemplateCode,
                r.ArchivePublishedOn ?? (r.PublishedAt is { } at ? BeijingTime.Day(at) : null)))
            .OrderBy(u => KindOrder(u.Kind)).ThenBy(u => u.Name, StringComparer.Ordinal).ToList();
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
    public async Task<ConsolidationResult> ConsolidateAsync(Report report, CancellationToken ct)
    {
        var template = editor.TemplateOf(report);
        var units = await ScopeAsync(report.AgencyId, report.Year, ct);
        var ids = template.SummableCells.ToArray();
        // Every counted unit's values are read for the drill-down anyway, so the sums are taken from them here rather than
        // by a second, aggregating query over the same rows.
        var values = await db.Database.SqlQuery<UnitValue>(Counted(report, ids, """
            SELECT agency_id, cell_id, value FROM unit_values
            """)).ToListAsync(ct);

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
        return new ConsolidationResult(report.Agency, report.Year, template, units, cells, notInFormat);
    }

    private static FormattableString Counted(Report report, string[] ids, string select) =>
        FormattableStringFactory.Create(CountedSql + select, report.AgencyId, report.Year, ids);

    /// <summary>
    /// 采用汇总值: writes every sum into the government's report as a clerk's save writes cells (each change audited under
    /// <paramref name="userId"/>, totals recomputed) and sets 汇总范围 from the scope. Refused, with the reason in Chinese,
    /// when the report cannot be edited, is not a government's, no unit counts, or the consolidation no longer has the
    /// <paramref name="fingerprint"/> the clerk saw. Returns null when written.
    /// </summary>
    public async Task<string?> AcceptAsync(int reportId, string? fingerprint, string userId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var report = await editor.LockAsync(reportId, ct);
        if (report is null) return "报告不存在";
        if (report.Agency.Kind != AgencyKind.Government) return "只有人民政府的全辖区报告可以汇总";
        if (!report.IsEditable) return $"报告状态为“{Report.StatusName(report.Status)}”，不能修改";
        var result = await ConsolidateAsync(report, ct);
        if (result.Counted.Count == 0) return "没有可计入的单位报告（须已审核通过或已发布），不能采用汇总值";
        if (result.Fingerprint() != fingerprint) return "汇总数据在您打开页面后有变化（如单位发布或更正了报告），未采用；请核对下面新的汇总值后再采用";
        var template = result.Template;
        var max = template.MetadataField(ReportMetadata.UnitsCoveredField).MaxLength ?? FieldLimits.UnitsCovered;
        var sums = result.Sums();
        foreach (var (cellId, value) in sums)
        {
            var cell = template.CellsById[cellId];
            if (Math.Abs(value) > cell.Kind.Max)
                return $"“{cell.AccessibleName}”的汇总值{CellValueParser.FormatValue(value)}超出可填写的范围，未采用";
        }
        ReportEditor.WriteValues(report, template, sums, report.Metadata with { UnitsCovered = result.UnitsCoveredText(Math.Min(max, FieldLimits.UnitsCovered)) },
            clock.GetUtcNow(), userId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogAccepted(logger, reportId, report.Revision, sums.Count, result.Counted.Count, result.Missing.Count, userId);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} revision {Revision}: consolidation accepted by user {UserId} ({Cells} cells from {Counted} units, {Missing} units not counted)")]
    private static partial void LogAccepted(ILogger logger, int reportId, int revision, int cells, int counted, int missing, string userId);

    internal sealed record ScopeRow(int AgencyId, string Name, string Kind, int? ReportId, string? Status, int? PublishedVersions,
        string? TemplateCode, DateTimeOffset? PublishedAt, DateOnly? ArchivePublishedOn);

    internal sealed record UnitValue(int AgencyId, string CellId, decimal Value);
}
