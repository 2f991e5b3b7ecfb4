using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Consolidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Entry;

/// <summary>
/// 全辖区汇总 of a government's report (template-spec §11): the scope (each unit, its status, whether it counts and why,
/// its publication date) and, per table of 二/三/四, each summable cell's current value beside the sum over the counted
/// units, with the contributions by unit. For whoever may read the report (its 填报员, the 审核员 above it: read-only);
/// 采用汇总值 (confirmed) is its 填报员's, on an editable report. Any other agency's report: 404.
/// </summary>
public sealed class ConsolidationModel(ReportEditor editor, ConsolidationService consolidation, AccessControl access) : PageModel
{
    public ReportState State { get; private set; } = null!;
    public ConsolidationResult Result { get; private set; } = null!;
    public ReportAccess Access { get; private set; } = null!;
    public IReadOnlyDictionary<string, decimal> Current { get; private set; } = new Dictionary<string, decimal>();
    [TempData] public string? Notice { get; set; }
    public string? Refusal { get; private set; }

    /// <summary>The <see cref="ConsolidationResult.Fingerprint"/> of the sums the page showed.</summary>
    [BindProperty] public string? Fingerprint { get; set; }

    /// <summary>Set by the confirm button of 采用汇总值: a post without it writes nothing and opens the confirmation.</summary>
    [BindProperty] public bool Confirmed { get; set; }
    public bool Unconfirmed { get; private set; }

    public bool Editable => State.Report.IsEditable && Access.Edit;

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
        Refusal = await consolidation.AcceptAsync(reportId, shown, access.UserId!, ct);
        if (Refusal is null)
        {
            Notice = $"已采用汇总值（{Result.Sums().Count}格），合计已重新计算，汇总范围已更新";
            return Redirect($"/entry/{reportId}/consolidation");
        }
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    /// <summary>Loads the report and its consolidation; false (404) for no report, or one that is not a government's.</summary>
    private async Task<bool> LoadAsync(int reportId, CancellationToken ct)
    {
        var state = await editor.LoadAsync(reportId, ct);
        if (state is null || state.Report.Agency.Kind != AgencyKind.Government) return false;
        State = state;
        Current = state.Report.CellValues();
        Result = await consolidation.ConsolidateAsync(state.Report, ct);
        // A refused post shows the sums as they are now, with their own fingerprint: accepting again accepts those.
        Fingerprint = Result.Fingerprint();
        return true;
    }

    /// <summary>A value as the tables print it, or “空白”.</summary>
    public static string Show(decimal? value) => value is { } v ? Domain.Values.CellValueParser.FormatValue(v) : "空白";
}
