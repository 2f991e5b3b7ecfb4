using System.Text;
using System.Text.RegularExpressions;

namespace GovInfoReports.Domain.Import;

/// <summary>
/// Reads pasted text or a .txt file into a <see cref="SourceDocument"/>: a line with a tab is split at tabs (Excel,
/// WPS, Word and browsers copy tables so), a line with <c>|</c> at the bars (tables flattened with bars, markdown from
/// OCR, whose separator rows <c>|---|</c> are dropped), any other line is one cell. Blank lines are dropped; zero-width
/// characters, the byte-order mark and bidi controls are removed, and line ends of every platform are accepted.
/// </summary>
public static partial class TextSource
{
    /// <summary>The document of <paramref name="text"/> (possibly empty: no line).</summary>
    public static SourceDocument Read(string text)
    {
        var lines = new List<SourceLine>();
        var number = 0;
        foreach (var raw in RemoveInvisible(text).Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
        {
            number++;
            if (string.IsNullOrWhiteSpace(raw)) continue;
            var cells = Cells(raw);
            if (cells is null) continue;
            lines.Add(new SourceLine(number, cells));
        }
        return new SourceDocument(SourceKind.Text, lines);
    }

    /// <summary><paramref name="text"/> without zero-width characters, the byte-order mark, soft hyphens and bidi controls.</summary>
    public static string RemoveInvisible(string text) => Invisible().Replace(text, "");

    /// <summary>Decodes a text file: UTF-8 (with or without a byte-order mark) or UTF-16 with one; otherwise GB18030,
    /// the encoding of most older Chinese text files, when .NET has it. Null when the bytes are not text (NUL bytes in a
    /// UTF-8 reading).</summary>
    public static string? Decode(byte[] bytes)
    {
        if (bytes.Length >= 2 && (bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF))
            return new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true).ReadToEnd();
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return text.Contains('\0') ? null : text.TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: GB18030 (a superset of GBK/GB2312), which decodes any byte sequence, so only text-like
            // results count: no control characters other than line ends and tabs.
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            var text = Encoding.GetEncoding("GB18030").GetString(bytes);
            return text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) ? null : text;
        }
    }

    private static IReadOnlyList<string>? Cells(string line)
    {
        if (line.Contains('\t')) return line.Split('\t').Select(c => c.Trim()).ToList();
        if (line.Contains('|'))
        {
            var trimmed = line.Trim();
            if (MarkdownRule().IsMatch(trimmed)) return null;
            if (trimmed.StartsWith('|')) trimmed = trimmed[1..];
            if (trimmed.EndsWith('|') && trimmed.Length > 0) trimmed = trimmed[..^1];
            return trimmed.Split('|').Select(c => c.Trim()).ToList();
        }
        return [line.Trim()];
    }

    /// <summary>Zero-width space/joiners, word joiner, BOM, soft hyphen, bidi embeddings and isolates.</summary>
    [GeneratedRegex("[\u200B-\u200F\u2060\uFEFF\u00AD\u202A-\u202E\u2066-\u2069]")]
    private static partial Regex Invisible();

    [GeneratedRegex(@"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")]
    private static partial Regex MarkdownRule();
}
