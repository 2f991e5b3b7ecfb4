using System.Text.Json;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Entry;

/// <summary>The form of one section (narrative or tables), drawn entirely from the template. When the database
/// cannot be reached, a save answers 503 with the form drawn from the template and what was posted alone, so
/// nothing typed is lost and the same form can be saved again later.</summary>
public sealed class SectionModel(ReportEditor editor, AccessControl access, TemplateCatalog catalog) : PageModel
{
    public sealed class SectionForm
    {
        public Dictionary<string, string?> Cells { get; set; } = new();
        public Dictionary<string, string?> Original { get; set; } = new();
        public Dictionary<string, string?> Texts { get; set; } = new();
        public Dictionary<string, string?> TextHashes { get; set; } = new();
        /// <summary>The unit chosen beside each cell with unit choices (cell id → unit code), and as drawn.</summary>
        public Dictionary<string, string?> Units { get; set; } = new();
        public Dictionary<string, string?> OriginalUnits { get; set; } = new();
        /// <summary>The heading typed for each narrative part (part id → heading; blank: none), and as drawn.</summary>
        public Dictionary<string, string?> Headings { get; set; } = new();
        public Dictionary<string, string?> OriginalHeadings { get; set; } = new();
        /// <summary>The report's template code, carried by the form so the page can be drawn without the database.</summary>
        public string? Template { get; set; }
    }

    [BindProperty] public SectionForm Input { get; set; } = new();
    [TempData] public string? Notice { get; set; }

    /// <summary>The report as loaded; null while the database is unreachable (<see cref="Outage"/>).</summary>
    public ReportState? State { get; private set; }
    public ReportTemplate Template { get; private set; } = null!;
    public TemplateSection Section { get; private set; } = null!;
    public int ReportId { get; private set; }
    /// <summary>The save could not reach the database: the page shows what was posted, with HTTP 503.</summary>
    public bool Outage { get; private set; }
    private IReadOnlyDictionary<string, decimal> _values = new Dictionary<string, decimal>();
    public IReadOnlyList<Violation> Violations { get; private set; } = [];
    public IReadOnlyDictionary<string, string> FieldErrors { get; private set; } = new Dictionary<string, string>();
    public string? Refusal { get; private set; }
    public bool Posted { get; private set; }

