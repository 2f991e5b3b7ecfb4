using System.Text.RegularExpressions;

namespace GovInfoReports.Domain.Reports;

/// <summary>
/// One narrative part of a report as the agency wrote it: the heading it printed above the part (null: the
/// part has none, e.g. the opening paragraph before （一）) and its text (paragraphs separated by \n; "" when
/// nothing is written yet). A report's parts are its own data: they start as the template's recommended
/// outline and the clerk may keep, rename, remove, reorder or add parts, so the document prints exactly
/// these headings and nothing the agency did not write.
/// </summary>
/// <param name="Id">Stable id within the report, <c>{sectionId}.{name}</c> (e.g. <c>s1.active</c>,
/// <c>s1.part_b</c>); see <see cref="PartIds"/>.</param>
public sealed record WrittenPart(string Id, string? Heading, string Text)
{
    public string SectionId => PartIds.SectionOf(Id);
}

/// <summary>A part as posted by the entry form or read from an import: <paramref name="Id"/> is an existing
/// part of the section, or null for a new one; an empty heading means none.</summary>
public sealed record PartInput(string? Id, string? Heading, string? Text);

/// <summary>Ids of narrative parts: <c>{sectionId}.{name}</c>, the name lower-case letters and underscores (the
/// open-data schema's <c>texts</c> pattern), so the section a part belongs to is read from its id.</summary>
public static partial class PartIds
{
    /// <summary>The longest heading of a part, in UTF-16 code units (a heading is one line).</summary>
    public const int MaxHeadingLength = 200;

    /// <summary>The most parts a section may have (the longest pre-2019 reports have ten or so).</summary>
    public const int MaxPartsPerSection = 40;

    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    /// <exception cref="ArgumentException">The id is not of the form <c>{sectionId}.{name}</c>.</exception>
    public static string SectionOf(string partId)
    {
        var dot = partId.IndexOf('.');
        return dot > 0 ? partId[..dot] : throw new ArgumentException($"Part id '{partId}' has no section.", nameof(partId));
    }

    /// <summary>A new id for a part added by the clerk: <c>{sectionId}.part_{letters}</c>, after every id taken
    /// (part_a … part_z, part_ba, …), so an added part never takes the id, and the audit history, of another.</summary>
    public static string NewId(string sectionId, IEnumerable<string> taken)
    {
        var prefix = $"{sectionId}.part_";
        var next = taken.Where(id => id.StartsWith(prefix, StringComparison.Ordinal))
            .Select(id => Number(id[prefix.Length..])).DefaultIfEmpty(-1).Max() + 1;
        return prefix + Letters(next);
    }

    private static int Number(string letters) =>
        letters.Length == 0 || letters.Any(c => c is < 'a' or > 'z') ? -1 : letters.Aggregate(0, (n, c) => checked(n * 26 + (c - 'a')));

    private static string Letters(int n)
    {
        var chars = new Stack<char>();
        do { chars.Push((char)('a' + n % 26)); n /= 26; } while (n > 0);
        // part_a is 0; a leading 'a' would be a zero digit, so numbers ≥ 26 start at 'b' (part_ba = 26).
        return new string([.. chars]);
    }

    /// <summary>A heading as stored: trimmed, one line; empty means none (null).</summary>
    public static string? NormaliseHeading(string? heading)
    {
        var text = string.Join(" ", (heading ?? "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Trim();
        return text.Length == 0 ? null : text;
    }

    [GeneratedRegex("^s[0-9]+\\.[a-z_]+$")]
    private static partial Regex Shape();
}
