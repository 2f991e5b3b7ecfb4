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
            snapshot.Version, snapshot.At, snapshot.CorrectionNote);

    public static ReportDocument Preview(Report report, ReportTemplate template) =>
        new(template, report.Agency.Name, report.Agency.Code, report.Year, report.Metadata, RuleEvaluator.WithTotals(template, report.CellValues()),
            report.TextValues(), null, null, report.Revision > 1 ? report.CorrectionNote : null);

    public string Value(string cellId) => Values.TryGetValue(cellId, out var v) ? Domain.Values.CellValueParser.FormatValue(v) : "";

    /// <summary>Paragraphs of a narrative part, as typed (one per line).</summary>
    public IEnumerable<string> Paragraphs(string partId) =>
        (Texts.GetValueOrDefault(partId) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string PublishedDate => PublishedAt is { } at ? BeijingTime.Date(at) : "";
}
