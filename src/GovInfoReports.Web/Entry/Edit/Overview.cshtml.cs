using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Entry;

public sealed class OverviewModel(ReportEditor editor, ReportWorkflow workflow, AccessControl access, AppDbContext db,
    DeadlineService deadlines, UserNames names, TimeProvider clock) : PageModel
{
    public sealed record SectionStatus(TemplateSection Section, int Filled, int Total, int Errors, int Warnings);

    public ReportState State { get; private set; } = null!;
    public ReportAccess Access { get; private set; } = null!;
    public IReadOnlyList<SectionStatus> Sections { get; private set; } = [];
    public IReadOnlyList<string> Problems { get; private set; } = [];
    public IReadOnlyList<ReportTransition> History { get; private set; } = [];
    public IReadOnlyList<ReviewComment> Comments { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();
    public Deadline Deadline { get; private set; } = null!;
    /// <summary>Not published by the deadline: still unpublished after it, or first published after it.</summary>
    public bool Overdue => Deadline.IsOverdue(State.Report.FirstPublishedAt ?? clock.GetUtcNow());
    [TempData] public string? Notice { get; set; }

    [BindProperty] public Dictionary<string, string?> Explanations { get; set; } = new();
    [BindProperty] public Dictionary<string, string?> ExplanationOriginals { get; set; } = new();
    public IReadOnlyDictionary<string, string> ExplanationErrors { get; private set; } = new Dictionary<string, string>();
    [BindProperty] public string? CorrectionNote { get; set; }

    public bool Editable => State.Report.IsEditable && Access.Edit;

    /// <summary>The reason of the latest 退回 of the current revision, shown to the clerk.</summary>
    public ReportTransition? LastReturn => State.Report.Status == ReportStatus.Returned
        ? History.LastOrDefault(t => t.To == ReportStatus.Returned) : null;

    public async Task<IActionResult> OnGetAsync(int reportId, CancellationToken ct)
    {
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Read, ct);
        if (refusal is not null) return refusal;
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    /// <summary>The report's tables as an Excel workbook in the statutory layout (<see cref="TablesWorkbook"/>), to fill in
    /// Excel or WPS and upload back through 导入报告.</summary>
    public async Task<IActionResult> OnGetWorkbookAsync(int reportId, CancellationToken ct)
    {
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Read, ct);
        if (refusal is not null) return refusal;
        if (!await LoadAsync(reportId, ct)) return NotFound();
        var report = State.Report;
        var bytes = TablesWorkbook.Render(State.Template, report.Metadata.Title, report.CellValues(), report.CellUnits());
        return File(bytes, TablesWorkbook.ContentType, $"{report.Agency.Code}-{report.Year}-tables.xlsx");
    }

    public Task<IActionResult> OnPostExplainAsync(int reportId, CancellationToken ct) => EditAsync(reportId, ct, async () =>
    {
        var errors = await editor.SaveExplanationsAsync(reportId, Explanations, ExplanationOriginals, access.UserId, ct);
        ExplanationErrors = errors;
        return errors.Count == 0 ? ("说明已保存", []) : (null, errors.Select(e => e.Key == "" ? e.Value : "有说明未保存，见下方标红处").Distinct().ToList());
    });

    /// <summary>提交审核. When the report has warnings the button posts the 说明 form, so the 说明 typed on the page are
    /// saved first (as 保存说明 would); if one cannot be saved, nothing is submitted and the page shows why.</summary>
    public Task<IActionResult> OnPostSubmitAsync(int reportId, CancellationToken ct) => EditAsync(reportId, ct, async () =>
    {
        if (Explanations.Count > 0)
        {
            var errors = await editor.SaveExplanationsAsync(reportId, Explanations, ExplanationOriginals, access.UserId, ct);
            ExplanationErrors = errors;
            if (errors.Count > 0)
                return (null, errors.Select(e => e.Key == "" ? e.Value : "有说明未保存，见下方标红处").Distinct().ToList());
        }
        var result = await workflow.SubmitAsync(reportId, access.UserId!, ct);
        return result.Done ? ("报告已提交，等待审核", []) : (null, result.Problems);
    });

    public Task<IActionResult> OnPostCorrectAsync(int reportId, CancellationToken ct) => EditAsync(reportId, ct, async () =>
    {
        var result = await workflow.StartCorrectionAsync(reportId, access.UserId!, CorrectionNote, ct);
        return result.Done ? ("已开始更正：修改后提交审核，发布后成为新的公开版本，原版本保留", []) : (null, result.Problems);
    });

    public Task<IActionResult> OnPostCorrectionNoteAsync(int reportId, CancellationToken ct) => EditAsync(reportId, ct, async () =>
    {
        var error = await editor.SaveCorrectionNoteAsync(reportId, CorrectionNote, access.UserId, ct);
        return error is null ? ("更正说明已保存", []) : (null, [error]);
    });

    /// <summary>A clerk's action: checked against the grants, then redirect on success or show the problems.</summary>
    private async Task<IActionResult> EditAsync(int reportId, CancellationToken ct, Func<Task<(string? Notice, IReadOnlyList<string> Problems)>> action)
    {
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Edit, ct);
        if (refusal is not null) return refusal;
        var (notice, problems) = ModelState.IsValid ? await action() : RefusedBinding();
        if (problems.Count == 0)
        {
            Notice = notice;
            return Redirect($"/entry/{reportId}");
        }
        Problems = problems;
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    /// <summary>A field binding refused (e.g. U+0000 in a 说明 or the 更正说明): nothing is done; a 说明's message is
    /// shown at it, any other in the problem list, and the page keeps what was typed.</summary>
    private (string?, IReadOnlyList<string>) RefusedBinding()
    {
        var errors = ModelState.Where(e => e.Value is { Errors.Count: > 0 })
            .Select(e => (e.Key, Message: e.Value!.Errors[0].ErrorMessage)).ToList();
        ExplanationErrors = errors.Where(e => e.Key.StartsWith("Explanations[", StringComparison.Ordinal))
            .ToDictionary(e => e.Key["Explanations[".Length..^1], e => e.Message, StringComparer.Ordinal);
        return (null, errors.Select(e => e.Key.StartsWith("Explanations[", StringComparison.Ordinal) ? "有说明未保存，见下方标红处"
            : e.Key == nameof(CorrectionNote) ? $"更正说明：{e.Message}" : e.Message).Distinct().ToList());
    }

    private async Task<bool> LoadAsync(int reportId, CancellationToken ct)
    {
        var state = await editor.LoadAsync(reportId, ct);
        if (state is null) return false;
        State = state;
        var stored = state.Report.CellValues();
        Sections = state.Template.Sections.Select(s =>
        {
            var typed = s.Tables.SelectMany(t => t.Cells).Where(c => !c.Computed).ToList();
            var (filled, total) = s.Kind == SectionKind.Narrative
                ? (state.Report.Parts(s.Id).Count(p => !string.IsNullOrWhiteSpace(p.Text)), state.Report.Parts(s.Id).Count)
                : (typed.Count(c => stored.ContainsKey(c.Id)), typed.Count);
            var violations = state.For(s.Id).ToList();
            return new SectionStatus(s, filled, total,
                violations.Count(v => v.Severity == Severity.Error), violations.Count(v => v.Severity == Severity.Warning));
        }).ToList();
        foreach (var e in state.Report.Explanations) Explanations.TryAdd(e.RuleKey, e.Text);
        // After a refused save, a 说明 that was saved or conflicted is compared from its stored text next time.
        foreach (var e in state.Report.Explanations)
            if (!ExplanationErrors.ContainsKey(e.RuleKey) || ExplanationErrors[e.RuleKey].StartsWith("保存冲突", StringComparison.Ordinal))
                ExplanationOriginals[e.RuleKey] = e.Text;
        History = await db.ReportTransitions.AsNoTracking().Where(t => t.ReportId == reportId).OrderBy(t => t.At).ThenBy(t => t.Id).ToListAsync(ct);
        Comments = await db.ReviewComments.AsNoTracking().Where(c => c.ReportId == reportId && c.Revision == state.Report.Revision)
            .OrderBy(c => c.At).ToListAsync(ct);
        Names = await names.ForAsync(History.Select(h => h.UserId).Concat(Comments.Select(c => c.UserId)), ct);
        Deadline = await deadlines.ForAsync(state.Report.Agency, state.Report.Year, ct);
        CorrectionNote ??= state.Report.CorrectionNote;
        return true;
    }

    public string NameOf(string? userId) => userId is null ? "系统" : Names.GetValueOrDefault(userId) ?? userId;

    public string SectionHeading(string? sectionId) =>
        sectionId is null ? "整体" : State.Template.FindSection(sectionId)?.Heading ?? sectionId;
}
