using DiffPlex;
using DiffPlex.Model;

namespace GovInfoReports.Domain.Reports;

public sealed record CellChange(string CellId, decimal? Old, decimal? New);

/// <summary>What happened to one paragraph: kept, added, removed, or <see cref="Changed"/> in place (edited
/// text, shown character by character).</summary>
public enum ParagraphChange { Same, Added, Removed, Changed }

/// <summary>A run of text inside a changed paragraph: kept, inserted or deleted.</summary>
public enum SegmentKind { Same, Inserted, Deleted }

public sealed record TextSegment(SegmentKind Kind, string Text);

/// <summary>One paragraph of a diff. <see cref="Text"/> is the paragraph as it is now (as it was, for a removed
/// one); <see cref="Segments"/> is only set for <see cref="ParagraphChange.Changed"/>: the old and new text
/// interleaved, in reading order.</summary>
public sealed record ParagraphDiff(ParagraphChange Change, string Text, IReadOnlyList<TextSegment>? Segments = null);

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

/// <summary>What changed between two states of a report: cell by cell, and for the narrative paragraph by
/// paragraph, with the characters changed inside an edited paragraph (DiffPlex).</summary>
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

    /// <summary>The paragraphs (lines, trimmed, blank ones dropped) of two texts, diffed with DiffPlex: kept,
    /// added and removed paragraphs; a removed paragraph replaced in the same place by one mostly alike
    /// (<see cref="Alike"/>) is one <see cref="ParagraphChange.Changed"/> paragraph with its edits marked by
    /// character (Chinese has no spaces between words, so a word diff would mark whole sentences; runs of Latin
    /// letters and digits count as one unit, so a changed figure reads as the old and the new number).</summary>
    public static IReadOnlyList<ParagraphDiff> Paragraphs(string before, string after)
    {
        var diff = Differ.Instance.CreateDiffs(before, after, false, false, ParagraphChunker.Instance);
        var (a, b) = (diff.PiecesOld, diff.PiecesNew);
        var result = new List<ParagraphDiff>();
        int x = 0, y = 0;
        foreach (var block in diff.DiffBlocks.Append(new DiffBlock(a.Count, 0, b.Count, 0)))
        {
            while (x < block.DeleteStartA) { result.Add(new(ParagraphChange.Same, b[y])); x++; y++; }
            var removed = a.Skip(block.DeleteStartA).Take(block.DeleteCountA).ToList();
            var added = b.Skip(block.InsertStartB).Take(block.InsertCountB).ToList();
            for (var k = 0; k < Math.Max(removed.Count, added.Count); k++)
            {
                var segments = k < removed.Count && k < added.Count ? Inline(removed[k], added[k]) : null;
                if (segments is not null && Alike(segments)) { result.Add(new(ParagraphChange.Changed, added[k], segments)); continue; }
                if (k < removed.Count) result.Add(new(ParagraphChange.Removed, removed[k]));
                if (k < added.Count) result.Add(new(ParagraphChange.Added, added[k]));
            }
            x += block.DeleteCountA;
            y += block.InsertCountB;
        }
        return result;
    }

    /// <summary>The edits turning one paragraph into another, in reading order (deletion before insertion at the
    /// same place), adjacent runs of one kind merged.</summary>
    public static IReadOnlyList<TextSegment> Inline(string before, string after)
    {
        var diff = Differ.Instance.CreateDiffs(before, after, false, false, CharacterRunChunker.Instance);
        var segments = new List<TextSegment>();
        void Add(SegmentKind kind, IEnumerable<string> pieces)
        {
            var text = string.Concat(pieces);
            if (text.Length == 0) return;
            if (segments.Count > 0 && segments[^1].Kind == kind) segments[^1] = segments[^1] with { Text = segments[^1].Text + text };
            else segments.Add(new TextSegment(kind, text));
        }
        var x = 0;
        foreach (var block in diff.DiffBlocks)
        {
            Add(SegmentKind.Same, diff.PiecesOld.Skip(x).Take(block.DeleteStartA - x));
            Add(SegmentKind.Deleted, diff.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA));
            Add(SegmentKind.Inserted, diff.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB));
            x = block.DeleteStartA + block.DeleteCountA;
        }
        Add(SegmentKind.Same, diff.PiecesOld.Skip(x));
        return segments;
    }

    /// <summary>Whether two paragraphs are one paragraph edited rather than one replaced by another: at least half of
    /// their characters kept. Below that, marking each character would only scatter noise over a rewrite.</summary>
    private static bool Alike(IReadOnlyList<TextSegment> segments)
    {
        var kept = segments.Where(s => s.Kind == SegmentKind.Same).Sum(s => s.Text.Length);
        var total = segments.Sum(s => s.Kind == SegmentKind.Same ? 2 * s.Text.Length : s.Text.Length);
        return total > 0 && 2 * kept >= total / 2.0;
    }

    /// <summary>Paragraphs as the report stores them: one per line, trimmed, blank lines dropped.</summary>
    private sealed class ParagraphChunker : IChunker
    {
        public static readonly ParagraphChunker Instance = new();
        public IReadOnlyList<string> Chunk(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>One unit per character (a surrogate pair or combining sequence is one), except that a run of Latin
    /// letters and digits (a figure such as 1988, a name such as PDF) is one unit.</summary>
    private sealed class CharacterRunChunker : IChunker
    {
        public static readonly CharacterRunChunker Instance = new();
        public IReadOnlyList<string> Chunk(string text)
        {
            var units = new List<string>();
            var e = System.Globalization.StringInfo.GetTextElementEnumerator(text);
            var run = new System.Text.StringBuilder();
            while (e.MoveNext())
            {
                var element = e.GetTextElement();
                if (element.Length == 1 && char.IsAsciiLetterOrDigit(element[0])) { run.Append(element); continue; }
                if (run.Length > 0) { units.Add(run.ToString()); run.Clear(); }
                units.Add(element);
            }
            if (run.Length > 0) units.Add(run.ToString());
            return units;
        }
    }
}
