using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Import;

/// <summary>Where a cell's value in an <see cref="ImportReading"/> came from.</summary>
public enum CellOrigin
{
    /// <summary>Printed in the document, read as it stands.</summary>
    Printed,
    /// <summary>Split out of a run of digits printed without separators, the only split the template's rules allow
    /// (shown as 由勾稽关系推定).</summary>
    Inferred,
    /// <summary>Several splits of a digit run satisfy the rules: the user chooses among <see cref="ReadCell.Candidates"/>
    /// (shown as 待确认); no value until then.</summary>
    Ambiguous,
    /// <summary>The row was found but the cell printed nothing, or the row was not found at all.</summary>
    Blank,
}

/// <summary>One template cell as read from a published report.</summary>
/// <param name="Value">The value in the cell kind's unit (件, 万元); null when blank or ambiguous.</param>
/// <param name="Unit">For a cell whose kind offers units (2019 采购总金额), the code of the unit printed (yuan, wanyuan),
/// or null when the document did not say.</param>
/// <param name="Candidates">For <see cref="CellOrigin.Ambiguous"/>, the values the rules allow, ascending.</param>
/// <param name="LineNumber">The source line the value was read from (<see cref="SourceLine.Number"/>), or null.</param>
/// <param name="SourceText">That line's text, for the preview to show and highlight.</param>
/// <param name="Printed">The value as printed in that line ("4.651万元", "35" of "352001038").</param>
public sealed record ReadCell(decimal? Value, string? Unit, CellOrigin Origin, IReadOnlyList<decimal> Candidates,
    int? LineNumber, string? SourceText, string? Printed);

/// <summary>The report's metadata as far as the document states it (spec §2.1 preamble); null where it does not.
/// The agency is never read from the text (a hijacked page prints spam in its place): the user chooses it.</summary>
/// <param name="TitleSuspect">The title holds words no agency name or report title has (links, gambling spam): a
/// hijacked page. The preview then proposes a title made from the chosen agency and the year instead.</param>
public sealed record ReadMetadata(string? Title, DateOnly? PeriodStart, DateOnly? PeriodEnd, string? UnitsCovered,
    string? PublicationPlace, string? Contact, bool TitleSuspect = false);

/// <summary>A finding of the reader: something not found, not used, or suspicious, in Chinese.</summary>
/// <param name="Severity">Error: the reading is incomplete (a table or row missing, a run unresolved); warning: read,
/// but check it (a format other than the year's, a suspicious title).</param>
public sealed record ReadProblem(Severity Severity, string Message, int? LineNumber = null);

/// <summary>
/// A published report as read from a <see cref="SourceDocument"/> by <see cref="PublishedReportParser"/>, before anything
/// is stored: the format and year detected (each with why), every template cell, the narrative as the agency's own
/// parts, the metadata, every violation of the template's rules on the printed numbers
/// (<see cref="EvaluationMode.Printed"/>), what the reader could not place, and its problems.
/// </summary>
public sealed record ImportReading
{
    public required string Format { get; init; }
    /// <summary>Why <see cref="Format"/>: the markers found, or the year's statutory format.</summary>
    public required string FormatEvidence { get; init; }
    public int? Year { get; init; }
    /// <summary>Where <see cref="Year"/> was read (the title, the statistical period), or why it is unknown.</summary>
    public required string YearEvidence { get; init; }
    /// <summary>Every enterable or total cell of the format by template cell id (not-applicable cells are left out).</summary>
    public required IReadOnlyDictionary<string, ReadCell> Cells { get; init; }
    /// <summary>The narrative: each section's parts as the agency printed them, headings included.</summary>
    public required IReadOnlyList<WrittenPart> Parts { get; init; }
    public required ReadMetadata Metadata { get; init; }
    public required IReadOnlyList<Violation> Violations { get; init; }
    /// <summary>Source text with numbers the reader could not place, with its line number.</summary>
    public required IReadOnlyList<(int Line, string Text)> Unplaced { get; init; }
    public required IReadOnlyList<ReadProblem> Problems { get; init; }

    /// <summary>The values read (printed and inferred), for the rules and for storing.</summary>
    public IReadOnlyDictionary<string, decimal> Values =>
        Cells.Where(c => c.Value.Value is not null).ToDictionary(c => c.Key, c => c.Value.Value!.Value, StringComparer.Ordinal);

    /// <summary>The narrative texts by part id.</summary>
    public IReadOnlyDictionary<string, string> Texts => Parts.ToDictionary(p => p.Id, p => p.Text, StringComparer.Ordinal);
}
