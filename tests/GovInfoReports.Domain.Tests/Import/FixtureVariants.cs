using System.Text.RegularExpressions;

namespace GovInfoReports.Domain.Tests.Import;

/// <summary>
/// Layouts real copies of reports come in, made from a fixture's text by plain text surgery (no parser involved):
/// numbers printed without separators, labels wrapped with stray spaces, one cell per line.
/// </summary>
public static partial class FixtureVariants
{
    /// <summary>Every table line's numbers glued together and onto its last label: "行政许可\t4791\t-649\t4142" →
    /// "行政许可4791-6494142", "\t6\t0\t0\t0\t0\t0\t6" → "6000006".</summary>
    public static string NoSeparators(string text) => Map(text, cells =>
    {
        var numbers = cells.Where(c => Number().IsMatch(c)).ToList();
        if (numbers.Count < 2) return null;
        var labels = cells.Where(c => c.Length > 0 && !Number().IsMatch(c)).ToList();
        return string.Join("\t", labels) + string.Concat(numbers);
    });

    /// <summary>A space inside every label of a table line longer than three characters ("本年度办 理结果").</summary>
    public static string StraySpaces(string text) => Map(text, cells =>
        cells.Any(c => Number().IsMatch(c)) || cells.Count(c => c.Length > 0) > 1
            ? string.Join("\t", cells.Select(c => c.Length > 3 && !Number().IsMatch(c) ? c[..2] + " " + c[2..] : c))
            : null);

    /// <summary>Every cell of a table line on its own line.</summary>
    public static string OneCellPerLine(string text) => Map(text, cells =>
        cells.Count(c => c.Length > 0) > 1 ? string.Join("\n", cells.Where(c => c.Length > 0)) : null);

    /// <summary>Applies <paramref name="change"/> to the cells of each tab- or bar-separated line (null: unchanged).</summary>
    private static string Map(string text, Func<List<string>, string?> change) => string.Join("\n", text.Replace("\r\n", "\n").Split('\n').Select(line =>
    {
        var separator = line.Contains('\t') ? '\t' : line.Contains('|') ? '|' : (char?)null;
        if (separator is null) return line;
        return change(line.Split(separator.Value).Select(c => c.Trim()).ToList()) ?? line;
    }));

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?(万元)?$")]
    private static partial Regex Number();
}
