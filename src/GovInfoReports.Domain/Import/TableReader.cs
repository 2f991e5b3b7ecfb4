using System.Text;
using System.Text.RegularExpressions;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Domain.Import;

/// <summary>
/// Reads the table rows of a published report's sections into template cells (used by <see cref="PublishedReportParser"/>,
/// one instance per document). A line is split into its labels (cells with Chinese text) and its values (numbers, with
/// or without a unit, blanks and dashes). A row is found by its last label through <see cref="LabelText"/>: equal, the
/// end of a longer label (a merged group label glued before it), or the start of a wrapped one (要求行政机关确 | 认或重新…).
/// Lines of column headers and block titles (第二十条第（一）项) are recognised from the template's own labels.
/// </summary>
internal sealed partial class TableReader(ReportTemplate template, List<ReadProblem> problems)
{
    private sealed record Target(TemplateTable Table, HeaderNode Row, string Key, int Index);

    private readonly Dictionary<string, ReadCell> _cells = new(StringComparer.Ordinal);
    private readonly List<DigitRun> _runs = [];
    private readonly Dictionary<DigitRun, string> _runUnits = [];
    private readonly Dictionary<string, List<string>> _headers = new(StringComparer.Ordinal);
    private readonly HashSet<Target> _assigned = [];
    private readonly List<Target> _expected = [];

    /// <summary>Whether a line reads as a table row: a label and at least one number in separate cells.</summary>
    public bool LooksLikeRow(SourceLine line)
    {
        var (labels, values, _) = Split(line);
        return labels.Count > 0 && values.Any(IsNumberCell) && line.Cells.Count(c => c.Length > 0) >= 2;
    }

    /// <summary>Reads the lines of one tables section. <paramref name="quiet"/>: an optional sheet (pre-2019), whose
    /// rows are not expected and whose stray lines are narrative, not unplaced numbers.</summary>
    public void Read(TemplateSection section, IReadOnlyList<SourceLine> lines, List<(int Line, string Text)> unplaced, bool quiet)
    {
        var targets = section.Tables.SelectMany(t => t.LeafRows.Select(r => (t, r)))
            .Select((x, i) => new Target(x.t, x.r, x.t.RowLabels ? Key(x.r.Label) : "", i)).ToList();
        if (!quiet) _expected.AddRange(targets);
        var titles = section.Tables.Where(t => t.Title is not null).ToDictionary(t => Key(t.Title!), t => t, StringComparer.Ordinal);
        var headerWords = section.Tables.SelectMany(t => t.Columns.SelectMany(Flatten).Select(n => n.Label).Append(t.Note ?? ""))
            .Append(section.LabelHeader ?? "").Select(Key).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        TemplateTable? current = section.Tables.Count == 1 ? section.Tables[0] : null;
        var last = -1;
        (Target Row, SourceLine Line)? pendingRow = null;
        (List<string> Values, SourceLine Line)? pendingValues = null;
        Target? lastAssigned = null;

        void Assign(Target target, List<string> values, SourceLine line)
        {
            _assigned.Add(target);
            last = target.Index;
            lastAssigned = target;
            current = target.Table;
            Place(target, values, line, unplaced);
        }

        foreach (var line in lines)
        {
            var (labels, values, hasNumber) = Split(line);
            if (labels.Count == 0 && !hasNumber) continue;
            if (labels.Count > 0)
            {
                var joined = Key(string.Concat(labels));
                var title = titles.GetValueOrDefault(joined) ?? labels.Select(l => titles.GetValueOrDefault(Key(l))).FirstOrDefault(t => t is not null);
                if (title is not null && !hasNumber)
                {
                    current = title;
                    pendingRow = null;
                    pendingValues = null;
                    continue;
                }
                var found = Find(targets, labels, current, last);
                var header = !hasNumber && labels.All(l => IsHeaderWord(Key(l), headerWords))
                    && (labels.Count >= 2 || found is null || current is null || !_assigned.Any(a => a.Table == current));
                if (header)
                {
                    foreach (var table in current is null ? section.Tables : [current])
                        (_headers.TryGetValue(table.Id, out var list) ? list : _headers[table.Id] = []).Add(line.Text);
                    continue;
                }
                if (found is not null && hasNumber)
                {
                    Assign(found, values, line);
                    pendingRow = null;
                    pendingValues = null;
                }
                else if (found is not null)
                {
                    // A label on its own line: its numbers follow on the next line or, as some pages print them, stood
                    // on the line before.
                    if (pendingValues is { } early) { Assign(found, early.Values, early.Line); pendingValues = null; }
                    else pendingRow = (found, line);
                }
                else if (hasNumber)
                {
                    if (!quiet) unplaced.Add((line.Number, line.Text));
                    pendingRow = null;
                }
                // A label line matching nothing (a group label such as （三）不予公开, the rest of a wrapped label) holds no
                // number: nothing to place.
                continue;
            }
            // Numbers without a label.
            if (pendingRow is { } waiting)
            {
                Assign(waiting.Row, values, line);
                pendingRow = null;
            }
            else if (targets.FirstOrDefault(t => t.Key.Length == 0 && !_assigned.Contains(t) && (current is null || t.Table == current || !t.Table.RowLabels)) is { } unlabeled)
                Assign(unlabeled, values, line);
            else
            {
                if (pendingValues is { } stray && !quiet) unplaced.Add((stray.Line.Number, stray.Line.Text));
                pendingValues = (values, line);
            }
        }
        if (pendingValues is { } left && !quiet) unplaced.Add((left.Line.Number, left.Line.Text));
    }

