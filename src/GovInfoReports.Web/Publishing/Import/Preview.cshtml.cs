using System.Globalization;
using GovInfoReports.Domain.Import;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Entry;
using GovInfoReports.Web.Forms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>
/// The preview of an import (issue 10 part 4): the format and year detected (each with why, each changeable), every
/// cell in the statutory layout with the source line it came from (the printed numbers marked), cells split out of a
/// digit run marked 由勾稽关系推定, ambiguous ones 待确认 with their candidates, the narrative parts, the metadata, what
/// could not be placed, and every violation of the template's rules on the numbers as they now stand. The user corrects
/// anything, 重新检查 re-reads and re-checks keeping what was typed, and 确认导入 stores the draft or archive record.
/// </summary>
public sealed class PreviewModel(ReportImports imports, TemplateCatalog catalog, TimeProvider clock, Entry.PreviousYears previousYears) : PageModel
{
    public sealed class PartForm
    {
        public string? Id { get; set; }
        public string? Heading { get; set; }
        public string? Text { get; set; }
    }

    public sealed class PreviewInput
    {
        public string? Format { get; set; }
        public string? Year { get; set; }
        public Dictionary<string, string?> Cells { get; set; } = new(StringComparer.Ordinal);
        public Dictionary<string, string?> Units { get; set; } = new(StringComparer.Ordinal);
        public MetadataInput Metadata { get; set; } = new();
        public List<PartForm> Parts { get; set; } = [];
        public string? SourceUrl { get; set; }
        public string? PublishedOn { get; set; }
    }

