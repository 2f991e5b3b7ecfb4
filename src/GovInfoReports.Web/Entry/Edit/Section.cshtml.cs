using System.Text.Json;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Entry;

/// <summary>The form of one section (narrative or tables), drawn entirely from the template. When the database
/// cannot be reached, a save answers 503 with the form drawn from the template and what was posted alone, so
/// nothing typed is lost and the same form can be saved again later.</summary>
public sealed partial class SectionModel(ReportEditor editor, AccessControl access, TemplateCatalog catalog, AppDbContext db, UserNames names,
    TimeProvider clock, ClientTemplates clientTemplates) : PageModel
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
        /// <summary>The report's template code, carried by the form so the page can be drawn without the database.</summary>
        public string? Template { get; set; }
        /// <summary>A narrative section's outline as drawn and edited (headings typed), in order; empty for tables.</summary>
        public List<PartForm> Parts { get; set; } = new();
        /// <summary><see cref="ReportEditor.OutlineHash"/> of the stored outline the form was drawn from.</summary>
        public string? OutlineHash { get; set; }
    }

    /// <summary>One part row of the form: its key in <see cref="SectionForm.Texts"/> (the part id, or <c>new-N</c>
    /// for a part added in the form), its stored id (null: new) and the heading typed (empty: none).</summary>
    public sealed class PartForm
    {
        public string? Key { get; set; }
        public string? Id { get; set; }
        public string? Heading { get; set; }
    }

    /// <summary>A change of the outline asked for by one of the part buttons, applied to the posted outline before
    /// it is saved with everything typed: <c>add</c> (a part at the end), <c>up:{i}</c>, <c>down:{i}</c>,
    /// <c>remove:{i}</c> (i: the part's place, from 0).</summary>
    [BindProperty] public string? OutlineAction { get; set; }

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

    /// <summary>The supervisor's comments pinned to this section when the report was returned (the current
    /// revision's, while it is 退回), oldest first; the clerk reads them where the fix is made.</summary>
    public IReadOnlyList<Domain.Reports.ReviewComment> Comments { get; private set; } = [];
    public IReadOnlyDictionary<string, string> CommentAuthors { get; private set; } = new Dictionary<string, string>();

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
            DrawPostedOutline = Input.Parts.Count > 0;
            FieldErrors = FieldErrorsOfBinding();
            return Page();
        }
        var focus = ApplyOutlineAction();
        var submission = Submission();
        var result = await editor.SaveSectionAsync(reportId, sectionId, submission, access.UserId, ct);
        if (!result.HasProblems)
        {
            Notice = result.Changed == 0 ? "没有需要保存的修改" : $"已保存（{result.Changed}处修改）";
            return Redirect($"/entry/{reportId}/{sectionId}{(focus is { } place ? $"#part-{place}" : "")}");
        }
        if (!await LoadAsync(reportId, sectionId, ct)) return NotFound();
        Posted = true;
        DrawPostedOutline = !result.OutlineSaved;
        FieldErrors = result.FieldErrors;
        Conflicts = result.Conflicts;
        Refusal = result.Refusal;
        Notice = result.Changed > 0 ? $"已保存其余{result.Changed}处修改；标红的格未保存，请改正后再保存" : null;
        return Page();
    }

    /// <summary>
    /// The draft autosave (issue 9): the browser posts the whole form, as the 保存 button would, every ≤ 30 s while
    /// the clerk types and before leaving for another section. It goes through the same three-way merge as 保存, so
    /// a cell or part someone else changed meanwhile is never overwritten: it is reported in
    /// <see cref="AutosaveAnswer.Conflicts"/> and stays unsaved in the page. Cells with bad input are not saved
    /// (their message is already shown next to them). Answers JSON: 200 with <see cref="AutosaveAnswer"/>; 400 with
    /// the binding errors; 403/404 as any edit; 503 with <see cref="AutosaveAnswer.Refusal"/> while the database is
    /// unreachable (the browser keeps the draft).
    /// </summary>
    public async Task<IActionResult> OnPostAutosaveAsync(int reportId, string sectionId, CancellationToken ct)
    {
        ReportId = reportId;
        try
        {
            (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Edit, ct);
            if (refusal is not null) return refusal;
            if (!ModelState.IsValid)
            {
                var bindingErrors = FieldErrorsOfBinding();
                return new JsonResult(Answer(0, Refusal, bindingErrors, [])) { StatusCode = StatusCodes.Status400BadRequest };
            }
            var submission = Submission();
            var result = await editor.SaveSectionAsync(reportId, sectionId, submission, access.UserId, ct);
            if (!await LoadAsync(reportId, sectionId, ct)) return NotFound();
            return new JsonResult(Answer(result.Changed, result.Refusal, result.FieldErrors, result.Conflicts));
        }
        catch (Exception e) when (DatabaseOutage.Is(e))
        {
            return new JsonResult(new AutosaveAnswer(0, DatabaseOutage.UnsavedMessage, new Dictionary<string, string>(), [],
                new Dictionary<string, string>(), new Dictionary<string, string?>(), new Dictionary<string, string>(), null, ""))
            { StatusCode = StatusCodes.Status503ServiceUnavailable };
        }
    }

    private AutosaveAnswer Answer(int saved, string? refusal, IReadOnlyDictionary<string, string> errors, IReadOnlyList<string> conflicts)
    {
        var typed = Section.Tables.SelectMany(t => t.Cells).Where(c => !c.Computed && !c.NotApplicable).ToList();
        var parts = State?.Report.Parts(Section.Id) ?? [];
        return new AutosaveAnswer(saved, refusal, errors, conflicts,
            typed.ToDictionary(c => c.Id, StoredValue, StringComparer.Ordinal),
            typed.Where(c => c.Kind.Units.Count > 0).ToDictionary(c => c.Id, StoredUnit, StringComparer.Ordinal),
            parts.ToDictionary(p => p.Id, p => ReportEditor.Hash(p.Text ?? ""), StringComparer.Ordinal),
            Section.Kind == SectionKind.Narrative ? ReportEditor.OutlineHash(parts) : null,
            Domain.Reports.BeijingTime.ToBeijing(clock.GetUtcNow()).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>What the form posted, for the merge-save (保存 and the autosave alike).</summary>
    private SectionSubmission Submission() => new SectionSubmission(Input.Cells, Input.Original, Input.Texts, Input.TextHashes)
        {
            Units = Input.Units, OriginalUnits = Input.OriginalUnits,
            Outline = Input.Parts.Count == 0 ? null : PostedOutline(),
            OriginalOutlineHash = Input.OutlineHash,
        };

    /// <summary>Model-binding errors of cells and paragraphs (<c>Input.Cells[id]</c>, <c>Input.Texts[id]</c>) by
    /// cell or part id, where the form shows field errors; any other under "" (shown as the refusal).</summary>
    private Dictionary<string, string> FieldErrorsOfBinding()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, entry) in ModelState)
        {
            if (entry.Errors.FirstOrDefault()?.ErrorMessage is not { } message) continue;
            var id = key.StartsWith("Input.Cells[", StringComparison.Ordinal) || key.StartsWith("Input.Texts[", StringComparison.Ordinal)
                ? key["Input.Cells[".Length..^1]
                : HeadingField().Match(key) is { Success: true } m && int.Parse(m.Groups[1].ValueSpan) < Input.Parts.Count
                    ? ReportEditor.HeadingKey(PostedOutline().ElementAtOrDefault(int.Parse(m.Groups[1].ValueSpan))?.Key ?? "") : "";
            errors.TryAdd(id, message);
        }
        if (errors.Remove("", out var other)) Refusal = other;
        return errors;
    }

    /// <summary>Applies <see cref="OutlineAction"/> to the posted outline; returns the place of the part to show
    /// after the save (the part added or moved, or the one before a removed part), or null.</summary>
    private int? ApplyOutlineAction()
    {
        if (Input.Parts.Count == 0 || OutlineAction is not { } action) return null;
        var colon = action.IndexOf(':');
        var verb = colon < 0 ? action : action[..colon];
        var place = colon >= 0 && int.TryParse(action[(colon + 1)..], out var i) && i >= 0 && i < Input.Parts.Count ? i : -1;
        switch (verb)
        {
            case "add":
                var next = Input.Parts.Select(p => p.Key ?? "").Where(k => k.StartsWith("new-", StringComparison.Ordinal))
                    .Select(k => int.TryParse(k[4..], out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1;
                Input.Parts.Add(new PartForm { Key = $"new-{next}" });
                return Input.Parts.Count - 1;
            case "up" when place > 0:
                (Input.Parts[place - 1], Input.Parts[place]) = (Input.Parts[place], Input.Parts[place - 1]);
                return place - 1;
            case "down" when place >= 0 && place + 1 < Input.Parts.Count:
                (Input.Parts[place + 1], Input.Parts[place]) = (Input.Parts[place], Input.Parts[place + 1]);
                return place + 1;
            case "remove" when place >= 0 && Input.Parts.Count > 1:
                Input.Parts.RemoveAt(place);
                return Math.Max(0, place - 1);
            default:
                return null;
        }
    }

    /// <summary>The posted outline with a key for every part (a part posted without one is keyed by its id).</summary>
    private List<FormPart> PostedOutline() =>
        Input.Parts.Select((p, i) => new FormPart(string.IsNullOrEmpty(p.Key) ? p.Id ?? $"new-x{i}" : p.Key, string.IsNullOrEmpty(p.Id) ? null : p.Id, p.Heading))
            .DistinctBy(p => p.Key).ToList();

    /// <summary>The outline posted was not saved (an error in it, or someone else changed the stored one): the page
    /// draws the posted outline, so every heading and text typed stays.</summary>
    private bool DrawPostedOutline { get; set; }

    /// <summary>The headings drawn are not the stored ones (a refused save or an outage): the browser keeps them as
    /// unsaved until a save succeeds.</summary>
    public bool OutlineUnsaved => Outage || DrawPostedOutline;

    /// <summary>The parts the narrative form draws, in order: the posted outline when it could not be saved or the
    /// database is unreachable, else the report's stored outline (during an outage without a posted outline, the
    /// template's recommended one).</summary>
    public IReadOnlyList<FormPart> Outline =>
        (Outage || DrawPostedOutline) && Input.Parts.Count > 0 ? PostedOutline()
        : State is { } state ? state.Report.Parts(Section.Id).Select(p => new FormPart(p.Id, p.Id, p.Heading)).ToList()
        : Section.DefaultOutline.Select(p => new FormPart(p.Id, p.Id, p.Heading)).ToList();

    /// <summary>The outline hash the form posts back: the stored outline's, except when the posted outline could not
    /// be saved for its own error (not a conflict), when it keeps the one the clerk started from.</summary>
    public string OutlineHashToPost =>
        Outage || (DrawPostedOutline && !Conflicts.Contains(Section.Id)) ? Input.OutlineHash ?? ""
        : State is { } state ? ReportEditor.OutlineHash(state.Report.Parts(Section.Id)) : "";

    private async Task<bool> LoadAsync(int reportId, string sectionId, CancellationToken ct)
    {
        var state = await editor.LoadAsync(reportId, ct, sectionId);
        var section = state?.Template.FindSection(sectionId);
        if (state is null || section is null) return false;
        State = state;
        _units = null;
        _texts = null;
        Template = state.Template;
        Section = section;
        _values = state.Values;
        Violations = state.For(sectionId).ToList();
        if (state.Report.Status == Domain.Reports.ReportStatus.Returned)
        {
            var revision = state.Report.Revision;
            Comments = await db.ReviewComments.AsNoTracking()
                .Where(c => c.ReportId == reportId && c.Revision == revision && c.SectionId == section.Id)
                .OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync(ct);
            CommentAuthors = await names.ForAsync(Comments.Select(c => c.UserId), ct);
        }
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
    public string? StoredUnit(CellDefinition cell) => (_units ??= State?.Report.CellUnits())?.GetValueOrDefault(cell.Id);

    // The report's units and texts, built once per page rather than once per cell or part drawn.
    private IReadOnlyDictionary<string, string>? _units;
    private IReadOnlyDictionary<string, string>? _texts;

    /// <summary>The unit the chooser shows: as posted when the clerk changed the cell, else as stored.</summary>
    public string? DisplayUnit(CellDefinition cell) =>
        Outage || ChangedByClerk(cell) ? Input.Units.GetValueOrDefault(cell.Id) : StoredUnit(cell);

    public string? OriginalUnit(CellDefinition cell) =>
        Outage || KeepsOriginal(cell) ? Input.OriginalUnits.GetValueOrDefault(cell.Id) : StoredUnit(cell);

    private bool ChangedByClerk(FormPart part) =>
        Posted && Input.Texts.TryGetValue(part.Key, out var text)
        && ReportEditor.Hash(ReportEditor.NormaliseText(text)) != (part.Id is null ? ReportEditor.Hash("") : Input.TextHashes.GetValueOrDefault(part.Key) ?? ReportEditor.Hash(""));

    /// <summary>What a part's text area shows: as typed when the clerk changed it (or added the part), else as stored.</summary>
    public string DisplayText(FormPart part) =>
        Outage ? Input.Texts.GetValueOrDefault(part.Key) ?? "" : ChangedByClerk(part) ? Input.Texts[part.Key] ?? "" : StoredText(part);

    public string OriginalHash(FormPart part) =>
        Outage ? Input.TextHashes.GetValueOrDefault(part.Key) ?? ReportEditor.Hash("")
        : part.Id is null ? ReportEditor.Hash("")
        : ChangedByClerk(part) && (FieldErrors.ContainsKey(part.Key) || FieldErrors.ContainsKey(Section.Id)) && !Conflicts.Contains(part.Key)
            ? Input.TextHashes.GetValueOrDefault(part.Key) ?? ReportEditor.Hash("") : ReportEditor.Hash(StoredText(part));

    public string StoredText(FormPart part) => part.Id is null ? "" : (_texts ??= State?.Report.TextValues())?.GetValueOrDefault(part.Id) ?? "";

    public static string DomId(string id) => "c-" + id.Replace('.', '-');

    public string? ErrorFor(string id) => FieldErrors.GetValueOrDefault(id);

    /// <summary>Ids of the rule messages that involve a cell, for aria-describedby.</summary>
    public IEnumerable<string> ViolationIdsFor(string cellId) =>
        Violations.Select((v, i) => (v, i)).Where(x => x.v.MarksCells && x.v.Cells.Contains(cellId)).Select(x => $"v-{x.i}");

    /// <summary>"summed" for a cell that holds its 汇总值 (the report took its units' sums and the cell still equals the
    /// sum: no H1 warning on it), else null.</summary>
    public string? SummedClass(CellDefinition cell) =>
        State?.SumsAccepted == true && Template.SummableCells.Contains(cell.Id) && !Violations.Any(v => v.RuleId == GovInfoReports.Web.Consolidation.ConsolidationResult.SumRule && v.Cells.Contains(cell.Id))
            ? "summed" : null;

    public string? SeverityClass(string cellId)
    {
        var involved = Violations.Where(v => v.MarksCells && v.Cells.Contains(cellId)).ToList();
        return involved.Any(v => v.Severity == Severity.Error) ? "rule-error"
            : involved.Any(v => v.Severity == Severity.Warning) ? "rule-warning" : null;
    }

    /// <summary>What a narrative section's page checks its numbers against and offers to insert (Entry/Assets/js/narrative.js):
    /// <c>values</c>, the report's current cells with their totals (cell id → decimal text); <c>known</c>, every cell a
    /// token may name; <c>menu</c>, the cells the narrative checks compare and the key figures (id, label, value), for
    /// 插入表格数字.</summary>
    public string NarrativeDataJson() => JsonSerializer.Serialize(new
    {
        values = _values.ToDictionary(kv => kv.Key, kv => CellValueParser.FormatValue(kv.Value)),
        known = Template.Cells.Where(c => !c.NotApplicable).Select(c => c.Id),
        menu = InsertableCells().Select(c => new { id = c.Id, label = c.AccessibleName, value = _values.TryGetValue(c.Id, out var v) ? CellValueParser.FormatValue(v) : null }),
        texts = OtherSectionsRead(),
    }, TemplateDefinition.JsonOptions);

    /// <summary>The saved texts of other sections' parts that this section's content tests read (N10 on 一、总体情况 reads
    /// 五 and 六 too), by part id, so narrative.js judges them live with this page's parts as typed.</summary>
    private Dictionary<string, string> OtherSectionsRead()
    {
        if (State is null) return [];
        var tests = Template.Rules.Where(r => r.SectionId == Section.Id && r.TextTest is not null).Select(r => r.TextTest!).ToList();
        return State.Report.TextValues()
            .Where(t => PartIds.IsValid(t.Key) && PartIds.SectionOf(t.Key) != Section.Id && tests.Any(test => test.Reads(t.Key)))
            .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
    }

    /// <summary>The cells offered by 插入表格数字 beside each part, in the template's order: the ones the narrative checks
    /// compare (totals of 表三 and 表四, 第二十条 counts) and the key figures.</summary>
    public IReadOnlyList<CellDefinition> InsertableCells()
    {
        var ids = Template.NarrativeChecks
            .SelectMany(c => c.Cells.Concat(c.Denominator).Concat(c.Soft?.Cells ?? []).Select(t => t.CellId))
            .Concat(Template.Definition.KeyFigures.Values.SelectMany(v => v)).ToHashSet(StringComparer.Ordinal);
        return Template.Cells.Where(c => ids.Contains(c.Id)).ToList();
    }

    /// <summary>A cell's current value as the menu shows it ("未填" when blank).</summary>
    public string CurrentValue(string cellId) => _values.TryGetValue(cellId, out var v) ? CellValueParser.FormatValue(v) : "未填";

    /// <summary>The address of the section's compiled rules for the browser (<see cref="ClientTemplates"/>). Without the
    /// report (outage) the agency's flags are unknown and no conditional rule applies, as in /templates/{code}.json.</summary>
    public string RulesScriptUrl() => clientTemplates.ScriptUrl(Template, RuleContext, Section.Id);

    /// <summary>Last year's values the section's cross-year rules read, as JSON for the page (null: no last year's report).</summary>
    public string? PreviousJson() => clientTemplates.PreviousJson(Template, RuleContext, Section.Id, State?.Previous);

    private IReadOnlyDictionary<string, bool> RuleContext => _ruleContext ??= State?.Report.Agency.RuleContext() ?? new Dictionary<string, bool>();
    private IReadOnlyDictionary<string, bool>? _ruleContext;

    [System.Text.RegularExpressions.GeneratedRegex(@"^Input\.Parts\[(\d+)\]\.Heading$")]
    private static partial System.Text.RegularExpressions.Regex HeadingField();
}

/// <summary>What <see cref="SectionModel.OnPostAutosaveAsync"/> answers, as JSON (camelCase).</summary>
/// <param name="Saved">Changes written (cells, texts, headings), as 保存 counts them.</param>
/// <param name="Refusal">Why nothing could be saved (report not editable, database unreachable), or null.</param>
/// <param name="Errors">Messages by cell id or part key for what was not saved (bad input, conflict, too long).</param>
/// <param name="Conflicts">Ids changed by someone else since the page was drawn: not saved, never overwritten.</param>
/// <param name="Cells">Every enterable cell's stored value as the form prints it ("" blank), after the save.</param>
/// <param name="Units">The stored unit code of each cell with unit choices (2019 采购总金额), after the save.</param>
/// <param name="TextHashes">SHA-256 (hex) of each stored part's text, as the form's <c>Input.TextHashes</c>.</param>
/// <param name="OutlineHash">The stored outline's hash (narrative sections), as the form's <c>Input.OutlineHash</c>.</param>
/// <param name="At">Beijing time of the save, "HH:mm", for "已自动保存 HH:mm".</param>
public sealed record AutosaveAnswer(int Saved, string? Refusal, IReadOnlyDictionary<string, string> Errors, IReadOnlyList<string> Conflicts,
    IReadOnlyDictionary<string, string> Cells, IReadOnlyDictionary<string, string?> Units, IReadOnlyDictionary<string, string> TextHashes,
    string? OutlineHash, string At);
