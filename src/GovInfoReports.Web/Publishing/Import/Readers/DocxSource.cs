using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using GovInfoReports.Domain.Import;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>
/// Reads a Word document (.docx, also as saved by WPS) with DocumentFormat.OpenXml: the body's paragraphs and tables in
/// document order (content controls opened). A paragraph is one line; its text is its runs' text with fields'
/// results and hyperlinks' text kept, field codes, deleted text and the fallback copy of drawings left out, and its
/// automatic number (自动编号 "一、", "（一）", "1.") put in front, computed from the numbering definitions as Word
/// counts them. A table row is one line in grid order: a cell spanning n grid columns (gridSpan) is its text and n−1
/// empty cells, a cell continuing a vertical merge is empty, columns skipped before or after the row (gridBefore,
/// gridAfter) are empty; a cell's paragraphs are joined by a space, a table nested in a cell adds its text.
/// Headers, footers, footnotes and comments are not read; a text box's text is read inside the paragraph it is anchored to.
/// </summary>
internal static class DocxSource
{
    /// <summary>The document of a .docx file's bytes. Throws (OpenXmlPackageException, InvalidDataException…) when
    /// the package is damaged; <see cref="SourceReaders"/> turns that into a message.</summary>
    public static SourceDocument Read(byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        using var word = WordprocessingDocument.Open(stream, false);
        var body = word.MainDocumentPart?.Document?.Body ?? throw new InvalidDataException("The package has no document body.");
        var lines = new SourceLines();
        var reader = new Reader(lines, new ListNumbers(word.MainDocumentPart!));
        reader.Blocks(body.ChildElements);
        return lines.Document(SourceKind.Docx);
    }

    private sealed class Reader(SourceLines lines, ListNumbers numbers)
    {
        public void Blocks(IEnumerable<OpenXmlElement> elements)
        {
            foreach (var element in elements)
            {
                switch (element)
                {
                    case Paragraph paragraph:
                        lines.Paragraph(ParagraphText(paragraph));
                        break;
                    case Table table:
                        foreach (var row in Rows(table)) lines.Row(RowCells(row));
                        break;
                    case SdtBlock sdt:
                        Blocks(sdt.SdtContentBlock?.ChildElements ?? Enumerable.Empty<OpenXmlElement>());
                        break;
                    case CustomXmlBlock custom:
                        Blocks(custom.ChildElements);
                        break;
                }
            }
        }

        private string ParagraphText(Paragraph paragraph)
        {
            var text = new StringBuilder();
            Runs(paragraph, text);
            var number = numbers.Next(paragraph);
            return number is null ? text.ToString() : number + text;
        }

        private List<string> RowCells(TableRow row)
        {
            var cells = new List<string>();
            var properties = row.TableRowProperties;
            for (var k = 0; k < (properties?.GetFirstChild<GridBefore>()?.Val?.Value ?? 0); k++) cells.Add("");
            foreach (var cell in Cells(row))
            {
                var cellProperties = cell.TableCellProperties;
                // A vMerge without val (or val="continue") continues the merge started above: the value is printed there.
                var continues = cellProperties?.VerticalMerge is { } merge && (merge.Val is null || merge.Val.Value == MergedCellValues.Continue);
                cells.Add(continues ? "" : CellText(cell));
                for (var k = 1; k < (cellProperties?.GridSpan?.Val?.Value ?? 1); k++) cells.Add("");
            }
            for (var k = 0; k < (properties?.GetFirstChild<GridAfter>()?.Val?.Value ?? 0); k++) cells.Add("");
            return cells;
        }

        private string CellText(TableCell cell)
        {
            var parts = new List<string>();
            void Collect(IEnumerable<OpenXmlElement> elements)
            {
                foreach (var element in elements)
                {
                    switch (element)
                    {
                        case Paragraph paragraph:
                            parts.Add(ParagraphText(paragraph));
                            break;
                        case Table nested:
                            foreach (var row in Rows(nested)) foreach (var inner in Cells(row)) Collect(inner.ChildElements);
                            break;
                        case SdtBlock sdt:
                            Collect(sdt.SdtContentBlock?.ChildElements ?? Enumerable.Empty<OpenXmlElement>());
                            break;
                        case CustomXmlBlock custom:
                            Collect(custom.ChildElements);
                            break;
                    }
                }
            }
            Collect(cell.ChildElements);
            return string.Join(" ", parts.Select(SourceLines.Clean).Where(p => p.Length > 0));
        }
    }

