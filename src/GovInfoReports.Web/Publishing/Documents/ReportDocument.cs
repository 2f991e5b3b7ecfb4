using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Web.Publishing;

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

    /// <summary>A frozen version exactly as stored: its own agency name and its stored totals, never recomputed.</summary>
    public static ReportDocument Of(ReportSnapshot snapshot, Agency agency, int year, ReportTemplate template) =>
        new(template, snapshot.AgencyName, agency.Code, year, snapshot.Metadata, snapshot.CellValues(), snapshot.TextValues(),
            snapshot.Version, snapshot.At, snapshot.CorrectionNote) { Outline = snapshot.Parts() };

    public static ReportDocument Preview(Report report, ReportTemplate template) =>
        new(template, report.Agency.Name, report.Agency.Code, report.Year, report.Metadata, RuleEvaluator.WithTotals(template, report.CellValues()),
            report.TextValues(), null, null, report.Revision > 1 ? report.CorrectionNote : null) { Outline = report.Parts() };

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

    public string Value(string cellId) => Values.TryGetValue(cellId, out var v) ? Domain.Values.CellValueParser.FormatValue(v) : "";

    /// <summary>Paragraphs of a narrative part, as typed (one per line).</summary>
    public IEnumerable<string> Paragraphs(string partId) =>
        (Texts.GetValueOrDefault(partId) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string PublishedDate => PublishedAt is { } at ? BeijingTime.Date(at) : "";
}
