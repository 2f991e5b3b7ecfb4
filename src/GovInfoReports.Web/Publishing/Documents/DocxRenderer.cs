using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using GovInfoReports.Domain.Templates;
using TableLayout = GovInfoReports.Domain.Templates.TableLayout;

namespace GovInfoReports.Web.Publishing;

/// <summary>
/// Writes the statutory document as Word (.docx, DocumentFormat.OpenXml): the same content, in the same order, as
/// <c>ReportDocumentView.razor</c> draws for the page and the PDF — title, the template's cover lines, the version
/// line, every printed section, the agency's own narrative parts, and every table walked from the same
/// <see cref="TableLayout"/> (merged headers as <c>gridSpan</c>/<c>vMerge</c>, header rows repeated on each page,
/// not-applicable runs one blank merged cell). Values are printed by <see cref="ReportDocument.Value"/> and
/// <see cref="ReportDocument.ChosenUnitLabel"/>, as the HTML prints them. A4 portrait; East Asian fonts declared
/// (宋体 body, 黑体 headings, zh-CN), so Word on a Chinese system picks them; a footer carries the version line, as
/// the PDF's does, and 第 N 页 共 M 页.
/// </summary>
public static class DocxRenderer
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    // A4 in twentieths of a point (210 × 297 mm) and the PDF's margins (18 mm top/bottom, 15 mm left/right).
    private const int PageWidth = 11906, PageHeight = 16838, MarginTopBottom = 1020, MarginSide = 850;
    private const int TextWidth = PageWidth - 2 * MarginSide;

    private const string BodyFont = "宋体", HeadingFont = "黑体", LatinFont = "Times New Roman";

    /// <summary>The .docx file of <paramref name="document"/> (a published version or a draft preview), as bytes.</summary>
    public static byte[] Render(ReportDocument document)
    {
        using var stream = new MemoryStream();
        using (var package = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            package.PackageProperties.Title = document.Metadata.Title;
            package.PackageProperties.Language = "zh-CN";
            var main = package.AddMainDocumentPart();
            AddStyles(main);
            AddFonts(main);
            // Word 2013+ layout (not compatibility mode), and zh-CN as the East Asian language of theme fonts.
            main.AddNewPart<DocumentSettingsPart>().Settings = new Settings(
                new Compatibility(new CompatibilitySetting
                {
                    Name = CompatSettingNameValues.CompatibilityMode, Uri = "http://schemas.microsoft.com/office/word", Val = "15",
                }),
                new ThemeFontLanguages { Val = "en-US", EastAsia = "zh-CN" });
            var footer = AddFooter(main, document);
            main.Document = new Document(BodyOf(document, main.GetIdOfPart(footer)));
        }
        return stream.ToArray();
    }

    private static Body BodyOf(ReportDocument document, string footerId)
    {
        var body = new Body();
        body.Append(Paragraph("Title", document.Metadata.Title));
        // The cover lines are the template's (labels, order, which fields); blank ones are left out, as in the HTML.
        foreach (var (label, value) in document.Template.Cover(document.Metadata)) body.Append(CoverLine(label, value));
        // The version line's words are the template's too.
        body.Append(CoverLine(document.Template.VersionWords.Label, document.VersionLine));
        if (document.CorrectionNote is { } note) body.Append(CoverLine(document.Template.VersionWords.CorrectionLabel, note));
        // An archive record says where it comes from and what its printed numbers break, as the HTML and PDF do.
        if (document.Archive is { } archive)
        {
            body.Append(CoverLine("存档记录", $"本报告于{GovInfoReports.Domain.Reports.BeijingTime.Date(archive.PublishedOn)}在别处发布，按原文数字收录，未作更正"
                + (archive.SourceUrl is { } url ? $"；原文地址：{url}" : "")));
            if (archive.Violations.Count > 0)
            {
                body.Append(CoverLine(archive.Unbalanced ? "原文数据勾稽不平" : "原文数据有待核实", "按报告格式的规则检查原文数字："));
                foreach (var v in archive.Violations) body.Append(Paragraph(null, $"{v.RuleId}：{v.Message}"));
            }
        }

        foreach (var section in document.Template.Sections.Where(document.Prints))
        {
            // The pre-2019 free form's text has only the agency's own headings: no heading of ours.
            if (section.PrintHeading) body.Append(Paragraph("Heading1", section.Heading));
            if (section.Kind == SectionKind.Narrative)
            {
                foreach (var part in document.PartsOf(section))
                {
                    if (part.Heading is not null) body.Append(Paragraph("Heading2", part.Heading));
                    foreach (var paragraph in document.Paragraphs(part.Id)) body.Append(Paragraph(null, paragraph));
                }
            }
            else if (section.Layout == TableLayoutKind.Blocks)
            {
                // Stacked blocks share one grid (section 二), so they are one table; their header rows belong to each
                // block, not to the page, so none of them repeats.
                var layouts = section.Tables.Select(t => TableLayouts.For(section, t)).ToList();
                body.Append(Table(layouts.SelectMany(l => Rows(document, l, repeatHeader: false)).ToList(), layouts[0]));
            }
            else
            {
                foreach (var table in section.Tables)
                {
                    var layout = TableLayouts.For(section, table);
                    body.Append(Table(Rows(document, layout, repeatHeader: true).ToList(), layout));
                    if (document.UnitNote(table) is { } unitNote) body.Append(Paragraph("UnitNote", unitNote));
                }
            }
        }
        body.Append(new SectionProperties(
            new FooterReference { Type = HeaderFooterValues.Default, Id = footerId },
            new PageSize { Width = PageWidth, Height = PageHeight, Orient = PageOrientationValues.Portrait },
            new PageMargin
            {
                Top = MarginTopBottom, Bottom = MarginTopBottom, Left = MarginSide, Right = MarginSide,
                Header = 567, Footer = 567, Gutter = 0,
            }));
        return body;
    }

    /// <summary>One printed row of a table: its cells in order, and whether it is a header row repeated on each page.</summary>
    private sealed record PrintedRow(IReadOnlyList<PrintedCell> Cells, bool RepeatedHeader);

    /// <summary>A cell as the HTML prints it: its text (a value as printed, with its chosen unit), spans, and how it
    /// is drawn (a header, a row label, a value).</summary>
    private sealed record PrintedCell(string Text, int ColSpan, int RowSpan, CellRole Role);

    private enum CellRole { Header, Corner, RowLabel, Value, Total, NotApplicable }

    /// <summary>The header and body rows of a layout, cell by cell, exactly as the razor view walks them.</summary>
    private static IEnumerable<PrintedRow> Rows(ReportDocument document, TableLayout layout, bool repeatHeader)
    {
        foreach (var row in layout.HeaderRows)
            yield return new PrintedRow(row.Select(h => new PrintedCell(h.Text, h.ColSpan, h.RowSpan, h.IsCorner ? CellRole.Corner : CellRole.Header)).ToList(),
                repeatHeader);
        foreach (var row in layout.BodyRows)
        {
            var cells = row.Labels.Select(l => new PrintedCell(l.Text, l.ColSpan, l.RowSpan, CellRole.RowLabel)).ToList();
            for (var i = 0; i < row.Values.Count; i++)
            {
                var cell = row.Values[i];
                if (cell.NotApplicable)
                {
                    // Structurally not applicable (2019 format): one merged blank cell per run, never 0.
                    var run = 1;
                    while (i + run < row.Values.Count && row.Values[i + run].NotApplicable) run++;
                    i += run - 1;
                    cells.Add(new PrintedCell("", row.ValueColSpan * run, 1, CellRole.NotApplicable));
                    continue;
                }
                cells.Add(new PrintedCell(document.Value(cell.Id) + document.ChosenUnitLabel(cell.Id), row.ValueColSpan, 1,
                    cell.Computed ? CellRole.Total : CellRole.Value));
            }
            yield return new PrintedRow(cells, false);
        }
    }

    /// <summary>A Word table of printed rows. HTML's rowspan becomes a vMerge "restart" cell and a "continue" cell in
    /// each row below it (Word has no rowspan), placed by the same slot-filling the HTML table model uses.
    /// <paramref name="first"/> is the (first block's) layout whose first body row tells the row-label columns.</summary>
    private static Table Table(IReadOnlyList<PrintedRow> rows, TableLayout first)
    {
        var width = GridWidth(rows);
        // The first body row carries a label cell for every label column (each subtree starts on it); 表四 has none.
        var labelColumns = first.BodyRows.Count > 0 ? first.BodyRows[0].Labels.Sum(l => l.ColSpan) : 0;
        var columns = ColumnWidths(width, Math.Min(labelColumns, width - 1));

        var table = new Table(new TableProperties(
            new TableWidth { Width = TextWidth.ToString(), Type = TableWidthUnitValues.Dxa },
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 4 }, new LeftBorder { Val = BorderValues.Single, Size = 4 },
                new BottomBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 }),
            new DocumentFormat.OpenXml.Wordprocessing.TableLayout { Type = TableLayoutValues.Fixed },
            new TableCellMarginDefault(new TopMargin { Width = "20", Type = TableWidthUnitValues.Dxa },
                new TableCellLeftMargin { Width = 60, Type = TableWidthValues.Dxa },
                new BottomMargin { Width = "20", Type = TableWidthUnitValues.Dxa },
                new TableCellRightMargin { Width = 60, Type = TableWidthValues.Dxa })),
            new TableGrid(columns.Select(w => new GridColumn { Width = w.ToString() })));

        // remaining[c]: rows still covered by a rowspan that started above at column c; span[c]: that cell's colspan.
        var remaining = new int[width];
        var spans = new int[width];
        foreach (var row in rows)
        {
            var tr = new TableRow();
            var rowProperties = new TableRowProperties(new CantSplit());
            if (row.RepeatedHeader) rowProperties.Append(new TableHeader());
            tr.Append(rowProperties);
            var queue = new Queue<PrintedCell>(row.Cells);
            var c = 0;
            while (c < width)
            {
                if (remaining[c] > 0)
                {
                    tr.Append(Cell(columns, c, spans[c], "", CellRole.Header, MergedCellValues.Continue));
                    remaining[c]--;
                    c += spans[c];
                    continue;
                }
                if (!queue.TryDequeue(out var cell))
                {
                    // A ragged row (a block narrower than the shared grid): the rest of it is one empty cell.
                    var rest = 1;
                    while (c + rest < width && remaining[c + rest] == 0) rest++;
                    tr.Append(Cell(columns, c, rest, "", CellRole.NotApplicable, null));
                    c += rest;
                    continue;
                }
                var span = Math.Min(cell.ColSpan, width - c);
                tr.Append(Cell(columns, c, span, cell.Text, cell.Role, cell.RowSpan > 1 ? MergedCellValues.Restart : null));
                if (cell.RowSpan > 1) (remaining[c], spans[c]) = (cell.RowSpan - 1, span);
                c += span;
            }
            table.Append(tr);
        }
        return table;
    }

    /// <summary>The number of grid columns: the widest row once rowspans from above are counted.</summary>
    private static int GridWidth(IReadOnlyList<PrintedRow> rows)
    {
        var covered = new List<int>(); // per column, rows still covered from above
        var width = 0;
        foreach (var row in rows)
        {
            var c = 0;
            foreach (var cell in row.Cells)
            {
                while (c < covered.Count && covered[c] > 0) c++;
                for (var k = c; k < c + cell.ColSpan; k++)
                {
                    while (covered.Count <= k) covered.Add(0);
                    covered[k] = cell.RowSpan; // decremented below for this row
                }
                c += cell.ColSpan;
            }
            width = Math.Max(width, Math.Max(c, covered.Count));
            for (var k = 0; k < covered.Count; k++) if (covered[k] > 0) covered[k]--;
        }
        return Math.Max(width, 1);
    }

    /// <summary>Column widths in twips: the row-label columns share about two fifths of the text width (long
    /// statutory labels), the value columns the rest; a table without row labels, equal columns.</summary>
    private static int[] ColumnWidths(int width, int labelColumns)
    {
        if (width == 1 || labelColumns == 0) return Enumerable.Repeat(TextWidth / width, width).ToArray();
        var labelsShare = labelColumns > 1 ? 0.42 : 0.34;
        var labelWidth = (int)(TextWidth * labelsShare / labelColumns);
        var valueWidth = (TextWidth - labelWidth * labelColumns) / (width - labelColumns);
        return Enumerable.Range(0, width).Select(i => i < labelColumns ? labelWidth : valueWidth).ToArray();
    }

    private static TableCell Cell(int[] columns, int start, int span, string text, CellRole role, MergedCellValues? merge)
    {
        var properties = new TableCellProperties(new TableCellWidth
        {
            Width = columns.Skip(start).Take(span).Sum().ToString(), Type = TableWidthUnitValues.Dxa,
        });
        if (span > 1) properties.Append(new GridSpan { Val = span });
        if (merge is { } m) properties.Append(new VerticalMerge { Val = m });
        properties.Append(new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center });
        var justification = role switch
        {
            CellRole.Value or CellRole.Total => JustificationValues.Right,
            CellRole.RowLabel or CellRole.Corner => JustificationValues.Left,
            _ => JustificationValues.Center,
        };
        var paragraph = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = role == CellRole.Corner ? "TableNote" : "TableText" },
            new Justification { Val = justification }));
        if (text.Length > 0)
        {
            var run = new Run();
            if (role == CellRole.Total) run.Append(new RunProperties(new Bold(), new BoldComplexScript()));
            run.Append(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
            paragraph.Append(run);
        }
        return new TableCell(properties, paragraph);
    }

    private static Paragraph Paragraph(string? style, string text)
    {
        var paragraph = new Paragraph();
        if (style is not null) paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        paragraph.Append(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        return paragraph;
    }

    /// <summary>A cover line "label value" in the boxed cover (consecutive paragraphs with the same borders make one box).</summary>
    private static Paragraph CoverLine(string label, string value) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = "Cover" }),
            new Run(new RunProperties(new Color { Val = "555555" }), new Text(label)),
            new Run(new TabChar(), new Text(value) { Space = SpaceProcessingModeValues.Preserve }));

    private static FooterPart AddFooter(MainDocumentPart main, ReportDocument document)
    {
        var part = main.AddNewPart<FooterPart>();
        static Run Text(string text) => new(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        part.Footer = new Footer(new Paragraph(
            new ParagraphProperties(new ParagraphStyleId { Val = "Footer" }),
            Text($"{document.AgencyName} {document.Year}年度 · {document.VersionLine}"),
            new Run(new TabChar()),
            Text("第 "), new SimpleField(Text("1")) { Instruction = " PAGE " },
            Text(" 页 共 "), new SimpleField(Text("1")) { Instruction = " NUMPAGES " }, Text(" 页")));
        return part;
    }

    private static RunFonts Fonts(string eastAsia) =>
        new() { Ascii = LatinFont, HighAnsi = LatinFont, ComplexScript = LatinFont, EastAsia = eastAsia, Hint = FontTypeHintValues.EastAsia };

    private static void AddStyles(MainDocumentPart main)
    {
        var part = main.AddNewPart<StyleDefinitionsPart>();
        Style ParagraphStyle(string id, string name, string? basedOn, params OpenXmlElement[] properties)
        {
            var style = new Style(new StyleName { Val = name }) { Type = StyleValues.Paragraph, StyleId = id };
            if (basedOn is null) style.Default = true;
            if (basedOn is not null) style.Append(new BasedOn { Val = basedOn });
            style.Append(new PrimaryStyle());
            foreach (var p in properties) style.Append(p);
            return style;
        }
        part.Styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(Fonts(BodyFont), new FontSize { Val = "24" }, new FontSizeComplexScript { Val = "24" },
                    new Languages { Val = "en-US", EastAsia = "zh-CN" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "0", Line = "360", LineRule = LineSpacingRuleValues.Auto }))),
            // Body text: first line indented two characters, as the HTML's text-indent: 2em.
            ParagraphStyle("Normal", "Normal", null,
                new StyleParagraphProperties(new Indentation { FirstLineChars = 200 }, new Justification { Val = JustificationValues.Both })),
            ParagraphStyle("Title", "Title", "Normal",
                new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "120", After = "240" }, new Indentation { FirstLineChars = 0, FirstLine = "0" },
                    new Justification { Val = JustificationValues.Center }, new OutlineLevel { Val = 0 }),
                new StyleRunProperties(Fonts(HeadingFont), new Bold(), new FontSize { Val = "36" }, new FontSizeComplexScript { Val = "36" })),
            ParagraphStyle("Heading1", "heading 1", "Normal",
                new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "240", After = "120" }, new Indentation { FirstLineChars = 0, FirstLine = "0" },
                    new Justification { Val = JustificationValues.Left }, new OutlineLevel { Val = 0 }),
                new StyleRunProperties(Fonts(HeadingFont), new FontSize { Val = "28" }, new FontSizeComplexScript { Val = "28" })),
            ParagraphStyle("Heading2", "heading 2", "Normal",
                new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "120" }, new Indentation { FirstLineChars = 0, FirstLine = "0" },
                    new Justification { Val = JustificationValues.Left }, new OutlineLevel { Val = 1 }),
                new StyleRunProperties(new Bold(), new BoldComplexScript())),
            ParagraphStyle("Cover", "Cover line", "Normal",
                new StyleParagraphProperties(
                    new ParagraphBorders(new TopBorder { Val = BorderValues.Single, Size = 4, Color = "CCCCCC", Space = 4 },
                        new LeftBorder { Val = BorderValues.Single, Size = 4, Color = "CCCCCC", Space = 4 },
                        new BottomBorder { Val = BorderValues.Single, Size = 4, Color = "CCCCCC", Space = 4 },
                        new RightBorder { Val = BorderValues.Single, Size = 4, Color = "CCCCCC", Space = 4 }),
                    new Tabs(new TabStop { Val = TabStopValues.Left, Position = 1800 }),
                    new Indentation { FirstLineChars = 0, FirstLine = "0" }, new Justification { Val = JustificationValues.Left }),
                new StyleRunProperties(new FontSize { Val = "21" }, new FontSizeComplexScript { Val = "21" })),
            ParagraphStyle("TableText", "Table text", "Normal",
                new StyleParagraphProperties(new SpacingBetweenLines { Line = "240", LineRule = LineSpacingRuleValues.Auto }, new Indentation { FirstLineChars = 0, FirstLine = "0" }),
                new StyleRunProperties(new FontSize { Val = "17" }, new FontSizeComplexScript { Val = "17" })),
            ParagraphStyle("TableNote", "Table note", "TableText",
                new StyleRunProperties(new FontSize { Val = "15" }, new FontSizeComplexScript { Val = "15" })),
            ParagraphStyle("UnitNote", "Unit note", "Normal",
                new StyleParagraphProperties(new Indentation { FirstLineChars = 0, FirstLine = "0" }),
                new StyleRunProperties(new Color { Val = "444444" }, new FontSize { Val = "18" }, new FontSizeComplexScript { Val = "18" })),
            ParagraphStyle("Footer", "footer", "Normal",
                new StyleParagraphProperties(new Tabs(new TabStop { Val = TabStopValues.Right, Position = TextWidth }), new Indentation { FirstLineChars = 0, FirstLine = "0" }),
                new StyleRunProperties(new Color { Val = "444444" }, new FontSize { Val = "16" }, new FontSizeComplexScript { Val = "16" })));
    }

    /// <summary>The fonts the styles name, with their Latin names and the GB2312 character set, so Word (and
    /// LibreOffice) resolve 宋体/黑体 on systems that list them as SimSun/SimHei.</summary>
    private static void AddFonts(MainDocumentPart main)
    {
        var part = main.AddNewPart<FontTablePart>();
        Font Cjk(string name, string altName, string panose, FontFamilyValues family) =>
            new(new AltName { Val = altName }, new Panose1Number { Val = panose }, new FontCharSet { Val = "86" },
                new FontFamily { Val = family }, new Pitch { Val = FontPitchValues.Variable }) { Name = name };
        part.Fonts = new Fonts(
            new Font(new Panose1Number { Val = "02020603050405020304" }, new FontCharSet { Val = "00" },
                new FontFamily { Val = FontFamilyValues.Roman }, new Pitch { Val = FontPitchValues.Variable }) { Name = LatinFont },
            Cjk(BodyFont, "SimSun", "02010600030101010101", FontFamilyValues.Auto),
            Cjk(HeadingFont, "SimHei", "02010609060101010101", FontFamilyValues.Modern));
    }
}