    /// <summary>The text of a paragraph's content in order.</summary>
    private static void Runs(OpenXmlElement element, StringBuilder text)
    {
        foreach (var child in element.ChildElements)
        {
            switch (child)
            {
                case Text t:
                    text.Append(t.Text);
                    break;
                case TabChar or Break or CarriageReturn or PositionalTab:
                    text.Append(' ');
                    break;
                case NoBreakHyphen:
                    text.Append('-');
                    break;
                // Field codes (w:instrText: "PAGE", "HYPERLINK …") and deleted text are not what is printed;
                // paragraph properties hold no text; a drawing's fallback repeats its choice.
                case FieldCode or DeletedText or DeletedFieldCode or ParagraphProperties or RunProperties or AlternateContentFallback:
                    break;
                default:
                    Runs(child, text);
                    break;
            }
        }
    }

    private static IEnumerable<TableRow> Rows(Table table) => Expand<TableRow>(table.ChildElements);

    private static IEnumerable<TableCell> Cells(TableRow row) => Expand<TableCell>(row.ChildElements);

    /// <summary>The rows of a table or cells of a row, looking inside content controls and custom XML around them.</summary>
    private static IEnumerable<T> Expand<T>(IEnumerable<OpenXmlElement> elements) where T : OpenXmlElement
    {
        foreach (var element in elements)
        {
            if (element is T found) yield return found;
            else if (element is SdtRow or SdtCell or CustomXmlRow or CustomXmlCell or SdtContentRow or SdtContentCell)
                foreach (var inner in Expand<T>(element.ChildElements)) yield return inner;
        }
    }

    /// <summary>
    /// Automatic list numbers (ECMA-376 part 1, 17.9): a paragraph's numbering (its own w:numPr or its style's) names a
    /// list (numId) and a level (ilvl); each level counts from its start value, a level's count restarts when a level
    /// above it advances, and the number is the level's text (lvlText, "%1、") with each %n replaced by level n's
    /// count in level n's format. Bullets give no text.
    /// </summary>
    private sealed class ListNumbers(MainDocumentPart main)
    {
        private readonly Numbering? numbering = main.NumberingDefinitionsPart?.Numbering;
        private readonly Styles? styles = main.StyleDefinitionsPart?.Styles;
        private readonly Dictionary<int, int?[]> counts = [];

        public string? Next(Paragraph paragraph)
        {
            if (numbering is null) return null;
            var (numId, level) = Reference(paragraph);
            if (numId is null or 0) return null;
            var instance = numbering.Elements<NumberingInstance>().FirstOrDefault(n => n.NumberID?.Value == numId);
            var abstractId = instance?.AbstractNumId?.Val?.Value;
            var definition = numbering.Elements<AbstractNum>().FirstOrDefault(a => a.AbstractNumberId?.Value == abstractId);
            if (instance is null || definition is null) return null;
            var levels = Enumerable.Range(0, 9).Select(i => Level(definition, instance, i)).ToArray();
            if (levels[level] is not { } current) return null;

            if (!counts.TryGetValue(numId.Value, out var count)) counts[numId.Value] = count = new int?[9];
            count[level] = count[level] is { } n ? n + 1 : Start(current, instance, level);
            for (var below = level + 1; below < 9; below++) count[below] = null;

            var format = current.NumberingFormat?.Val?.Value;
            if (format == NumberFormatValues.Bullet || current.LevelText?.Val?.Value is not { } pattern) return null;
            var text = new StringBuilder();
            for (var i = 0; i < pattern.Length; i++)
            {
                if (pattern[i] == '%' && i + 1 < pattern.Length && pattern[i + 1] is >= '1' and <= '9')
                {
                    var referenced = pattern[i + 1] - '1';
                    var value = count[referenced] ?? (levels[referenced] is { } l ? Start(l, instance, referenced) : 1);
                    text.Append(Format(value, levels[referenced]?.NumberingFormat?.Val?.Value ?? NumberFormatValues.Decimal));
                    i++;
                }
                else text.Append(pattern[i]);
            }
            // The suffix after the number: a tab (Word's default) or a space reads as a space; "nothing" joins.
            var suffix = current.LevelSuffix?.Val?.Value;
            return suffix == LevelSuffixValues.Nothing ? text.ToString() : text + " ";
        }