    /// <summary>Every cell of the format after the digit runs are split; rows never found are reported.</summary>
    public Dictionary<string, ReadCell> Finish(List<(int Line, string Text)> unplaced)
    {
        foreach (var group in _runs.GroupBy(r => r.TableId))
        {
            var known = _cells.Where(c => template.CellsById[c.Key].TableId == group.Key && c.Value.Value is not null)
                .ToDictionary(c => c.Key, c => c.Value.Value!.Value, StringComparer.Ordinal);
            var solution = DigitRunSolver.Solve(template, group.Key, known, group.ToList());
            foreach (var run in group)
                foreach (var id in run.CellIds)
                {
                    // The solver reads values in the kind's unit; an amount printed in another (元) is converted exactly.
                    var (unit, divisor) = RunUnit(run, id);
                    if (solution.Inferred.TryGetValue(id, out var value))
                        _cells[id] = new ReadCell(value / divisor, unit, CellOrigin.Inferred, [], run.LineNumber, run.SourceText, null);
                    else if (solution.Ambiguous.TryGetValue(id, out var candidates))
                        _cells[id] = new ReadCell(null, unit, CellOrigin.Ambiguous, candidates.Select(c => c / divisor).ToList(), run.LineNumber, run.SourceText, null);
                }
            foreach (var run in solution.Unresolved)
            {
                problems.Add(new ReadProblem(Severity.Error,
                    $"第{run.LineNumber}行的数字“{string.Join(" ", run.Tokens)}”没有分隔，按表格的勾稽关系无法拆分成{run.CellIds.Count}个数，请对照原文填写", run.LineNumber));
                unplaced.Add((run.LineNumber, run.SourceText));
            }
            if (solution.Truncated)
                problems.Add(new ReadProblem(Severity.Warning, $"{template.Tables[group.Key].ShortName}没有分隔的数字可拆分的方式过多，只列出了部分候选值，请对照原文确认"));
        }
        var missing = _expected.Where(t => !_assigned.Contains(t) && t.Table.Cells.Any(c => c.RowId == t.Row.Id && c.Enterable)).ToList();
        foreach (var table in missing.GroupBy(t => t.Table))
            problems.Add(new ReadProblem(Severity.Error,
                $"{table.Key.ShortName}没有读到这些行：{string.Join("、", table.Select(t => t.Row.Label))}（这些单元格为空）"));
        foreach (var cell in template.Cells.Where(c => !c.NotApplicable && !_cells.ContainsKey(c.Id)))
            _cells[cell.Id] = new ReadCell(null, null, CellOrigin.Blank, [], null, null, null);
        return _cells;
    }

