using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Consolidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Entry;

/// <summary>
/// 全辖区汇总 of a government's report (template-spec §11): the scope (each unit, its status, its deadline, whether it
/// counts and why, its publication date; excluding a unit needs a reason) and, per table of 二/三/四, each summable cell's
/// current value beside the sum over the counted units, its mark (汇总值, 已改写 with the 说明, or 与汇总值不一致), and the
/// contributions by unit. For whoever may read the report (its 填报员, the 审核员 above it: read-only); 采用汇总值
/// (confirmed), 改写 (with a 说明), 恢复汇总值 and 排除/恢复计入 are its 填报员's, on an editable report. Any other
/// agency's report: 404.
/// </summary>
public sealed class ConsolidationModel(ReportEditor editor, ConsolidationReader reader, ConsolidationService consolidation, AccessControl access,
    TimeProvider clock) : PageModel
{
    public ReportState State { get; private set; } = null!;
    public ConsolidationResult Result { get; private set; } = null!;
    public ReportAccess Access { get; private set; } = null!;
    public IReadOnlyDictionary<string, decimal> Current { get; private set; } = new Dictionary<string, decimal>();
    /// <summary>The 说明 of each overridden cell (cell id → text).</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; private set; } = new Dictionary<string, string>();
    [TempData] public string? Notice { get; set; }
    public string? Refusal { get; private set; }

    /// <summary>The <see cref="ConsolidationResult.Fingerprint"/> of the sums the page showed.</summary>
    [BindProperty] public string? Fingerprint { get; set; }

    /// <summary>Set by the confirm button of 采用汇总值: a post without it writes nothing and opens the confirmation.</summary>
    [BindProperty] public bool Confirmed { get; set; }
    public bool Unconfirmed { get; private set; }

    /// <summary>Show only the cells whose value differs from the sum (a 表三 has some 150 summable cells).</summary>
    [BindProperty(SupportsGet = true)] public bool Differing { get; set; }

    /// <summary>The override form as posted (cell, value as typed, 说明), kept when refused so nothing typed is lost.</summary>
    [BindProperty] public string? CellId { get; set; }
    [BindProperty] public string? Value { get; set; }
    [BindProperty] public string? Note { get; set; }

    /// <summary>The exclusion form as posted (unit, reason).</summary>
    [BindProperty] public int? AgencyId { get; set; }
    [BindProperty] public string? Reason { get; set; }

    /// <summary>Errors of the form posted, next to its fields ("value", "note", "reason").</summary>
    public IReadOnlyDictionary<string, string> FieldErrors { get; private set; } = new Dictionary<string, string>();

    public bool Editable => State.Report.IsEditable && Access.Edit;

    public DateOnly Today => BeijingTime.Day(clock.GetUtcNow());

    public string ReportLabel => $"{State.Report.Agency.Name} {State.Report.Year}年度";

    /// <summary>The 汇总范围 that 采用汇总值 would write.</summary>
    public string UnitsCoveredText => Result.UnitsCoveredText(
        State.Template.MetadataField(ReportMetadata.UnitsCoveredField).MaxLength ?? Data.FieldLimits.UnitsCovered);

    public async Task<IActionResult> OnGetAsync(int reportId, CancellationToken ct)
    {
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Read, ct);
        if (refusal is not null) return refusal;
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAcceptAsync(int reportId, CancellationToken ct)
    {
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Edit, ct);
        if (refusal is not null) return refusal;
        if (!Confirmed)
        {
            Unconfirmed = true;
            Refusal = "尚未采用：请在确认框中核对后点击“确认采用汇总值”";
            return await LoadAsync(reportId, ct) ? Page() : NotFound();
        }
        var shown = Fingerprint;
        if (!await LoadAsync(reportId, ct)) return NotFound();
        var kept = ConsolidationService.Overridden(State.Report).Count;
        Refusal = await consolidation.AcceptAsync(reportId, shown, access.UserId!, ct);
        if (Refusal is null)
        {
            Notice = $"已采用汇总值，合计已重新计算，汇总范围已更新" + (kept > 0 ? $"；{kept}格保留了您改写的值及其说明" : "");
            return Redirect($"/entry/{reportId}/consolidation");
        }
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostOverrideAsync(int reportId, CancellationToken ct)
    {
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Edit, ct);
        if (refusal is not null) return refusal;
        var errors = await consolidation.OverrideAsync(reportId, CellId ?? "", Value, Note, access.UserId!, ct);
        if (errors.Count == 0)
        {
            Notice = "已改写该格，说明已记录（提交时随报告送审核员）";
            return Redirect($"/entry/{reportId}/consolidation{(Differing ? "?differing=true" : "")}#c-{CellId}");
        }
        Refusal = errors.GetValueOrDefault("");
        FieldErrors = errors;
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRestoreAsync(int reportId, CancellationToken ct)
    {
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Edit, ct);
        if (refusal is not null) return refusal;
        Refusal = await consolidation.RestoreAsync(reportId, CellId ?? "", access.UserId!, ct);
        if (Refusal is null)
        {
            Notice = "已恢复汇总值，改写说明已删除";
            return Redirect($"/entry/{reportId}/consolidation{(Differing ? "?differing=true" : "")}#c-{CellId}");
        }
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostExcludeAsync(int reportId, CancellationToken ct) => ScopeChangeAsync(reportId, include: false, ct);

    public Task<IActionResult> OnPostIncludeAsync(int reportId, CancellationToken ct) => ScopeChangeAsync(reportId, include: true, ct);

    private async Task<IActionResult> ScopeChangeAsync(int reportId, bool include, CancellationToken ct)
    {
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Edit, ct);
        if (refusal is not null) return refusal;
        var errors = await consolidation.ExcludeAsync(reportId, AgencyId ?? 0, Reason, include, access.UserId!, ct);
        if (errors.Count == 0)
        {
            Notice = include ? "该单位已恢复计入；请核对汇总值后重新采用" : "该单位已排除，理由已记录；请核对汇总值后重新采用";
            return Redirect($"/entry/{reportId}/consolidation#scope");
        }
        Refusal = errors.GetValueOrDefault("");
        FieldErrors = errors;
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    /// <summary>Loads the report and its consolidation; false (404) for no report, or one that is not a government's.</summary>
    private async Task<bool> LoadAsync(int reportId, CancellationToken ct)
    {
        var state = await editor.LoadAsync(reportId, ct);
        if (state is null || state.Report.Agency.Kind != AgencyKind.Government) return false;
        State = state;
        Current = state.Report.CellValues();
        Overrides = ConsolidationService.Overrides(state.Report);
        Result = await reader.ConsolidateAsync(state.Report, ct);
        // A refused post shows the sums as they are now, with their own fingerprint: accepting again accepts those.
        Fingerprint = Result.Fingerprint();
        return true;
    }

    /// <summary>A cell's mark: 汇总值 (its value is the current sum, once accepted), 已改写 (differs, with a 说明),
    /// 与汇总值不一致 (differs without one), or 未采用 (the sums were never accepted).</summary>
    public string Mark(CellSum sum)
    {
        decimal? current = Current.TryGetValue(sum.Cell.Id, out var v) ? v : null;
        if (Result.AcceptedAt is null) return current == sum.Sum ? "与汇总值相同（尚未采用）" : "尚未采用";
        if (current == sum.Sum) return "汇总值";
        return Overrides.ContainsKey(sum.Cell.Id) ? "已改写" : "与汇总值不一致";
    }

    /// <summary>A value as the tables print it, or “空白”.</summary>
    public static string Show(decimal? value) => value is { } v ? Domain.Values.CellValueParser.FormatValue(v) : "空白";
}
