using System.Text.Json;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Pages.Entry.Edit;

/// <summary>The form of one section (narrative or tables), drawn entirely from the template.</summary>
public sealed class SectionModel(ReportEditor editor) : PageModel
{
    public sealed class SectionForm
    {
        public Dictionary<string, string?> Cells { get; set; } = new();
        public Dictionary<string, string?> Original { get; set; } = new();
        public Dictionary<string, string?> Texts { get; set; } = new();
        public Dictionary<string, string?> TextHashes { get; set; } = new();
    }

    [BindProperty] public SectionForm Input { get; set; } = new();
    [TempData] public string? Notice { get; set; }

    public ReportState State { get; private set; } = null!;
    public TemplateSection Section { get; private set; } = null!;
    public IReadOnlyList<Violation> Violations { get; private set; } = [];
    public IReadOnlyDictionary<string, string> FieldErrors { get; private set; } = new Dictionary<string, string>();
    public string? Refusal { get; private set; }
    public bool Posted { get; private set; }

    public async Task<IActionResult> OnGetAsync(int reportId, string sectionId, CancellationToken ct) =>
        await LoadAsync(reportId, sectionId, ct) ? Page() : NotFound();

    /// <summary>"空白格填 0": an explicit request to record 0 in every blank typed cell of this section
    /// (never done silently: blank and 0 mean different things).</summary>
    [BindProperty] public bool FillBlanks { get; set; }

    public async Task<IActionResult> OnPostAsync(int reportId, string sectionId, CancellationToken ct)
    {
        if (FillBlanks)
            foreach (var (id, raw) in Input.Cells.ToList())
                if (string.IsNullOrWhiteSpace(raw)) Input.Cells[id] = "0";
        var submission = new SectionSubmission(Input.Cells, Input.Original, Input.Texts, Input.TextHashes);
        var result = await editor.SaveSectionAsync(reportId, sectionId, submission, ct);
        if (!result.HasProblems)
        {
            Notice = result.Changed == 0 ? "没有需要保存的修改" : $"已保存（{result.Changed}处修改）";
            return Redirect($"/entry/{reportId}/{sectionId}");
        }
        if (!await LoadAsync(reportId, sectionId, ct)) return NotFound();
        Posted = true;
        FieldErrors = result.FieldErrors;
        Refusal = result.Refusal;
        Notice = result.Changed > 0 ? $"已保存其余{result.Changed}处修改；标红的格未保存，请改正后再保存" : null;
        return Page();
    }

    private async Task<bool> LoadAsync(int reportId, string sectionId, CancellationToken ct)
    {
        var state = await editor.LoadAsync(reportId, ct);
        var section = state?.Template.FindSection(sectionId);
        if (state is null || section is null) return false;
        State = state;
        Section = section;
        Violations = state.For(sectionId).ToList();
        return true;
    }

    public bool Editable => State.Report.IsEditable;

    /// <summary>What the input shows: after a refused save, exactly what the clerk typed.</summary>
    public string DisplayValue(CellDefinition cell) =>
        Posted && !cell.Computed && Input.Cells.TryGetValue(cell.Id, out var raw) ? raw ?? "" : StoredValue(cell);

    public string StoredValue(CellDefinition cell) =>
        State.Values.TryGetValue(cell.Id, out var v) ? CellValueParser.FormatValue(v) : "";

    public string DisplayText(NarrativePart part) =>
        Posted && Input.Texts.TryGetValue(part.Id, out var text) ? text ?? "" : StoredText(part);

    public string StoredText(NarrativePart part) => State.Report.TextValues().GetValueOrDefault(part.Id) ?? "";

    public static string DomId(string id) => "c-" + id.Replace('.', '-');

    public string? ErrorFor(string id) => FieldErrors.GetValueOrDefault(id);

    /// <summary>Ids of the rule messages that involve a cell, for aria-describedby.</summary>
    public IEnumerable<string> ViolationIdsFor(string cellId) =>
        Violations.Select((v, i) => (v, i)).Where(x => x.v.MarksCells && x.v.Cells.Contains(cellId)).Select(x => $"v-{x.i}");

    public string? SeverityClass(string cellId)
    {
        var involved = Violations.Where(v => v.MarksCells && v.Cells.Contains(cellId)).ToList();
        return involved.Any(v => v.Severity == Severity.Error) ? "rule-error"
            : involved.Any(v => v.Severity == Severity.Warning) ? "rule-warning" : null;
    }

    public string ClientTemplateJson() =>
        JsonSerializer.Serialize(ClientTemplate.For(State.Template, State.Report.Agency.RuleContext(), Section.Id), TemplateDefinition.JsonOptions);
}