        private (int? NumId, int Level) Reference(Paragraph paragraph)
        {
            var properties = paragraph.ParagraphProperties?.NumberingProperties;
            if (properties?.NumberingId?.Val?.Value is { } id) return (id, Math.Clamp(properties.NumberingLevelReference?.Val?.Value ?? 0, 0, 8));
            // The paragraph's style (or a style it is based on) may carry the numbering, as heading styles do.
            var styleId = paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
            for (var depth = 0; styleId is not null && depth < 10; depth++)
            {
                var style = styles?.Elements<Style>().FirstOrDefault(s => s.StyleId?.Value == styleId);
                var styleNumbering = style?.StyleParagraphProperties?.NumberingProperties;
                if (styleNumbering?.NumberingId?.Val?.Value is { } styleNum)
                {
                    var level = styleNumbering.NumberingLevelReference?.Val?.Value
                        ?? LevelOfStyle(styleNum, styleId)
                        ?? 0;
                    return (styleNum, Math.Clamp(level, 0, 8));
                }
                styleId = style?.BasedOn?.Val?.Value;
            }
            return (null, 0);
        }

        /// <summary>The level whose w:pStyle links it to the style (how a heading style gets its level).</summary>
        private int? LevelOfStyle(int numId, string styleId)
        {
            var abstractId = numbering!.Elements<NumberingInstance>().FirstOrDefault(n => n.NumberID?.Value == numId)?.AbstractNumId?.Val?.Value;
            return numbering.Elements<AbstractNum>().FirstOrDefault(a => a.AbstractNumberId?.Value == abstractId)?
                .Elements<Level>().FirstOrDefault(l => l.ParagraphStyleIdInLevel?.Val?.Value == styleId)?.LevelIndex?.Value;
        }

        private static Level? Level(AbstractNum definition, NumberingInstance instance, int index) =>
            instance.Elements<LevelOverride>().FirstOrDefault(o => o.LevelIndex?.Value == index)?.Level
            ?? definition.Elements<Level>().FirstOrDefault(l => l.LevelIndex?.Value == index);

        private static int Start(Level level, NumberingInstance instance, int index) =>
            instance.Elements<LevelOverride>().FirstOrDefault(o => o.LevelIndex?.Value == index)?.StartOverrideNumberingValue?.Val?.Value
            ?? level.StartNumberingValue?.Val?.Value
            ?? 0;

        private static string Format(int value, NumberFormatValues format)
        {
            if (format == NumberFormatValues.ChineseCounting || format == NumberFormatValues.ChineseCountingThousand
                || format == NumberFormatValues.TaiwaneseCounting || format == NumberFormatValues.TaiwaneseCountingThousand)
                return ChineseNumber(value);
            if (format == NumberFormatValues.ChineseLegalSimplified)
                return string.Concat(ChineseNumber(value).Select(c => "零壹贰叁肆伍陆柒捌玖拾"["零一二三四五六七八九十".IndexOf(c) is var i and >= 0 ? i : 0]));
            if (format == NumberFormatValues.IdeographTraditional && value is >= 1 and <= 10) return "甲乙丙丁戊己庚辛壬癸"[value - 1].ToString();
            if (format == NumberFormatValues.DecimalEnclosedCircle || format == NumberFormatValues.DecimalEnclosedCircleChinese)
                return value is >= 1 and <= 20 ? ((char)('\u2460' + value - 1)).ToString() : value.ToString(CultureInfo.InvariantCulture);
            if (format == NumberFormatValues.DecimalFullWidth || format == NumberFormatValues.DecimalFullWidth2)
                return string.Concat(value.ToString(CultureInfo.InvariantCulture).Select(c => (char)(c - '0' + '０')));
            if (format == NumberFormatValues.DecimalZero) return value.ToString("00", CultureInfo.InvariantCulture);
            if (format == NumberFormatValues.UpperLetter || format == NumberFormatValues.LowerLetter)
            {
                var letter = new string((char)('A' + (value - 1) % 26), (value - 1) / 26 + 1);
                return format == NumberFormatValues.UpperLetter ? letter : letter.ToLowerInvariant();
            }
            if (format == NumberFormatValues.UpperRoman) return Roman(value);
            if (format == NumberFormatValues.LowerRoman) return Roman(value).ToLowerInvariant();
            if (format == NumberFormatValues.None) return "";
            return value.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>一…九十九 as Chinese counts (十一, 二十, 二十一), then digits for larger counts.</summary>
        private static string ChineseNumber(int value)
        {
            const string digits = "零一二三四五六七八九";
            if (value is < 0 or > 99) return value.ToString(CultureInfo.InvariantCulture);
            if (value < 10) return digits[value].ToString();
            var tens = value / 10;
            var ones = value % 10;
            return (tens == 1 ? "" : digits[tens].ToString()) + "十" + (ones == 0 ? "" : digits[ones].ToString());
        }

        private static string Roman(int value)
        {
            if (value is < 1 or > 3999) return value.ToString(CultureInfo.InvariantCulture);
            var result = new StringBuilder();
            foreach (var (n, s) in new[] { (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I") })
                while (value >= n) { result.Append(s); value -= n; }
            return result.ToString();
        }
    }
}
