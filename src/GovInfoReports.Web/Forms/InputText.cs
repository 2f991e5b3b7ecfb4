using System.Text;

namespace GovInfoReports.Web.Forms;

/// <summary>
/// What the app keeps of a text typed into a form: everything except characters that are invisible yet change
/// what a reader sees or what a program does. Removed: the bidirectional overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069: "Trojan Source", CVE-2021-42574 — they reorder how a name or a paragraph is
/// displayed) and the C0 control characters U+0000–U+001F other than tab, line feed, and carriage return
/// directly before a line feed (browsers post textarea lines as CRLF). U+0000 is also reported, because
/// PostgreSQL cannot store it in a text column and a silently shortened value could hide a mistake.
/// </summary>
public static class InputText
{
    /// <summary>The field message when a posted value held U+0000 (the value is shown back without it).</summary>
    public const string NulMessage = "此项含有空字符（U+0000），已删除，请核对后重新提交";

    /// <summary>Whether <paramref name="text"/> holds U+0000.</summary>
    public static bool ContainsNul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);

    /// <summary>The text without bidirectional controls and C0 controls (tab, LF and CR+LF kept); the same
    /// instance when there is nothing to remove. Null stays null.</summary>
    public static string? Clean(string? text)
    {
        if (text is null) return null;
        var first = FirstRemoved(text, 0);
        if (first < 0) return text;
        var kept = new StringBuilder(text.Length);
        kept.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
            if (!Removed(text, i)) kept.Append(text[i]);
        return kept.ToString();
    }

    private static int FirstRemoved(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
            if (Removed(text, i)) return i;
        return -1;
    }

    private static bool Removed(string text, int i) => text[i] switch
    {
        '\t' or '\n' => false,
        '\r' => i + 1 >= text.Length || text[i + 1] != '\n',
        < ' ' => true,
        >= '\u202A' and <= '\u202E' => true,
        >= '\u2066' and <= '\u2069' => true,
        _ => false,
    };
}
