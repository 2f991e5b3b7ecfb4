namespace GovInfoReports.Domain.Reports;

public sealed record CellChange(string CellId, decimal? Old, decimal? New);

public enum ParagraphChange { Same, Added, Removed }

public sealed record ParagraphDiff(ParagraphChange Change, string Text);

public sealed record TextChange(string PartId, IReadOnlyList<ParagraphDiff> Paragraphs);

/// <summary>How one narrative part differs between two states: added, removed, renamed (its heading as before
/// and after; null = no heading), moved within its section, and its paragraphs.</summary>
public sealed record PartChange(
    string PartId,
    string? OldHeading,
    string? NewHeading,
    bool Added,
    bool Removed,
    bool Moved,
    IReadOnlyList<ParagraphDiff> Paragraphs)
{
    public bool Renamed => !Added && !Removed && OldHeading != NewHeading;
    /// <summary>The heading to name the part by: the new one, else the old one (a removed part).</summary>
    public string? Heading => Removed ? OldHeading : NewHeading;
}

/// <summary>What changed between two states of a report: cell by cell, and paragraph by paragraph for
/// the narrative (a longest-common-subsequence diff of the paragraphs).</summary>
public static class ReportDiff
{
    public static IReadOnlyList<CellChange> Cells(IReadOnlyDictionary<string, decimal> before, IReadOnlyDictionary<string, decimal> after) =>
        before.Keys.Union(after.Keys)
            .Select(id => new CellChange(id, before.TryGetValue(id, out var o) ? o : null, after.TryGetValue(id, out var n) ? n : null))
            .Where(c => c.Old != c.New)
            .ToList();

    /// <summary>Parts whose text differs; a part absent on one side counts as empty there.</summary>
    public static IReadOnlyList<TextChange> Texts(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Keys.Union(after.Keys)
            .Where(id => (before.GetValueOrDefault(id) ?? "") != (after.GetValueOrDefault(id) ?? ""))
            .Select(id => new TextChange(id, Paragraphs(before.GetValueOrDefault(id) ?? "", after.GetValueOrDefault(id) ?? "")))
            .ToList();

    /// <summary>Every narrative part that was added, removed, renamed, moved within its section or rewritten,
    /// in the order of <paramref name="after"/>, then the removed parts in their old order.</summary>
    public static IReadOnlyList<PartChange> Parts(IReadOnlyList<WrittenPart> before, IReadOnlyList<WrittenPart> after)
    {
        var old = before.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var now = after.ToDictionary(p => p.Id, StringComparer.Ordinal);
        // A kept part has moved when its place among the kept parts of its section changed.
        int Place(IReadOnlyList<WrittenPart> parts, WrittenPart part) =>
            parts.Where(p => p.SectionId == part.SectionId && old.ContainsKey(p.Id) && now.ContainsKey(p.Id)).Select(p => p.Id).ToList().IndexOf(part.Id);
        var changes = new List<PartChange>();
        foreach (var part in after)
        {
            if (!old.TryGetValue(part.Id, out var was))
            {
                changes.Add(new PartChange(part.Id, null, part.Heading, Added: true, Removed: false, Moved: false, Paragraphs("", part.Text)));
                continue;
            }
            var moved = Place(before, was) != Place(after, part);
            if (was.Heading == part.Heading && was.Text == part.Text && !moved) continue;
            changes.Add(new PartChange(part.Id, was.Heading, part.Heading, Added: false, Removed: false, moved,
                was.Text == part.Text ? [] : Paragraphs(was.Text, part.Text)));
        }
        changes.AddRange(before.Where(p => !now.ContainsKey(p.Id))
            .Select(p => new PartChange(p.Id, p.Heading, null, Added: false, Removed: true, Moved: false, Paragraphs(p.Text, ""))));
        return changes;
    }

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
