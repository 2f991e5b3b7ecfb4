using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Web.Entry;

/// <summary>
/// A draft's tables as an Excel workbook in the statutory layout (issue 10 part 1), for clerks who fill them in Excel or
/// WPS and upload the file back through 导入报告 into the same draft: one sheet per tables section (二, 三, 四; the
/// pre-2019 key figures), each headed by the report title and the section heading, then every table as drawn by
/// <see cref="TableLayouts"/> (title rows, merged headers, row labels), the draft's values in the units printed, blank
/// cells blank, not-applicable cells grey and empty, and every total (the template's <c>computes</c> rules) a formula
/// over its cells, so Excel keeps the totals right while the clerk types. Reading it back needs nothing of ours: the
/// sheets read as any published report does.
/// </summary>
public static class TablesWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private const uint Plain = 0, Title = 1, Header = 2, Label = 3, Value = 4, Total = 5, NotApplicable = 6;

    /// <param name="values">The draft's stored values (万元 for money; totals included or not: they are formulas).</param>
    /// <param name="units">The unit chosen per cell whose kind offers one (2019 采购总金额: yuan, wanyuan).</param>
    public static byte[] Render(ReportTemplate template, string title, IReadOnlyDictionary<string, decimal> values, IReadOnlyDictionary<string, string> units)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            var sheets = workbookPart.Workbook.AppendChild(new Sheets());
            uint sheetId = 1;
            var totals = RuleEvaluator.WithTotals(template, values.Where(v => template.CellsById.TryGetValue(v.Key, out var c) && c.Enterable)
                .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));
            foreach (var section in template.Sections.Where(s => s.Kind == SectionKind.Tables))
            {
                var part = workbookPart.AddNewPart<WorksheetPart>();
                var sheet = new SheetBuilder();
                if (sheetId == 1) sheet.Row([(title, Title)], merge: true);
                sheet.Row([(section.Heading, Title)], merge: true);
                foreach (var table in section.Tables) sheet.Table(template, section, table, totals, units);
                part.Worksheet = sheet.Build();
                sheets.Append(new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = sheetId++, Name = SheetName(section.Heading) });
            }
            workbookPart.Workbook.Save();
        }
        return stream.ToArray();
    }

    /// <summary>Excel's sheet names: at most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(string heading)
    {
        var name = new string(heading.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).ToArray());
        return name.Length <= 31 ? name : name[..31];
    }

    private sealed class SheetBuilder
    {
        private readonly List<Row> _rows = [];
        private readonly List<string> _merges = [];
        private int _width = 1;
        private int _labelColumns = 1;

        /// <summary>Appends a row of cells from column A; <paramref name="merge"/> spans its one cell over the sheet's width.</summary>
        public void Row(IReadOnlyList<(string Text, uint Style)> cells, bool merge = false)
        {
            var index = (uint)_rows.Count + 1;
            var row = new Row { RowIndex = index };
            for (var i = 0; i < cells.Count; i++) row.Append(TextCell(Address(i, index), cells[i].Text, cells[i].Style));
            _rows.Add(row);
            if (merge) _pendingTitleRows.Add(index);
        }

        private readonly List<uint> _pendingTitleRows = [];

        public void Table(ReportTemplate template, TemplateSection section, TemplateTable table, IReadOnlyDictionary<string, decimal> values, IReadOnlyDictionary<string, string> units)
        {
            var layout = TableLayouts.For(section, table);
            var first = (uint)_rows.Count + 1;
            // Header rows: each cell at the next free column of its row, spanning as drawn (rowspans reserve columns below).
            var taken = new Dictionary<(uint Row, int Column), bool>();
            var y = first;
            var width = 0;
            foreach (var header in layout.HeaderRows)
            {
                var row = new Row { RowIndex = y };
                var x = 0;
                foreach (var cell in header)
                {
                    while (taken.ContainsKey((y, x))) x++;
                    var text = cell.Text;
                    // The unit an amount is printed in stands in its header, where a reader of the sheet finds it.
                    if (cell.Node?.Id is { } columnId && table.Cells.FirstOrDefault(c => c.ColumnId == columnId && c.Kind.Units.Count > 0) is { } unitCell
                        && unitCell.Kind.FindUnit(units.GetValueOrDefault(unitCell.Id)) is { } unit)
                        text += $"（{unit.Label}）";
                    row.Append(TextCell(Address(x, y), text, cell.IsCorner ? Label : Header));
                    for (var dy = 0; dy < cell.RowSpan; dy++)
                        for (var dx = 0; dx < cell.ColSpan; dx++) taken[((uint)(y + dy), x + dx)] = true;
                    if (cell.ColSpan > 1 || cell.RowSpan > 1) _merges.Add($"{Address(x, y)}:{Address(x + cell.ColSpan - 1, (uint)(y + cell.RowSpan - 1))}");
                    x += cell.ColSpan;
                    width = Math.Max(width, x);
                }
                _rows.Add(row);
                y++;
            }
            // Body rows: labels (spanning rows as drawn), then the values, each value over ValueColSpan columns.
            var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
            var bodyTop = y;
            var labelWidth = layout.BodyRows.Count == 0 ? 0 : layout.BodyRows.Max(r => r.Labels.Sum(l => l.ColSpan) + (r.Labels.Count == 0 ? 0 : 0));
            foreach (var bodyRow in layout.BodyRows)
            {
                var x = 0;
                foreach (var label in bodyRow.Labels)
                {
                    while (taken.ContainsKey((y, x))) x++;
                    taken[(y, x)] = true;
                    for (var dy = 0; dy < label.RowSpan; dy++)
                        for (var dx = 0; dx < label.ColSpan; dx++) taken[((uint)(y + dy), x + dx)] = true;
                    if (label.ColSpan > 1 || label.RowSpan > 1) _merges.Add($"{Address(x, y)}:{Address(x + label.ColSpan - 1, (uint)(y + label.RowSpan - 1))}");
                    _labels.Add((y, x, label.Text));
                    x += label.ColSpan;
                }
                while (taken.ContainsKey((y, x))) x++;
                foreach (var cell in bodyRow.Values)
                {
                    addresses[cell.Id] = Address(x, y);
                    if (bodyRow.ValueColSpan > 1) _merges.Add($"{Address(x, y)}:{Address(x + bodyRow.ValueColSpan - 1, y)}");
                    _values.Add((y, x, cell));
                    x += bodyRow.ValueColSpan;
                }
                width = Math.Max(width, x);
                y++;
            }
            // Every cell written in row order, as Excel requires.
            for (var r = bodyTop; r < y; r++)
            {
                var row = new Row { RowIndex = r };
                foreach (var (_, x, text) in _labels.Where(l => l.Row == r).OrderBy(l => l.Column)) row.Append(TextCell(Address(x, r), text, Label));
                foreach (var (_, x, cell) in _values.Where(v => v.Row == r).OrderBy(v => v.Column))
                {
                    var address = Address(x, r);
                    if (cell.NotApplicable) { row.Append(new Cell { CellReference = address, StyleIndex = NotApplicable }); continue; }
                    var formula = cell.Computed ? Formula(template, cell, addresses) : null;
                    var unit = units.GetValueOrDefault(cell.Id);
                    var number = values.TryGetValue(cell.Id, out var v) ? CellValueParser.FormatValue(v, cell.Kind, unit) : null;
                    var c = new Cell { CellReference = address, StyleIndex = cell.Computed ? Total : Value };
                    if (formula is not null) c.CellFormula = new CellFormula(formula);
                    if (number is not null) { c.DataType = CellValues.Number; c.CellValue = new CellValue(number); }
                    row.Append(c);
                }
                _rows.Add(row);
            }
            _labels.Clear();
            _values.Clear();
            _width = Math.Max(_width, width);
            _labelColumns = Math.Max(_labelColumns, labelWidth);
            _rows.Add(new Row { RowIndex = (uint)_rows.Count + 1 });
        }

        private readonly List<(uint Row, int Column, string Text)> _labels = [];
        private readonly List<(uint Row, int Column, CellDefinition Cell)> _values = [];

        /// <summary>A total as Excel's SUM over the cells its defining rule adds (A2 a row's applicants, A3 the outcomes, B1–B3).</summary>
        private static string? Formula(ReportTemplate template, CellDefinition cell, IReadOnlyDictionary<string, string> addresses)
        {
            var rule = template.Rules.FirstOrDefault(r => r.Computes && r.Lhs.Count == 1 && r.Lhs[0].CellId == cell.Id);
            if (rule is null || rule.Rhs.Any(t => !addresses.ContainsKey(t.CellId))) return null;
            return $"SUM({string.Join(",", rule.Rhs.Select(t => addresses[t.CellId]))})";
        }

        public Worksheet Build()
        {
            foreach (var index in _pendingTitleRows)
                if (_width > 1) _merges.Add($"{Address(0, index)}:{Address(_width - 1, index)}");
            var worksheet = new Worksheet();
            var columns = new Columns();
            columns.Append(new Column { Min = 1, Max = (uint)_labelColumns, Width = 26, CustomWidth = true });
            if (_width > _labelColumns) columns.Append(new Column { Min = (uint)_labelColumns + 1, Max = (uint)_width, Width = 11, CustomWidth = true });
            worksheet.Append(columns);
            var data = new SheetData();
            foreach (var row in _rows) data.Append(row);
            worksheet.Append(data);
            if (_merges.Count > 0)
            {
                var merges = new MergeCells();
                foreach (var range in _merges.Distinct()) merges.Append(new MergeCell { Reference = range });
                worksheet.Append(merges);
            }
            return worksheet;
        }
    }

    private static Cell TextCell(string address, string text, uint style) =>
        new() { CellReference = address, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)), StyleIndex = style };

    /// <summary>A1-style address of a zero-based column and a one-based row.</summary>
    private static string Address(int column, uint row)
    {
        var letters = "";
        for (var n = column + 1; n > 0; n = (n - 1) / 26) letters = (char)('A' + (n - 1) % 26) + letters;
        return letters + row.ToString(CultureInfo.InvariantCulture);
    }

    private static Stylesheet Stylesheet()
    {
        var thin = new Border(new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder());
        CellFormat Format(uint font, uint fill, uint border, bool wrap, HorizontalAlignmentValues? align = null) =>
            new(new Alignment { WrapText = wrap, Vertical = VerticalAlignmentValues.Center, Horizontal = align }) { FontId = font, FillId = fill, BorderId = border, ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true };
        return new Stylesheet(
            new Fonts(new Font(new FontSize { Val = 11 }), new Font(new Bold(), new FontSize { Val = 11 }), new Font(new Bold(), new FontSize { Val = 13 })),
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFEFEFEF" }) { PatternType = PatternValues.Solid }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFD9D9D9" }) { PatternType = PatternValues.Solid })),
            new Borders(new Border(), thin),
            new CellFormats(
                new CellFormat(),                                                        // Plain
                Format(2, 0, 0, false),                                                  // Title
                Format(1, 0, 1, true, HorizontalAlignmentValues.Center),                  // Header
                Format(0, 0, 1, true),                                                   // Label
                Format(0, 0, 1, false, HorizontalAlignmentValues.Right),                 // Value
                Format(1, 2, 1, false, HorizontalAlignmentValues.Right),                 // Total (a formula)
                Format(0, 3, 1, false)));                                                // NotApplicable
    }
}