    [BindProperty] public PreviewInput Input { get; set; } = new();
    public ReportImport Import { get; private set; } = null!;
    public ImportReading? Reading { get; private set; }
    public string? ReadError { get; private set; }
    /// <summary>The draft the file fills (its format, year and title), or null when the import makes a new report.</summary>
    public (string Template, int Year, string Title)? Target { get; private set; }
    /// <summary>What the reader says about the file (e.g. read by its content, not its extension), or null.</summary>
    public string? ReaderNote { get; private set; }
    public ReportTemplate Template { get; private set; } = null!;
    /// <summary>Last year's report of the agency that the cross-year rules compare with, or null.</summary>
    public PreviousYear? Previous { get; private set; }
    /// <summary>The template's rules on the numbers as they now stand in the form (printed totals checked, not computed).</summary>
    public IReadOnlyList<Violation> Violations { get; private set; } = [];
    public IReadOnlyList<ReportTemplate> Formats => catalog.All;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is { } refusal) return refusal;
        if (!Load(null, null)) return Page();
        FillFromReading();
        await CheckAsync(ct);
        return Page();
    }

    /// <summary>重新检查: reads again with the format and year chosen and checks the rules on what is typed.</summary>
    public async Task<IActionResult> OnPostCheckAsync(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is { } refusal) return refusal;
        var year = YearInput();
        if (!Load(Input.Format, year)) return Page();
        KeepTyped();
        await CheckAsync(ct);
        return Page();
    }

    /// <summary>确认导入: stores the draft or the archive record; problems are shown at their fields with everything kept.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is { } refusal) return refusal;
        Confirming = true;
        var year = YearInput();
        if (!Load(Input.Format, year)) return Page();
        KeepTyped();
        var metadataInput = Input.Metadata;
        var metadataValid = MetadataInputValidator.For(Template).Validate(metadataInput).AddTo(ModelState, "Input.Metadata");
        if (year is null) ModelState.AddModelError("Input.Year", "请填写四位数的报告年度，例如 2022");
        DateOnly? publishedOn = null;
        if (Import.Destination == ImportDestination.Archive && !string.IsNullOrWhiteSpace(Input.PublishedOn))
        {
            publishedOn = MetadataInput.ParseDate(Input.PublishedOn);
            if (publishedOn is null) ModelState.AddModelError("Input.PublishedOn", "请输入日期，例如 2023-01-20");
        }
        if (!ModelState.IsValid || !metadataValid || year is null)
        {
            await CheckAsync(ct);
            return Page();
        }
        var parts = Input.Parts.Where(p => PartIds.IsValid(p.Id)).Select(p => new WrittenPart(p.Id!, PartIds.NormaliseHeading(InputText.Clean(p.Heading)), InputText.Clean(p.Text) ?? "")).ToList();
        var decision = new ImportDecision(Template.Code, year.Value, Input.Cells, Input.Units, metadataInput.ToMetadata(), parts,
            InputText.Clean(Input.SourceUrl)?.Trim(), publishedOn)
        {
            // Filling a draft: the rows the file has, and any cell the user typed in the preview.
            CellsRead = Reading!.Cells.Where(c => c.Value.LineNumber is not null || !string.IsNullOrWhiteSpace(Input.Cells.GetValueOrDefault(c.Key)))
                .Select(c => c.Key).ToHashSet(StringComparer.Ordinal),
        };
        var ambiguous = Reading!.Cells.Where(c => c.Value.Origin == CellOrigin.Ambiguous).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var result = await imports.ConfirmAsync(Import, decision, ambiguous, ct);
        if (result.Done) return Redirect(result.Location!);
        foreach (var (field, message) in result.Problems)
            ModelState.AddModelError(field.Length == 0 ? "" : Template.CellsById.ContainsKey(field) ? $"Input.Cells[{field}]" : $"Input.{field}", message);
        await CheckAsync(ct);
        return Page();
    }

    /// <summary>Loads the import and the draft it fills; a refusal (404, 403) when there is none or it is not the user's to see.</summary>
    private async Task<IActionResult?> FindAsync(int id, CancellationToken ct)
    {
        var (import, allowed) = await imports.FindAsync(id, ct);
        if (import is null) return NotFound();
        if (!allowed) return Forbid();
        Import = import;
        Target = await imports.TargetOfAsync(import, ct);
        return null;
    }

    // ---- Reading and the form --------------------------------------------------------------------------------------

    private bool Load(string? format, int? year)
    {
        // A workbook filling a draft is read in the draft's format and year.
        if (Target is { } target) (format, year) = (target.Template, target.Year);
        var (parse, note) = imports.Read(Import, string.IsNullOrWhiteSpace(format) ? null : format, year);
        ReaderNote = note;
        if (parse.Reading is null)
        {
            ReadError = parse.Error;
            Template = catalog.All[0];
            return false;
        }
        Reading = parse.Reading;
        Template = catalog.Get(Reading.Format)!;
        Input.Format = Reading.Format;
        return true;
    }

    private int? YearInput() =>
        int.TryParse(CellValueParser.Normalise(Input.Year), NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1900 and <= 9999 ? y : null;

    /// <summary>The form as read: values in the unit printed, ambiguous cells empty, metadata with the agency's name and
    /// the report year's period where the document says nothing.</summary>
    private void FillFromReading()
    {
        var reading = Reading!;
        Input.Year = reading.Year?.ToString(CultureInfo.InvariantCulture);
        foreach (var (id, cell) in reading.Cells)
        {
            Input.Cells[id] = cell.Value is { } v ? CellValueParser.FormatValue(v, Template.CellsById[id].Kind, cell.Unit) : null;
            if (cell.Unit is not null) Input.Units[id] = cell.Unit;
        }
        var m = reading.Metadata;
        var year = reading.Year;
        Input.Metadata = new MetadataInput
        {
            // A hijacked page's title (spam in place of the agency's name) is not proposed: the chosen agency's is.
            Title = m.Title is { } t && !m.TitleSuspect ? t : year is { } y ? $"{Import.Agency.Name}{y}年政府信息公开工作年度报告" : null,
            CompilingOffice = Import.Agency.Name,
            UnitsCovered = m.UnitsCovered,
            PeriodStart = (m.PeriodStart ?? (year is { } y1 ? new DateOnly(y1, 1, 1) : null))?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            PeriodEnd = (m.PeriodEnd ?? (year is { } y2 ? new DateOnly(y2, 12, 31) : null))?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            PublicationPlace = m.PublicationPlace,
            Contact = m.Contact,
        };
        Input.Parts = reading.Parts.Select(p => new PartForm { Id = p.Id, Heading = p.Heading, Text = p.Text }).ToList();
    }

    /// <summary>After a re-read: what the user typed stays; cells of another format start from the new reading.</summary>
    private void KeepTyped()
    {
        var typed = Input.Cells;
        Input.Cells = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (id, cell) in Reading!.Cells)
            Input.Cells[id] = typed.TryGetValue(id, out var raw) ? raw
                : cell.Value is { } v ? CellValueParser.FormatValue(v, Template.CellsById[id].Kind, cell.Unit) : null;
        foreach (var (id, cell) in Reading.Cells.Where(c => c.Value.Unit is not null && !Input.Units.ContainsKey(c.Key)))
            Input.Units[id] = cell.Unit;
        if (Input.Parts.Count == 0) Input.Parts = Reading.Parts.Select(p => new PartForm { Id = p.Id, Heading = p.Heading, Text = p.Text }).ToList();
    }

    /// <summary>The rules on the numbers as they stand in the form; a cell that does not read as a number gets its
    /// message at the cell and takes no part.</summary>
    private async Task CheckAsync(CancellationToken ct)
    {
        if (Reading is null) return;
        // The cross-year rules compare with the agency's report of the year before (as it stands now), when it has one.
        Previous = (YearInput() ?? Reading.Year) is { } year ? await previousYears.FindAsync(Import.AgencyId, year, ct) : null;
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var cell in Template.Cells.Where(c => !c.NotApplicable))
        {
            var parsed = CellValueParser.ParseCell(Input.Cells.GetValueOrDefault(cell.Id), cell, Input.Units.GetValueOrDefault(cell.Id), Template.InputMessages);
            if (parsed.Error is { } error && ModelState[$"Input.Cells[{cell.Id}]"] is not { Errors.Count: > 0 })
                ModelState.AddModelError($"Input.Cells[{cell.Id}]", error);
            else if (parsed.Value is { } v) values[cell.Id] = v;
        }
        // Filling a draft's tables: its texts are not in the file and not checked here.
        var texts = Target is not null ? null : Input.Parts.Where(p => PartIds.IsValid(p.Id)).ToDictionary(p => p.Id!, p => p.Text ?? "", StringComparer.Ordinal);
        Violations = RuleEvaluator.Evaluate(Template, values, Import.Agency.RuleContext(), EvaluationMode.Printed, texts, Previous).Violations;
    }

    // ---- For the view ----------------------------------------------------------------------------------------------

    public ReadCell? ReadOf(string cellId) => Reading?.Cells.GetValueOrDefault(cellId);

    /// <summary>The reader's problems; filling a draft's tables, the narrative sections a workbook never has are not missed.</summary>
    public IEnumerable<ReadProblem> Problems => (Reading?.Problems ?? []).Where(p => Target is null
        || !Template.Sections.Any(s => s.Kind == SectionKind.Narrative && p.Message == $"没有找到“{s.Heading}”"));

    /// <summary>Whether this page answers a 确认导入 that stored nothing.</summary>
    public bool Confirming { get; private set; }

    /// <summary>Every problem that kept 确认导入 from storing, with the cell or field it belongs to.</summary>
    public IReadOnlyList<string> ConfirmProblems => ModelState
        .Where(e => e.Value is { Errors.Count: > 0 } && (e.Key.Length == 0 || e.Key.StartsWith("Input.", StringComparison.Ordinal)))
        .Select(e => (Key: e.Key, Message: e.Value!.Errors[0].ErrorMessage))
        .Select(e => e.Key.StartsWith("Input.Cells[", StringComparison.Ordinal) && Template.CellsById.TryGetValue(e.Key[12..^1], out var cell)
            ? $"{Template.Tables[cell.TableId].ShortName} {cell.ShortLabel}：{e.Message}" : e.Message)
        .Distinct().ToList();

    public string? ErrorFor(string key) => ModelState[key] is { Errors.Count: > 0 } entry ? entry.Errors[0].ErrorMessage : null;

    /// <summary>The source line of a row (its first cell read from a line): number, cells, and which cells hold a
    /// printed value of the row (to be marked).</summary>
    public (int Line, IReadOnlyList<(string Text, bool Marked)> Cells)? RowSource(IEnumerable<CellDefinition> cells)
    {
        var read = cells.Select(c => ReadOf(c.Id)).Where(r => r?.LineNumber is not null).ToList();
        if (read.Count == 0) return null;
        var first = read[0]!;
        var printed = read.Where(r => r!.LineNumber == first.LineNumber).Select(r => r!.Printed).Where(p => !string.IsNullOrEmpty(p)).ToHashSet(StringComparer.Ordinal);
        var pieces = (first.SourceText ?? "").Split('\t').Where(p => p.Length > 0)
            .Select(p => (p, printed.Contains(p) || read.Any(r => r!.Origin is CellOrigin.Inferred or CellOrigin.Ambiguous) && TableReaderRun(p))).ToList();
        return (first.LineNumber!.Value, pieces);
    }

    private static bool TableReaderRun(string piece) => piece.Any(char.IsAsciiDigit) && piece.Count(char.IsAsciiDigit) >= 2;

    public string Today => BeijingTime.IsoDate(clock.GetUtcNow());
}
