using System.Text;
using System.Text.RegularExpressions;
using GovInfoReports.Domain.Import;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Exceptions;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>
/// Reads the text layer of a PDF with PdfPig, page after page. A PDF has no paragraphs or tables, only glyphs at
/// positions, so both are rebuilt:
/// <list type="bullet">
/// <item>Ruled tables (<see cref="PdfTables"/>, the usual way Word, WPS and Chromium print them) by their borders: one
/// line per grid row, spans as in HTML (a cell spanning n columns is its text and n−1 empty cells, a cell covered from
/// above is empty), a cell's text wrapped over several printed lines joined (no space between Chinese characters).</item>
/// <item>Everything else by position: glyphs whose baselines lie within 40% of their font size form a line (top to
/// bottom); along a line, a gap wider than <see cref="CellGap"/> times the page's typical character width starts a
/// new cell (cells of a table without borders leave at least both cells' padding between their texts, 6–11 pt,
/// while Chinese text has no gap between characters and Latin text a space of a quarter of its size). Here a cell's
/// wrapped text comes out as several lines: nothing in the PDF says they belong together.</item>
/// </list>
/// A line that is only a page number ("第1页", "第 1 页 共 3 页", "- 1 -", "1/3") is dropped, and so is a page's first or
/// last line when one of its cells is a page number (a running header or footer); other repeated headers and footers
/// are left to the parser. Radicals that a PDF's ToUnicode map gives for common characters (Chromium maps the glyph
/// of 人 to ⼈ U+2F08, of 页 to ⻚ U+2EDA) are read as the characters (<see cref="SourceLines.Clean"/>). Text drawn
/// rotated (vertical stamps, watermarks) is read as it lies.
/// </summary>
internal static partial class PdfSource
{
    /// <summary>A gap between glyphs on a line, in typical glyph widths, from which the glyphs are in different cells.</summary>
    public const double CellGap = 0.5;

