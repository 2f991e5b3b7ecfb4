using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Web.Publishing;

/// <summary>What an archive record's document says about its origin and its printed numbers (see <see cref="ReportDocument.Archive"/>).</summary>
public sealed record ArchiveNotice(DateOnly PublishedOn, string? SourceUrl, IReadOnlyList<Violation> Violations)
{
    /// <summary>Whether the printed numbers break a rule whose severity is error (the 原文数据勾稽不平 marker).</summary>
    public bool Unbalanced => Violations.Any(v => v.Severity == Severity.Error);
}

/// <summary>Everything the statutory document shows: one published version, or a draft being previewed.</summary>
public sealed record ReportDocument(
    ReportTemplate Template,
    string AgencyName,
    string AgencyCode,
    int Year,
    ReportMetadata Metadata,
    IReadOnlyDictionary<string, decimal> Values,
    IReadOnlyDictionary<string, string> Texts,
    int? Version,
    DateTimeOffset? PublishedAt,
    string? CorrectionNote)
{
    public bool IsDraft => Version is null;

    /// <summary>The unit the agency printed, for cells whose kind offers a choice (cell id → unit code); the
    /// <see cref="Values"/> stay in the kind's unit (万元).</summary>
    public IReadOnlyDictionary<string, string> Units { get; init; } = new Dictionary<string, string>();

    /// <summary>A frozen version exactly as stored: its own agency name and its stored totals, never recomputed.</summary>
    public static ReportDocument Of(ReportSnapshot snapshot, Agency agency, int year, ReportTemplate template) =>
        new(template, snapshot.AgencyName, agency.Code, year, snapshot.Metadata, snapshot.CellValues(), snapshot.TextValues(),
            snapshot.Version, snapshot.At, snapshot.CorrectionNote)
        {
            Outline = snapshot.Parts(), Units = snapshot.CellUnits(),
            // What the rules found at import, kept with the version; a record archived before findings were kept is checked now.
            Archive = snapshot.ArchivePublishedOn is { } on ? new ArchiveNotice(on, snapshot.ArchiveSourceUrl,
                snapshot.ImportFindings?.Select(f => f.ToViolation()).ToList()
                ?? RuleEvaluator.Evaluate(template, snapshot.CellValues(), agency.RuleContext(), EvaluationMode.Printed, snapshot.TextValues())
                    .Violations.Where(v => v.Severity != Severity.Info).ToList()) : null,
        };

    /// <summary>For an archive record (a report published elsewhere, kept with its numbers as printed): when and where it
    /// was first published and every violation of the template's rules its printed numbers have (never corrected); the
    /// document then shows 原文数据勾稽不平 with the list. Null for a version published here.</summary>
    public ArchiveNotice? Archive { get; init; }

    public static ReportDocument Preview(Report report, ReportTemplate template) =>
        new(template, report.Agency.Name, report.Agency.Code, report.Year, report.Metadata, RuleEvaluator.WithTotals(template, report.CellValues()),
            report.TextValues(), null, null, report.Revision > 1 ? report.CorrectionNote : null) { Outline = report.Parts(), Units = report.CellUnits() };

    /// <summary>The narrative parts as the agency wrote them (headings included), each section's in order. A
    /// document made from a template and texts alone has the template's recommended outline, as a new report does.</summary>
    public IReadOnlyList<WrittenPart>? Outline { get; init; }

    /// <summary>The parts of a narrative section, in order, with the agency's headings (null: none).</summary>
    public IEnumerable<WrittenPart> PartsOf(TemplateSection section) =>
        Outline is { } outline ? outline.Where(p => p.SectionId == section.Id)
            : section.DefaultOutline.Select(p => new WrittenPart(p.Id, p.Heading, Texts.GetValueOrDefault(p.Id) ?? ""));

    /// <summary>Whether the document prints a section: an optional section (the pre-2019 key-figure sheet) only
    /// when the agency filled any of its cells.</summary>
    public bool Prints(TemplateSection section) =>
        !section.Optional || section.Tables.SelectMany(t => t.Cells).Any(c => Values.ContainsKey(c.Id));

    /// <summary>A cell's value as the agency printed it (in the unit it chose, e.g. 21174299 for 2117.4299 万元
    /// printed in 元), or "" when blank.</summary>
    public string Value(string cellId) => !Values.TryGetValue(cellId, out var v) ? ""
        : Template.CellsById.TryGetValue(cellId, out var cell) ? Domain.Values.CellValueParser.FormatValue(v, cell.Kind, Units.GetValueOrDefault(cellId))
        : Domain.Values.CellValueParser.FormatValue(v);

    /// <summary>The label of the unit a cell is printed in: the one chosen, else the kind's (件, 万元).</summary>
    public string UnitLabel(CellDefinition cell) => cell.Kind.FindUnit(Units.GetValueOrDefault(cell.Id))?.Label ?? cell.Kind.Unit;

    /// <summary>The unit label printed beside a value whose kind offers a choice (e.g. "元"), else "".</summary>
    public string ChosenUnitLabel(string cellId) =>
        Values.ContainsKey(cellId) && Template.CellsById.TryGetValue(cellId, out var cell) && cell.Kind.Units.Count > 0 ? UnitLabel(cell) : "";

    /// <summary>The note printed under a table whose cells are not all counted in 件 (e.g. "单位：万元"), else null.</summary>
    public string? UnitNote(TemplateTable table) =>
        table.Cells.Any(c => c.Kind.Unit != "件") ? "单位：" + string.Join("、", table.Cells.Select(c => c.Kind.Unit).Distinct()) : null;

    /// <summary>Paragraphs of a narrative part, as typed (one per line), each number bound to a cell
    /// (<see cref="CellTokens"/>, <c>{{apps.new.tot}}</c>) printed as that cell's value in this document: HTML, PDF and
    /// DOCX all print from here, so the text says what the table says.</summary>
    public IEnumerable<string> Paragraphs(string partId) =>
        CellTokens.Render(Texts.GetValueOrDefault(partId) ?? "", Template, Value)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string PublishedDate => PublishedAt is { } at ? BeijingTime.Date(at) : "";
    /// <summary>The cover's version line in the template's words: 第N版，(date)发布, or the draft preview's mark.</summary>
    public string VersionLine => Template.VersionLine(Version, PublishedDate);
}
