namespace GovInfoReports.Domain.Reports;

public sealed record CellChange(string CellId, decimal? Old, decimal? New);

public enum ParagraphChange { Same, Added, Removed }

public sealed record ParagraphDiff(ParagraphChange Change, string Text);

public sealed record TextChange(string PartId, IReadOnlyList<ParagraphDiff> Paragraphs);

/// <summary>What changed between two states of a report: cell by cell, and paragraph by paragraph for
/// the narrative (a longest-common-subsequence diff of the paragraphs).</summary>
public static class ReportDiff
{
    public static IReadOnlyList<CellChange> Cells(IReadOnlyDictionary<string, decimal> before, IReadOnlyDictionary<string, decimal> after) =>
        before.Keys.Union(after.Keys)
            .Select(id => new CellChange(id, before.TryGetValue(id, out var o) ? o : null, after.TryGetValue(id, out var n) ? n : null))
            .Where(c => c.Old != c.New)
            .ToList();

    public static IReadOnlyList<TextChange> Texts(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Keys.Union(after.Keys)
            .Where(id => before.GetValueOrDefault(id) != after.GetValueOrDefault(id))
            .Select(id => new TextChange(id, Paragraphs(before.GetValueOrDefault(id) ?? "", after.GetValueOrDefault(id) ?? "")))
            .ToList();

    public static IReadOnlyList<ParagraphDiff> Paragraphs(string before, string after)
    {
        string[] Split(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var a = Split(before);
        var b = Split(after);
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var result = new List<ParagraphDiff>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { result.Add(new(ParagraphChange.Same, a[x])); x++; y++; }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y])) { result.Add(new(ParagraphChange.Added, b[y])); y++; }
            else { result.Add(new(ParagraphChange.Removed, a[x])); x++; }
        }
        return result;
    }
}