    public ReportAccess Access { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int reportId, string sectionId, CancellationToken ct)
    {
        ReportId = reportId;
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Read, ct);
        if (refusal is not null) return refusal;
        return await LoadAsync(reportId, sectionId, ct) ? Page() : NotFound();
    }

    /// <summary>"空白格填 0": an explicit request to record 0 in every blank typed cell of this section
    /// (never done silently: blank and 0 mean different things).</summary>
    [BindProperty] public bool FillBlanks { get; set; }

    public async Task<IActionResult> OnPostAsync(int reportId, string sectionId, CancellationToken ct)
    {
        ReportId = reportId;
        try
        {
            return await SaveAsync(reportId, sectionId, ct);
        }
        catch (Exception e) when (DatabaseOutage.Is(e) && DrawFromPost(sectionId))
        {
            Refusal = DatabaseOutage.UnsavedMessage;
            var page = Page();
            page.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return page;
        }
    }

    private async Task<IActionResult> SaveAsync(int reportId, string sectionId, CancellationToken ct)
    {
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Edit, ct);
        if (refusal is not null) return refusal;
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
        var submission = new SectionSubmission(Input.Cells, Input.Original, Input.Texts, Input.TextHashes)
            { Units = Input.Units, OriginalUnits = Input.OriginalUnits, Headings = Input.Headings, OriginalHeadings = Input.OriginalHeadings };
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
        Template = state.Template;
        Section = section;
        _values = state.Values;
        Violations = state.For(sectionId).ToList();
        return true;
    }

    /// <summary>Prepares the page from the posted form and the template alone (the template the form names, else
    /// the newest one). False when the section is unknown to it: the generic 503 page is shown instead.</summary>
    private bool DrawFromPost(string sectionId)
    {
        var template = catalog.Get(Input.Template ?? "") ?? catalog.All[0];
        if (template.FindSection(sectionId) is not { } section) return false;
        Outage = true;
        Posted = true;
        Template = template;
        Section = section;
        // Totals of what was typed (a cell with bad input counts as blank), as the browser would show them.
        var typed = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var cell in section.Tables.SelectMany(t => t.Cells).Where(c => !c.Computed))
            if (CellValueParser.ParseCell(Input.Cells.GetValueOrDefault(cell.Id), cell, Input.Units.GetValueOrDefault(cell.Id), template.InputMessages).Value is { } value)
                typed[cell.Id] = value;
        _values = RuleEvaluator.WithTotals(template, typed);
        return true;
    }

    /// <summary>During an outage the form stays editable, so it can be posted again; the next save checks the
    /// user's rights as always.</summary>
    public bool Editable => Outage || (State!.Report.IsEditable && Access.Edit);

    /// <summary>"{agency} {year}年度", or a plain label when the report could not be loaded.</summary>
    public string ReportLabel => State is { Report: var r } ? $"{r.Agency.Name} {r.Year}年度" : "报告概览";

    public IReadOnlyList<string> Conflicts { get; private set; } = [];

    // After a save that left problems the page is shown again. What the clerk changed stays exactly as typed;
    // what the clerk did not touch shows the stored value, which someone else may have changed meanwhile.
    // The "original" sent back is the stored value, except for a cell or part that could not be saved for its
    // own error: it keeps the original the clerk started from, so a later save still detects someone else's edit.

    // During an outage nothing is known but the post: every input shows exactly what was posted and every
    // "original" is sent back unchanged, so the next save merges as if the first had never been tried.

    private bool ChangedByClerk(CellDefinition cell)
    {
        if (!Posted || cell.Computed || !Input.Cells.TryGetValue(cell.Id, out var raw)) return false;
        var typed = CellValueParser.ParseCell(raw, cell, Input.Units.GetValueOrDefault(cell.Id), Template.InputMessages);
        var original = CellValueParser.ParseCell(Input.Original.GetValueOrDefault(cell.Id), cell,
            Input.OriginalUnits.GetValueOrDefault(cell.Id), Template.InputMessages);
        return typed.Error is not null || typed.Value != original.Value || (typed.Value is not null && typed.Unit != original.Unit);
    }

    /// <summary>What the input shows (for a cell with unit choices: in the unit <see cref="DisplayUnit"/>).</summary>
    public string DisplayValue(CellDefinition cell) =>
        Outage ? Input.Cells.GetValueOrDefault(cell.Id) ?? "" : ChangedByClerk(cell) ? Input.Cells[cell.Id] ?? "" : StoredValue(cell);

    public string OriginalValue(CellDefinition cell) =>
        Outage ? Input.Original.GetValueOrDefault(cell.Id) ?? ""
        : KeepsOriginal(cell) ? Input.Original.GetValueOrDefault(cell.Id) ?? "" : StoredValue(cell);

    private bool KeepsOriginal(CellDefinition cell) =>
        ChangedByClerk(cell) && FieldErrors.ContainsKey(cell.Id) && !Conflicts.Contains(cell.Id);

    /// <summary>The stored value as the agency printed it (in the unit chosen, for a cell with unit choices).</summary>
    public string StoredValue(CellDefinition cell) =>
        _values.TryGetValue(cell.Id, out var v) ? CellValueParser.FormatValue(v, cell.Kind, StoredUnit(cell)) : "";

    /// <summary>The unit code stored with a cell that has unit choices, or null.</summary>
    public string? StoredUnit(CellDefinition cell) => State?.Report.CellUnits().GetValueOrDefault(cell.Id);

    /// <summary>The unit the chooser shows: as posted when the clerk changed the cell, else as stored.</summary>
    public string? DisplayUnit(CellDefinition cell) =>
        Outage || ChangedByClerk(cell) ? Input.Units.GetValueOrDefault(cell.Id) : StoredUnit(cell);

    public string? OriginalUnit(CellDefinition cell) =>
        Outage || KeepsOriginal(cell) ? Input.OriginalUnits.GetValueOrDefault(cell.Id) : StoredUnit(cell);

    private bool ChangedByClerk(NarrativePart part) =>
        Posted && Input.Texts.TryGetValue(part.Id, out var text)
        && ReportEditor.Hash(ReportEditor.NormaliseText(text)) != (Input.TextHashes.GetValueOrDefault(part.Id) ?? ReportEditor.Hash(""));

    public string DisplayText(NarrativePart part) =>
        Outage ? Input.Texts.GetValueOrDefault(part.Id) ?? "" : ChangedByClerk(part) ? Input.Texts[part.Id] ?? "" : StoredText(part);

    public string OriginalHash(NarrativePart part) =>
        Outage ? Input.TextHashes.GetValueOrDefault(part.Id) ?? ReportEditor.Hash("")
        : ChangedByClerk(part) && (FieldErrors.ContainsKey(part.Id) || FieldErrors.ContainsKey(part.SectionId)) && !Conflicts.Contains(part.Id)
            ? Input.TextHashes.GetValueOrDefault(part.Id) ?? ReportEditor.Hash("") : ReportEditor.Hash(StoredText(part));

    /// <summary>The narrative parts the form draws: the report's own outline of this section (its free opening, if
    /// any, then its parts with their headings), which is what the server saves and the document prints; during an
    /// outage, when the report cannot be read, the template's default outline.</summary>
    public IReadOnlyList<NarrativePart> Parts => State is { } state
        ? state.Report.Parts(Section.Id).Select(p => new NarrativePart(p.Id, p.SectionId, p.Heading)).ToList()
        : Section.DefaultOutline;

    /// <summary>Whether the form offers a heading for the part: every part but the section's free opening.</summary>
    public bool HasHeadingInput(NarrativePart part) => part.Id != Section.Opening?.Id;

    private bool HeadingChangedByClerk(NarrativePart part) =>
        Posted && Input.Headings.TryGetValue(part.Id, out var heading)
        && Domain.Reports.PartIds.NormaliseHeading(heading) != Domain.Reports.PartIds.NormaliseHeading(Input.OriginalHeadings.GetValueOrDefault(part.Id));

    /// <summary>What the heading input shows: as typed when the clerk changed it (or during an outage), else as stored.</summary>
    public string DisplayHeading(NarrativePart part) =>
        Outage || HeadingChangedByClerk(part) ? Input.Headings.GetValueOrDefault(part.Id) ?? "" : part.Heading ?? "";

    /// <summary>The heading sent back as the one the form started from (see <see cref="OriginalHash"/>).</summary>
    public string OriginalHeading(NarrativePart part) =>
        Outage || (HeadingChangedByClerk(part) && FieldErrors.ContainsKey(part.Id) && !Conflicts.Contains(part.Id))
            ? Input.OriginalHeadings.GetValueOrDefault(part.Id) ?? "" : part.Heading ?? "";

    public string StoredText(NarrativePart part) => State?.Report.TextValues().GetValueOrDefault(part.Id) ?? "";

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

    /// <summary>The section's compiled rules for the browser. Without the report (outage) the agency's flags are
    /// unknown and no conditional rule applies, as in /templates/{code}.json.</summary>
    public string ClientTemplateJson() =>
        JsonSerializer.Serialize(ClientTemplate.For(Template, State?.Report.Agency.RuleContext() ?? new Dictionary<string, bool>(), Section.Id), TemplateDefinition.JsonOptions);
}