    // ---- One row ---------------------------------------------------------------------------------------------------

    private void Place(Target target, List<string> printed, SourceLine line, List<(int Line, string Text)> unplaced)
    {
        var columns = target.Table.LeafColumns;
        var cellIds = columns.Select(c => TemplateTable.CellId(target.Table.Id, target.Row.Id!, c.Id!)).ToList();
        var applicable = cellIds.Where(id => !template.CellsById[id].NotApplicable).ToList();
        var values = printed.ToList();
        // Blank cells before the numbers are the merged label columns of the layout, not values.
        while (values.Count > columns.Count && values[0].Length == 0) values.RemoveAt(0);
        if (values.Count != columns.Count)
            while (values.Count > 0 && values[^1].Length == 0) values.RemoveAt(values.Count - 1);
        var label = target.Table.RowLabels ? target.Row.Label : target.Table.ShortName;
        if (values.Count == columns.Count)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (!template.CellsById[cellIds[i]].NotApplicable) Put(cellIds[i], values[i], line);
                else if (IsNumberCell(values[i])) unplaced.Add((line.Number, $"{label}：不适用的格子里有“{values[i]}”"));
            }
            return;
        }
        var numbers = values.Where(v => v.Length > 0).ToList();
        if (numbers.Count == applicable.Count)
        {
            for (var i = 0; i < applicable.Count; i++) Put(applicable[i], numbers[i], line);
            return;
        }
        // A unit printed after the run's last number (政府集中采购94.651万元) is the unit of the amount in it.
        string? runUnit = null;
        var tokens = numbers.Select(n => Compact(n.Normalize(NormalizationForm.FormKC))).ToList();
        if (tokens.Count > 0 && UnitSuffix().Match(tokens[^1]) is { Success: true } suffix && tokens[^1].Length > suffix.Length)
        {
            runUnit = suffix.Value;
            tokens[^1] = tokens[^1][..^suffix.Length];
        }
        if (tokens.Count > 0 && tokens.Count < applicable.Count && tokens.All(n => RunToken().IsMatch(n)))
        {
            var digits = tokens.Sum(n => n.Count(char.IsAsciiDigit));
            if (tokens.All(t => t.All(c => c == '0')) && digits > applicable.Count)
            {
                // Only zeros, more than the cells (a layout that printed an extra empty column as 0): every cell is 0,
                // whichever zero is extra; say so, as when the zeros are separated.
                foreach (var id in applicable) Put(id, "0", line);
                unplaced.Add((line.Number, $"{label}：多出{digits - applicable.Count}个“0”"));
                problems.Add(new ReadProblem(Severity.Warning,
                    $"第{line.Number}行“{label}”有{digits}个0，这一行只有{applicable.Count}格：多出的“0”未使用，请核对", line.Number));
                return;
            }
            if (digits >= applicable.Count)
            {
                var run = new DigitRun(target.Table.Id, applicable, tokens, line.Text, line.Number);
                _runs.Add(run);
                if (runUnit is not null) _runUnits[run] = runUnit;
                return;
            }
        }
        if (numbers.Count > applicable.Count && numbers.Skip(applicable.Count).All(n => Compact(n) == "0"))
        {
            // Surplus zeros (a layout that printed one more empty column as 0): nothing of value is dropped, but say so.
            for (var i = 0; i < applicable.Count; i++) Put(applicable[i], numbers[i], line);
            unplaced.Add((line.Number, $"{label}：多出{numbers.Count - applicable.Count}个“0”"));
            problems.Add(new ReadProblem(Severity.Warning,
                $"第{line.Number}行“{label}”有{numbers.Count}个数，这一行只有{applicable.Count}格：多出的“0”未使用，请核对", line.Number));
            return;
        }
        problems.Add(new ReadProblem(Severity.Error,
            $"第{line.Number}行“{label}”读到{numbers.Count}个数，这一行应有{applicable.Count}个数，无法确定各数对应的栏目，请对照原文填写", line.Number));
        unplaced.Add((line.Number, line.Text));
    }

    private void Put(string id, string printed, SourceLine line)
    {
        var cell = template.CellsById[id];
        var text = Compact(printed.Normalize(NormalizationForm.FormKC));
        string? unitLabel = null;
        foreach (var suffix in new[] { "万元", "元" })
            if (text.EndsWith(suffix, StringComparison.Ordinal) && text.Length > suffix.Length) { unitLabel = suffix; text = text[..^suffix.Length]; break; }
        foreach (var suffix in new[] { "件", "个", "项" })
            if (text.EndsWith(suffix, StringComparison.Ordinal) && text.Length > suffix.Length) { text = text[..^suffix.Length]; break; }
        if (Dash().IsMatch(text) || text.Length == 0)
        {
            _cells[id] = new ReadCell(null, null, CellOrigin.Blank, [], line.Number, line.Text, printed);
            return;
        }
        ParsedCell parsed;
        if (cell.Kind.Units.Count > 0)
        {
            unitLabel ??= HeaderUnit(cell.TableId);
            var unit = cell.Kind.Units.FirstOrDefault(u => u.Label == unitLabel);
            parsed = CellValueParser.ParseCell(text, cell, unit?.Code, template.InputMessages);
        }
        else if (unitLabel is not null && unitLabel != cell.Kind.Unit)
            parsed = new ParsedCell(false, null, $"印的单位是{unitLabel}，本格的单位是{cell.Kind.Unit}");
        else
            parsed = CellValueParser.Parse(text, cell.Kind, template.InputMessages);
        if (parsed.Error is { } error)
        {
            problems.Add(new ReadProblem(Severity.Error, $"{template.Tables[cell.TableId].ShortName} {cell.ShortLabel}：{error}（第{line.Number}行“{printed}”）", line.Number));
            _cells[id] = new ReadCell(null, null, CellOrigin.Blank, [], line.Number, line.Text, printed);
            return;
        }
        _cells[id] = new ReadCell(parsed.Value, parsed.Unit, CellOrigin.Printed, [], line.Number, line.Text, printed);
    }

    /// <summary>For a cell whose kind offers units, the unit of a run's amount (printed after it, else in the table's
    /// header) and what divides a value read in it to give the kind's unit; (null, 1) otherwise.</summary>
    private (string? Unit, decimal Divisor) RunUnit(DigitRun run, string cellId)
    {
        var kind = template.CellsById[cellId].Kind;
        if (kind.Units.Count == 0) return (null, 1);
        var label = _runUnits.GetValueOrDefault(run) ?? HeaderUnit(run.TableId);
        var unit = kind.Units.FirstOrDefault(u => u.Label == label);
        if (unit is null) return (null, 1);
        var divisor = 1m;
        for (var i = 0; i < unit.Shift; i++) divisor *= 10;
        return (unit.Code, divisor);
    }

    /// <summary>The unit a table's headers print for its amount (采购总金额（元）, （单位：万元）), or null.</summary>
    private string? HeaderUnit(string tableId)
    {
        var headers = string.Concat(_headers.GetValueOrDefault(tableId) ?? []).Normalize(NormalizationForm.FormKC);
        if (headers.Contains("万元", StringComparison.Ordinal)) return "万元";
        return headers.Contains("(元)", StringComparison.Ordinal) || headers.Contains(":元", StringComparison.Ordinal) ? "元" : null;
    }

    // ---- Labels ----------------------------------------------------------------------------------------------------

    private string Key(string label) => LabelText.Normalise(label, template);

    private static bool IsHeaderWord(string key, HashSet<string> words) =>
        key.Length > 0 && (words.Contains(key) || words.Any(w => w.Length >= 4 && key.StartsWith(w, StringComparison.Ordinal)));

    /// <summary>The row a line's labels name: its last label equal to a row's, ending with it (a group label glued in
    /// front), or starting it (a wrapped label, at least four characters); in the current table first, then after the
    /// last row found (merged rows repeat in order), never a row already read.</summary>
    private Target? Find(List<Target> targets, List<string> labels, TemplateTable? current, int last)
    {
        var key = Key(labels[^1]);
        if (key.Length == 0) return null;
        int Score(Target t) =>
            t.Key.Length == 0 ? 0
            : t.Key == key ? 3
            : t.Key.Length >= 2 && key.EndsWith(t.Key, StringComparison.Ordinal) ? 2
            : key.Length >= 4 && t.Key.StartsWith(key, StringComparison.Ordinal) ? 1
            : 0;
        return targets.Where(t => !_assigned.Contains(t)).Select(t => (t, s: Score(t))).Where(x => x.s > 0)
            .OrderByDescending(x => current is null || x.t.Table == current)
            .ThenByDescending(x => x.s)
            .ThenByDescending(x => x.t.Index > last)
            .ThenBy(x => x.t.Index)
            .Select(x => x.t).FirstOrDefault();
    }

    private static IEnumerable<HeaderNode> Flatten(HeaderNode node) => node.Children.SelectMany(Flatten).Prepend(node);

    // ---- Cells -----------------------------------------------------------------------------------------------------

    /// <summary>A line's labels (cells with Chinese text that are not a number with its unit) and the cells after the
    /// last label (blanks kept, so positions survive). Numbers glued to the end of a label (行政许可4791, 规章000) are
    /// split off; a value cell holding several numbers separated by spaces gives each.</summary>
    private static (List<string> Labels, List<string> Values, bool HasNumber) Split(SourceLine line)
    {
        var cells = line.Cells;
        var lastLabel = -1;
        for (var i = 0; i < cells.Count; i++)
            if (cells[i].Length > 0 && !IsValueCell(cells[i])) lastLabel = i;
        var labels = cells.Take(lastLabel + 1).Where(c => c.Length > 0).ToList();
        var values = new List<string>();
        foreach (var cell in cells.Skip(lastLabel + 1))
        {
            if (cell.Length == 0) { values.Add(""); continue; }
            var pieces = Spaces().Split(cell.Trim());
            if (pieces.Length > 1 && pieces.All(IsValueCell)) values.AddRange(pieces);
            else values.Add(cell);
        }
        if (labels.Count > 0 && !values.Any(IsNumberCell) && Glued().Match(labels[^1].Normalize(NormalizationForm.FormKC)) is { Success: true } glued)
        {
            labels[^1] = glued.Groups[1].Value;
            values = Tokens(glued.Groups[2].Value);
        }
        return (labels, values, values.Any(IsNumberCell));
    }

    /// <summary>Numbers of a glued run: separated by spaces, and before a minus sign (4791-6494142 → 4791 | -6494142).</summary>
    private static List<string> Tokens(string text) =>
        Spaces().Split(MinusBefore().Replace(text.Trim(), " -")).Where(t => t.Length > 0).ToList();

    /// <summary>A cell that holds a value or nothing: blank, a dash, or a number (full-width digits, thousands
    /// separators, a sign, a unit after it).</summary>
    public static bool IsValueCell(string cell) => cell.Length == 0 || Dash().IsMatch(Compact(cell)) || IsNumberCell(cell);

    /// <summary>A cell that holds a number, possibly with its unit (4.651万元).</summary>
    public static bool IsNumberCell(string cell) => cell.Length > 0 && Number().IsMatch(Compact(cell.Normalize(NormalizationForm.FormKC)));

    private static string Compact(string text) => Spaces().Replace(text, "");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^[+\-−]?[0-9][0-9,]*(\.[0-9]+)?(万元|元|件|个|项)?$")]
    private static partial Regex Number();

    [GeneratedRegex(@"^([-—–－/／\\]+|无|空)$")]
    private static partial Regex Dash();

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$")]
    private static partial Regex RunToken();

    [GeneratedRegex(@"^(.*[\u3400-\u9FFF）)”""])\s*(-?[0-9][0-9\s\-.]*(?:万元|元)?)$")]
    private static partial Regex Glued();

    [GeneratedRegex("(万元|元)$")]
    private static partial Regex UnitSuffix();

    [GeneratedRegex(@"(?<=[0-9])-")]
    private static partial Regex MinusBefore();
}
