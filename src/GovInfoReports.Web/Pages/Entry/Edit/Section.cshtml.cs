using System.Text.Json;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Pages.Entry.Edit;

/// <summary>The form of one section (narrative or tables), drawn entirely from the template.</summary>
public sealed class SectionModel(ReportEditor editor, AccessControl access) : PageModel
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

    public ReportAccess Access { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int reportId, string sectionId, CancellationToken ct)
    {
        Access = await access.ForReportAsync(reportId, ct);
        if (!Access.Exists) return NotFound();
        if (!Access.Read) return Forbid();
        return await LoadAsync(reportId, sectionId, ct) ? Page() : NotFound();
    }

    /// <summary>"空白格填 0": an explicit request to record 0 in every blank typed cell of this section
    /// (never done silently: blank and 0 mean different things).</summary>
    [BindProperty] public bool FillBlanks { get; set; }

    public async Task<IActionResult> OnPostAsync(int reportId, string sectionId, CancellationToken ct)
    {
        Access = await access.ForReportAsync(reportId, ct);
        if (!Access.Exists) return NotFound();
        if (!Access.Edit) return Forbid();
        if (FillBlanks)
            foreach (var (id, raw) in Input.Cells.ToList())
                if (string.IsNullOrWhiteSpace(raw)) Input.Cells[id] = "0";
        if (!ModelState.IsValid)
        {
            // A field binding refused (e.g. U+0000 in a paragraph): nothing is saved, the page shows what was typed
            // with the message at that cell or paragraph.
            if (!await LoadAsync(reportId, sectionId, ct)) return NotFound();
            Posted = true;
            FieldErrors = FieldErrorsOfBinding();
            return Page();
        }
        var submission = new SectionSubmission(Input.Cells, Input.Original, Input.Texts, Input.TextHashes);
        var result = await editor.SaveSectionAsync(reportId, sectionId, submission, access.UserId, ct);
        if (!result.HasProblems)
        {
            Notice = result.Changed == 0 ? "没有需要保存的修改" : $"已保存（{result.Changed}处修改）";
            return Redirect($"/entry/{reportId}/{sectionId}");
        }
        if (!await LoadAsync(reportId, sectionId, ct)) return NotFound();
        Posted = true;
        FieldErrors = result.FieldErrors;
        Conflicts = result.Conflicts;
        Refusal = result.Refusal;
        Notice = result.Changed > 0 ? $"已保存其余{result.Changed}处修改；标红的格未保存，请改正后再保存" : null;
        return Page();
    }

    /// <summary>Model-binding errors of cells and paragraphs (<c>Input.Cells[id]</c>, <c>Input.Texts[id]</c>) by
    /// cell or part id, where the form shows field errors; any other under "" (shown as the refusal).</summary>
    private Dictionary<string, string> FieldErrorsOfBinding()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, entry) in ModelState)
        {
            if (entry.Errors.FirstOrDefault()?.ErrorMessage is not { } message) continue;
            var id = key.StartsWith("Input.Cells[", StringComparison.Ordinal) || key.StartsWith("Input.Texts[", StringComparison.Ordinal)
                ? key["Input.Cells[".Length..^1] : "";
            errors.TryAdd(id, message);
        }
        if (errors.Remove("", out var other)) Refusal = other;
        return errors;
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

    public bool Editable => State.Report.IsEditable && Access.Edit;

    public IReadOnlyList<string> Conflicts { get; private set; } = [];

    // After a save that left problems the page is shown again. What the clerk changed stays exactly as typed;
    // what the clerk did not touch shows the stored value, which someone else may have changed meanwhile.
    // The "original" sent back is the stored value, except for a cell or part that could not be saved for its
    // own error: it keeps the original the clerk started from, so a later save still detects someone else's edit.

    private bool ChangedByClerk(CellDefinition cell)
    {
        if (!Posted || cell.Computed || !Input.Cells.TryGetValue(cell.Id, out var raw)) return false;
        var typed = CellValueParser.Parse(raw, cell.Kind, State.Template.InputMessages);
        var original = CellValueParser.Parse(Input.Original.GetValueOrDefault(cell.Id), cell.Kind, State.Template.InputMessages);
        return typed.Error is not null || typed.Value != original.Value;
    }

    /// <summary>What the input shows.</summary>
    public string DisplayValue(CellDefinition cell) => ChangedByClerk(cell) ? Input.Cells[cell.Id] ?? "" : StoredValue(cell);

    public string OriginalValue(CellDefinition cell) =>
        ChangedByClerk(cell) && FieldErrors.ContainsKey(cell.Id) && !Conflicts.Contains(cell.Id)
            ? Input.Original.GetValueOrDefault(cell.Id) ?? "" : StoredValue(cell);

    public string StoredValue(CellDefinition cell) =>
        State.Values.TryGetValue(cell.Id, out var v) ? CellValueParser.FormatValue(v) : "";

    private bool ChangedByClerk(NarrativePart part) =>
        Posted && Input.Texts.TryGetValue(part.Id, out var text)
        && ReportEditor.Hash(ReportEditor.NormaliseText(text)) != (Input.TextHashes.GetValueOrDefault(part.Id) ?? ReportEditor.Hash(""));

    public string DisplayText(NarrativePart part) => ChangedByClerk(part) ? Input.Texts[part.Id] ?? "" : StoredText(part);

    public string OriginalHash(NarrativePart part) =>
        ChangedByClerk(part) && (FieldErrors.ContainsKey(part.Id) || FieldErrors.ContainsKey(part.SectionId)) && !Conflicts.Contains(part.Id)
            ? Input.TextHashes.GetValueOrDefault(part.Id) ?? ReportEditor.Hash("") : ReportEditor.Hash(StoredText(part));

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