    /// <summary>The document, or the refusal: encrypted (a password is needed to open it), or scanned (no text on
    /// any page). Other damage throws, which <see cref="SourceReaders"/> turns into a message.</summary>
    public static (SourceDocument? Document, string? Error) Read(byte[] content)
    {
        PdfDocument pdf;
        try
        {
            pdf = PdfDocument.Open(content, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
        }
        catch (PdfDocumentEncryptedException)
        {
            return (null, "这是加密的PDF（需要密码才能打开）：请上传未加密的PDF，或Word、网页版本");
        }
        using (pdf)
        {
            var lines = new SourceLines();
            var anyText = false;
            foreach (var page in pdf.GetPages())
            {
                var letters = page.Letters.Where(l => !string.IsNullOrWhiteSpace(l.Value)).ToList();
                if (letters.Count == 0) continue;
                anyText = true;
                var typicalWidth = TypicalWidth(letters);
                var tables = PdfTables.Find(page, letters, cell => CellText(cell, typicalWidth));
                var inTables = tables.SelectMany(t => t.Letters).ToHashSet();
                // Lines outside tables and tables, top to bottom (a table where its top border is).
                var items = Lines(letters.Where(l => !inTables.Contains(l)).ToList())
                    .Select(line => (Top: line.Max(l => l.StartBaseLine.Y), Rows: new List<string[]> { Cells(line, typicalWidth).ToArray() }, Free: true))
                    .Concat(tables.Select(t => (t.Top, t.Rows, Free: false)))
                    .OrderByDescending(item => item.Top)
                    .ToList();
                for (var i = 0; i < items.Count; i++)
                foreach (var cells in items[i].Rows)
                {
                    // A page number alone on its line anywhere, or a running header or footer line with a page number in
                    // it (the first or last line of the page: "某某局 2024年度 · 第3版 | 第 1 页 共 4 页").
                    if (cells.Length == 1 && IsPageNumber(cells[0])) continue;
                    if (items[i].Free && (i == 0 || i == items.Count - 1) && cells.Any(IsPageNumber)) continue;
                    lines.Row(cells);
                }
            }
            if (!anyText) return (null, "这是扫描件（没有文字层），无法读取数字；请上传可复制文字的PDF、Word或网页版本");
            return (lines.Document(SourceKind.Pdf), null);
        }
    }

    /// <summary>The page's typical character width: the median advance of its Chinese (wide) glyphs, about the font
    /// size, when a tenth of its glyphs are Chinese; else the median font size (Latin glyphs vary too much in width:
    /// "1" is half an "M").</summary>
    private static double TypicalWidth(List<Letter> letters)
    {
        var wide = letters.Where(l => SourceLines.IsWide(l.Value[0])).Select(Advance).Where(w => w > 0.1).ToList();
        return (wide.Count * 10 >= letters.Count ? Median(wide) : null) ?? Median(letters.Select(l => l.PointSize).Where(s => s > 0.1)) ?? 10;
    }

    /// <summary>A glyph's advance along the baseline (its width as set, not its ink).</summary>
    private static double Advance(Letter letter) => Math.Abs(letter.EndBaseLine.X - letter.StartBaseLine.X) is var w and > 0 ? w : letter.Width;

    /// <summary>The page's glyphs as lines, top to bottom, each left to right.</summary>
    private static IEnumerable<List<Letter>> Lines(List<Letter> letters)
    {
        // Highest baseline first (PDF y grows upwards); a glyph joins the line whose baseline is within 40% of its size
        // (superscripts and mixed fonts on one line stay together; the next line is a whole line height away).
        var sorted = letters.OrderByDescending(l => l.StartBaseLine.Y).ThenBy(l => l.StartBaseLine.X).ToList();
        var lines = new List<(double Baseline, List<Letter> Letters)>();
        foreach (var letter in sorted)
        {
            var size = Math.Max(letter.PointSize, 1);
            var index = lines.FindLastIndex(l => Math.Abs(l.Baseline - letter.StartBaseLine.Y) <= 0.4 * size);
            if (index >= 0) lines[index].Letters.Add(letter);
            else lines.Add((letter.StartBaseLine.Y, [letter]));
        }
        return lines.Select(l => l.Letters.OrderBy(x => x.StartBaseLine.X).ToList());
    }

    private static List<string> Cells(List<Letter> line, double typicalWidth)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        Letter? previous = null;
        foreach (var letter in line)
        {
            if (previous is not null)
            {
                var gap = letter.StartBaseLine.X - (previous.StartBaseLine.X + Advance(previous));
                if (gap > CellGap * typicalWidth)
                {
                    cells.Add(cell.ToString());
                    cell.Clear();
                }
                // A visible space between words (spaces are rarely drawn as glyphs): about a quarter of a size or more.
                else if (gap > 0.2 * Math.Max(previous.PointSize, 1) && !(SourceLines.IsWide(previous.Value[^1]) && SourceLines.IsWide(letter.Value[0])))
                    cell.Append(' ');
            }
            cell.Append(letter.Value);
            previous = letter;
        }
        cells.Add(cell.ToString());
        return cells;
    }

    /// <summary>The text of a table cell's glyphs: its printed lines joined, without a space between Chinese
    /// characters (a label wrapped in its cell is one label).</summary>
    private static string CellText(List<Letter> letters, double typicalWidth)
    {
        var text = new StringBuilder();
        foreach (var line in Lines(letters))
        {
            var part = string.Join(" ", Cells(line, typicalWidth));
            if (text.Length > 0 && part.Length > 0 && !(SourceLines.IsWide(text[^1]) && SourceLines.IsWide(part[0]))) text.Append(' ');
            text.Append(part);
        }
        return text.ToString();
    }

    private static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? null : sorted[sorted.Count / 2];
    }

    private static bool IsPageNumber(string cell) => PageNumber().IsMatch(SourceLines.Clean(cell).Replace(" ", ""));

    [GeneratedRegex(@"^(第\d+页(共\d+页)?|[-—–]\d+[-—–]|\d+/\d+|Page\d+(of\d+)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex PageNumber();
}
