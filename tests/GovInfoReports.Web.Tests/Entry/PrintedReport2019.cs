using System.Text.RegularExpressions;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>
/// A fixture report in the 2019 format (国办公开办函〔2019〕60号) read from its text as it was found
/// (tests/TestData/fixtures, tables flattened with <c>|</c> or tabs): every printed figure by cell id, exactly as
/// printed ("-649", "4.651", "21174299"), the unit printed with 采购总金额, the metadata the preamble states and
/// the narrative of 一, 五 and 六. The template gives only the structure (row labels, column order); every value
/// comes from the text, so the tests that use this cannot drift from the fixture.
/// </summary>
/// <param name="Cells">Printed value by cell id, totals included; not-applicable cells absent.</param>
/// <param name="Units">Unit code (yuan, wanyuan) by cell id, for cells whose kind lets the agency choose one.</param>
/// <param name="Opening">一、总体情况 before its first numbered part (paragraphs separated by \n).</param>
/// <param name="Parts">一's numbered parts as printed: heading (e.g. "（一）切实加强…", or a run-in "(一)主动公开信息情况。") and text.</param>
internal sealed record PrintedReport2019(
    IReadOnlyDictionary<string, string> Cells,
    IReadOnlyDictionary<string, string> Units,
    IReadOnlyDictionary<string, string> Metadata,
    string Opening,
    IReadOnlyList<(string Heading, string Text)> Parts,
    string Problems,
    string Other)
{
    private static readonly string[] Numbers = ["一", "二", "三", "四", "五", "六"];

    /// <exception cref="InvalidDataException">The text does not have the 2019 format's six sections and tables.</exception>
    public static PrintedReport2019 Read(string text, ReportTemplate template)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).ToList();
        // A section heading is a line "一、…" that is not a table row (table rows carry delimiters: "一、本年新收… | 0 |").
        var starts = new List<int>();
        foreach (var number in Numbers)
        {
            var from = starts.Count == 0 ? 0 : starts[^1] + 1;
            var at = lines.FindIndex(from, l => l.StartsWith(number + "、", StringComparison.Ordinal) && !l.Contains('|') && !l.Contains('\t'));
            if (at < 0) throw new InvalidDataException($"No section heading {number}、");
            starts.Add(at);
        }
        List<string> Section(int i) => lines[(starts[i] + 1)..(i + 1 < starts.Count ? starts[i + 1] : lines.Count)];

        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        ReadBlocks(Section(1), template, cells, units);
        ReadGrid(Section(2), template.Tables["apps"], cells, exact: true);
        ReadGrid(Section(3), template.Tables["lit"], cells, exact: false);

        var (opening, parts) = ReadOverview(Section(0));
        return new PrintedReport2019(cells, units, ReadMetadata(string.Join("\n", lines[..starts[0]]), lines), opening, parts,
            Paragraphs(Section(4)), Paragraphs(Section(5)));
    }

    private static string[] Fields(string line) => line.Split('|', '\t').Select(f => f.Trim()).ToArray();

    private static bool IsNumber(string field) => Regex.IsMatch(field, @"^-?\d+(\.\d+)?$");

    /// <summary>二: each row found by its label; its fields in the template's column order, a not-applicable
    /// column printed blank. A money value carries its unit inside the cell ("4.651万元") or in its column
    /// heading ("采购总金额（元）").</summary>
    private static void ReadBlocks(List<string> section, ReportTemplate template, Dictionary<string, string> cells, Dictionary<string, string> units)
    {
        foreach (var table in template.Sections.Single(s => s.Id == "s2").Tables)
        foreach (var row in table.LeafRows)
        {
            var line = section.SingleOrDefault(l => Fields(l)[0] == row.Label)
                       ?? throw new InvalidDataException($"二: no row {row.Label}");
            var fields = Fields(line)[1..];
            var rowCells = table.Cells.Where(c => c.RowId == row.Id).ToList();
            for (var i = 0; i < rowCells.Count; i++)
            {
                var cell = rowCells[i];
                var printed = i < fields.Length ? fields[i] : "";
                if (cell.NotApplicable)
                {
                    if (printed.Length > 0) throw new InvalidDataException($"{cell.Id}: “{printed}” printed in a not-applicable cell");
                    continue;
                }
                // Longest label first: "万元" also ends with "元".
                foreach (var unit in cell.Kind.Units.OrderByDescending(u => u.Label.Length))
                {
                    var column = table.LeafColumns.Single(c => c.Id == cell.ColumnId).Label;
                    if (printed.EndsWith(unit.Label, StringComparison.Ordinal))
                    {
                        printed = printed[..^unit.Label.Length];
                        units[cell.Id] = unit.Code;
                        break;
                    }
                    if (section.Any(l => l.Contains($"{column}（{unit.Label}）", StringComparison.Ordinal)))
                    {
                        units[cell.Id] = unit.Code;
                        break;
                    }
                }
                if (!IsNumber(printed)) throw new InvalidDataException($"{cell.Id}: “{printed}” is not a number");
                cells[cell.Id] = printed;
            }
        }
    }

    /// <summary>三 and 四: the lines that print figures, in the template's row order, each with one figure per
    /// leaf column in the template's column order. Labels are not matched (page breaks split them in 003).
    /// 003 prints a sixteenth 0 in 四, under an empty header cell: a layout artefact, checked to be 0 and dropped.</summary>
    private static void ReadGrid(List<string> section, TemplateTable table, Dictionary<string, string> cells, bool exact)
    {
        var rows = section.Select(l => Fields(l).Where(IsNumber).ToArray()).Where(f => f.Length > 0).ToList();
        if (rows.Count != table.LeafRows.Count) throw new InvalidDataException($"{table.Id}: {rows.Count} rows of figures, expected {table.LeafRows.Count}");
        for (var r = 0; r < rows.Count; r++)
        {
            var columns = table.LeafColumns;
            if (rows[r].Length < columns.Count || (exact && rows[r].Length != columns.Count) || rows[r].Skip(columns.Count).Any(f => f != "0"))
                throw new InvalidDataException($"{table.Id} row {r + 1}: {rows[r].Length} figures, expected {columns.Count}");
            for (var c = 0; c < columns.Count; c++)
                cells[TemplateTable.CellId(table.Id, table.LeafRows[r].Id!, columns[c].Id!)] = rows[r][c];
        }
    }

    private static readonly Regex PartHeading = new(@"^[（(][一二三四五六七八九十]+[）)]");

    /// <summary>一: the paragraphs before the first "（一）" line, then each numbered part. A heading run into its
    /// paragraph ("(一)主动公开信息情况。坚持…", fixture 000) ends at its first "。".</summary>
    private static (string Opening, List<(string Heading, string Text)> Parts) ReadOverview(List<string> section)
    {
        var paragraphs = section.Where(l => l.Length > 0).ToList();
        var first = paragraphs.FindIndex(PartHeading.IsMatch);
        var opening = string.Join("\n", first < 0 ? paragraphs : paragraphs[..first]);
        var parts = new List<(string Heading, string Text)>();
        for (var i = first; i >= 0 && i < paragraphs.Count; i++)
        {
            var line = paragraphs[i];
            if (PartHeading.IsMatch(line))
            {
                var stop = line.IndexOf('。');
                parts.Add(stop >= 0 && stop + 1 < line.Length ? (line[..(stop + 1)], line[(stop + 1)..]) : (line, ""));
            }
            else parts[^1] = (parts[^1].Heading, parts[^1].Text.Length == 0 ? line : parts[^1].Text + "\n" + line);
        }
        return (opening, parts);
    }

    private static string Paragraphs(List<string> section) => string.Join("\n", section.Where(l => l.Length > 0));

    private static readonly Regex Date = new(@"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日");

    /// <summary>The metadata the preamble states: title (its first line, else the report it says it is),
    /// compiling office, units covered, statistical period, contact.</summary>
    private static Dictionary<string, string> ReadMetadata(string preamble, List<string> lines)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var firstLine = lines.First(l => l.Length > 0);
        var title = firstLine.EndsWith("报告", StringComparison.Ordinal) ? firstLine : Regex.Match(preamble, @"特制定(\S+?报告)").Groups[1].Value;
        metadata["title"] = title;
        var office = Regex.Match(preamble, @"由(\S+?)汇总");
        metadata["compilingOffice"] = office.Success ? office.Groups[1].Value : Regex.Match(title, @"^(\D+?)\d").Groups[1].Value;
        if (Regex.Match(preamble, @"汇总(.+?)政府信息公开情况") is { Success: true } units) metadata["unitsCovered"] = units.Groups[1].Value;
        var dates = Date.Matches(preamble).Take(2).Select(m => $"{m.Groups[1].Value}-{int.Parse(m.Groups[2].Value):00}-{int.Parse(m.Groups[3].Value):00}").ToList();
        if (dates.Count != 2) throw new InvalidDataException("The preamble states no statistical period.");
        (metadata["periodStart"], metadata["periodEnd"]) = (dates[0], dates[1]);
        if (Regex.Match(preamble, @"联系（(.+?)）") is { Success: true } contact) metadata["contact"] = contact.Groups[1].Value;
        foreach (var (id, value) in metadata)
            if (value.Length == 0) throw new InvalidDataException($"The preamble gives no {id}.");
        return metadata;
    }
}
