using System.Text;
using System.Text.RegularExpressions;
using GovInfoReports.Domain.Import;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>
/// Collects the lines of a <see cref="SourceDocument"/> as a reader finds them: each cell cleaned (invisible characters
/// removed, runs of white space made one space, trimmed), lines whose cells are all empty dropped, and the kept lines
/// numbered 1, 2, 3… in reading order (a paragraph or a table row each counts as one).
/// </summary>
internal sealed partial class SourceLines
{
    private readonly List<SourceLine> lines = [];

    /// <summary>Adds a paragraph: one line of one cell (nothing when it is blank).</summary>
    public void Paragraph(string text) => Row([text]);

    /// <summary>Adds a table row, its cells in grid order (nothing when every cell is blank).</summary>
    public void Row(IEnumerable<string> cells)
    {
        var cleaned = cells.Select(Clean).ToList();
        if (cleaned.All(c => c.Length == 0)) return;
        lines.Add(new SourceLine(lines.Count + 1, cleaned));
    }

    public SourceDocument Document(SourceKind kind) => new(kind, lines);

    /// <summary>The text as a cell holds it: zero-width characters, the byte-order mark, soft hyphens and bidi controls
    /// removed (as <see cref="TextSource"/> does), every run of white space (no-break spaces and line ends included)
    /// made one space, the ends trimmed (the ideographic space U+3000 of Chinese indentation too), Kangxi radicals read
    /// as the characters they look like (<see cref="Radicals"/>).</summary>
    public static string Clean(string text) => Radicals(Space().Replace(Invisible().Replace(text, ""), " ").Trim());

    /// <summary>Kangxi radicals (U+2F00–U+2FD5) as the CJK characters they stand for (their compatibility
    /// decomposition, NFKC), and the simplified-form radicals of the CJK Radicals Supplement as the characters they
    /// look like (⻚ U+2EDA → 页; these have no decomposition, hence <see cref="Supplement"/>): fonts draw both with
    /// one glyph, so text extracted from a PDF (Chromium's, for one: its own footer reads 第 1 ⻚) and copied on from it
    /// carries ⼈ for 人, ⼀ for 一, which no label or search would match. Nothing else is normalised: full-width
    /// punctuation and digits stay as written.</summary>
    private static string Radicals(string text)
    {
        if (!text.Any(c => c is >= '\u2E80' and <= '\u2FD5')) return text;
        return string.Concat(text.Select(c => c switch
        {
            >= '\u2F00' and <= '\u2FD5' => c.ToString().Normalize(NormalizationForm.FormKC),
            _ when Supplement.IndexOf(c) is var i and >= 0 && i % 2 == 0 => Supplement[i + 1].ToString(),
            _ => c.ToString(),
        }));
    }

    /// <summary>Pairs of a CJK Radicals Supplement character and the character it looks like (C-simplified forms).</summary>
    private const string Supplement = "⺟母⺠民⻄西⻅见⻆角⻈讠⻉贝⻋车⻐钅⻓长⻔门⻙韦⻚页⻛风⻜飞⻠饣⻢马⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻬齐⻮齿⻰龙⻳龟";

    /// <summary>The same characters <see cref="TextSource"/> removes.</summary>
    [GeneratedRegex("[\u200B-\u200F\u2060\uFEFF\u00AD\u202A-\u202E\u2066-\u2069]")]
    private static partial Regex Invisible();

    [GeneratedRegex("[ \t\r\n\f\v\u00A0]+")]
    private static partial Regex Space();

    /// <summary>True for the characters between which a line break in HTML source means nothing (CSS Text 3, segment
    /// break transformation: removed between East Asian wide characters), so a Chinese sentence wrapped in the source
    /// is not cut by a space.</summary>
    public static bool IsWide(char c) =>
        c is >= '\u2E80' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' or >= '\uFE30' and <= '\uFE4F' or >= '\uFF00' and <= '\uFF60'
            or >= '\uFFE0' and <= '\uFFE6' or >= '\u3000' and <= '\u303F';

    /// <summary>Collapses white space in HTML text the way a browser shows it, except that a run holding a line break
    /// between two wide (Chinese) characters disappears (see <see cref="IsWide"/>).</summary>
    public static string CollapseHtmlWhiteSpace(string text)
    {
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is not (' ' or '\t' or '\r' or '\n' or '\f' or '\u00A0'))
            {
                result.Append(c);
                i++;
                continue;
            }
            var start = i;
            var lineBreak = false;
            while (i < text.Length && text[i] is ' ' or '\t' or '\r' or '\n' or '\f' or '\u00A0')
            {
                lineBreak |= text[i] is '\r' or '\n';
                i++;
            }
            var before = start > 0 ? text[start - 1] : ' ';
            var after = i < text.Length ? text[i] : ' ';
            if (!(lineBreak && IsWide(before) && IsWide(after))) result.Append(' ');
        }
        return result.ToString();
    }
}
