using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Pages.Entry.Edit;

public sealed class OverviewModel(ReportEditor editor) : PageModel
{
    public sealed record SectionStatus(TemplateSection Section, int Filled, int Total, int Errors, int Warnings);

    public ReportState State { get; private set; } = null!;
    public IReadOnlyList<SectionStatus> Sections { get; private set; } = [];
    public IReadOnlyList<string> Problems { get; private set; } = [];
    [TempData] public string? Notice { get; set; }

    [BindProperty] public Dictionary<string, string?> Explanations { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(int reportId, CancellationToken ct) =>
        await LoadAsync(reportId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostExplainAsync(int reportId, CancellationToken ct)
    {
        var error = await editor.SaveExplanationsAsync(reportId, Explanations, ct);
        if (error is not null) Problems = [error];
        else Notice = "说明已保存";
        if (error is null) return Redirect($"/entry/{reportId}");
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostSubmitAsync(int reportId, CancellationToken ct)
    {
        var result = await editor.SubmitAsync(reportId, ct);
        if (result.Submitted)
        {
            Notice = "报告已提交";
            return Redirect($"/entry/{reportId}");
        }
        Problems = result.Problems;
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(int reportId, CancellationToken ct)
    {
        var state = await editor.LoadAsync(reportId, ct);
        if (state is null) return false;
        State = state;
        var stored = state.Report.CellValues();
        var texts = state.Report.TextValues();
        Sections = state.Template.Sections.Select(s =>
        {
            var typed = s.Tables.SelectMany(t => t.Cells).Where(c => !c.Computed).ToList();
            var (filled, total) = s.Kind == SectionKind.Narrative
                ? (s.Parts.Count(p => !string.IsNullOrWhiteSpace(texts.GetValueOrDefault(p.Id))), s.Parts.Count)
                : (typed.Count(c => stored.ContainsKey(c.Id)), typed.Count);
            var violations = state.For(s.Id).ToList();
            return new SectionStatus(s, filled, total,
                violations.Count(v => v.Severity == Severity.Error), violations.Count(v => v.Severity == Severity.Warning));
        }).ToList();
        foreach (var e in state.Report.Explanations) Explanations.TryAdd(e.RuleKey, e.Text);
        return true;
    }
}
