using System.Runtime.CompilerServices;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Domain.Import;

/// <summary>
/// How far <see cref="DigitRunSolver.Solve"/> may search before it stops and sets <see cref="DigitRunSolution.Truncated"/>.
/// The defaults keep the worst input (e.g. 40 digits over a 7-cell row with no totals) to a fraction of a second.
/// </summary>
public sealed record DigitRunLimits
{
    /// <summary>The defaults: 1,000 solutions per group of linked runs, 2,000,000 search steps per call, 100,000 splits per run.</summary>
    public static readonly DigitRunLimits Default = new();

    /// <summary>Satisfying joint splits kept per group of linked runs; one more stops that group's search.</summary>
    public int MaxSolutions { get; init; } = 1_000;

    /// <summary>Search steps (one tried value of a run, or one tried split of a run in the joint search) for the whole
    /// <see cref="DigitRunSolver.Solve"/> call, shared by all groups (the smallest groups are solved first).</summary>
    public int MaxNodes { get; init; } = 2_000_000;

    /// <summary>Splits of one run that satisfy the rules of that run alone, kept before the joint search.</summary>
    public int MaxCandidatesPerRun { get; init; } = 100_000;
}

/// <summary>
/// Splits <see cref="DigitRun"/>s (table rows printed without separators) into cell values using only the template's
/// arithmetic: the Error-severity linear rules (表三 A1 一＋二＝三（七）＋四, A2 row totals, A3 column totals, A5; 表四
/// B1–B3; 2019 C2 上一年项目数量＋本年增/减 ≥ 0 — 国办公开办函〔2021〕30号 and the 2019 format's notes) whose cells
/// are all read. It never guesses: a cell is <see cref="DigitRunSolution.Inferred"/> only when every satisfying split
/// gives it the same value.
/// </summary>
public static class DigitRunSolver
{
    /// <summary>
    /// Every joint split of <paramref name="runs"/> that satisfies the applicable rules, summarised per cell.
    /// </summary>
    /// <param name="template">The report's template: cell kinds (what a value may be) and rules.</param>
    /// <param name="tableId">The table the runs belong to (e.g. <c>apps</c> for 表三, <c>lit</c> for 表四).</param>
    /// <param name="known">Cells already read with separators, cell id (<c>table.row.column</c>) → value in the kind's unit
    /// (件, 万元). They constrain the runs through the rules; they never appear in the result.</param>
    /// <param name="runs">The rows to split, all of <paramref name="tableId"/>, no cell twice and none in <paramref name="known"/>.</param>
    /// <param name="limits">Search bounds; <see cref="DigitRunLimits.Default"/> when null.</param>
    /// <returns>
    /// Per group of runs linked by a rule (runs no rule links are solved separately, so one unsplittable row does not
    /// spoil the others): with one or more satisfying joint splits, each cell goes to
    /// <see cref="DigitRunSolution.Inferred"/> (one value in all of them) or <see cref="DigitRunSolution.Ambiguous"/>
    /// (the distinct values, ascending); with none, the group's runs go to <see cref="DigitRunSolution.Unresolved"/>.
    /// When a group's search hits a bound (<see cref="DigitRunSolution.Truncated"/>), an unseen split could differ, so
    /// a cell is inferred only if every split of its own run (all generated) agrees on it; every other cell seen goes
    /// to Ambiguous (even with one value), and the group's runs go to Unresolved when no split was found within the bound. <see cref="DigitRunSolution.Solutions"/> is the number of
    /// joint splits of the runs not unresolved (the product over groups, at most <see cref="int.MaxValue"/>; 0 when
    /// every run is unresolved or there is none).
    /// </returns>
    /// <exception cref="ArgumentException">The table is not in the template, or a run names another table, a cell
    /// not in the table, a not-applicable cell, a cell twice or a cell of <paramref name="known"/>.</exception>
    /// <remarks>
    /// A split cuts each token (see <see cref="DigitRun"/>) into one or more consecutive values. A value has no leading
    /// zero unless it is exactly 0; a token's leading '-' belongs to its first value, which must then be a negative
    /// value of a signed cell; a token with a '.' ends with one money value that holds the point. Each value must be read by
    /// <see cref="CellValueParser.Parse"/> for its cell's kind (so kinds stay template data). Rules are those of kind
    /// Linear and severity Error without a <c>When</c> condition whose every cell is in <paramref name="known"/> or a
    /// run (a not-applicable cell counts as 0, as in <see cref="Rules.RuleEvaluator"/>); the others cannot be judged.
    /// </remarks>
    public static DigitRunSolution Solve(
        ReportTemplate template,
        string tableId,
        IReadOnlyDictionary<string, decimal> known,
        IReadOnlyList<DigitRun> runs,
        DigitRunLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(runs);
        limits ??= DigitRunLimits.Default;
        if (!template.Tables.ContainsKey(tableId))
            throw new ArgumentException($"Template {template.Code} has no table '{tableId}'.", nameof(tableId));

        var located = Locate(template, tableId, known, runs);
        var constraints = Compile(template, known, located);
        var budget = new Budget(limits.MaxNodes);

        var inferred = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var ambiguous = new Dictionary<string, IReadOnlyList<decimal>>(StringComparer.Ordinal);
        var unresolved = new HashSet<int>();
        var truncated = false;
        long solutions = 0;

        // Small groups first: a pathological run must not use up the steps the ordinary rows need.
        foreach (var group in Groups(runs.Count, constraints).OrderBy(g => g.Sum(r => runs[r].Tokens.Sum(t => t.Length))))
        {
            var outcome = SolveGroup(template, runs, group, constraints, limits, budget);
            truncated |= outcome.Truncated;
            if (outcome.Solutions == 0)
            {
                unresolved.UnionWith(group);
                continue;
            }
            solutions = solutions == 0 ? outcome.Solutions : Math.Min(int.MaxValue, solutions * outcome.Solutions);
            for (var g = 0; g < group.Length; g++)
                for (var c = 0; c < outcome.Seen[g].Length; c++)
                {
                    var id = runs[group[g]].CellIds[c];
                    var seen = outcome.Seen[g][c];
                    if (seen.Count == 1 && (!outcome.Truncated || outcome.Settled[g][c])) inferred[id] = seen.Single();
                    else ambiguous[id] = seen.Order().ToList();
                }
        }

        return new DigitRunSolution(
            inferred,
            ambiguous,
            Enumerable.Range(0, runs.Count).Where(unresolved.Contains).Select(r => runs[r]).ToList(),
            (int)solutions,
            truncated);
    }

    /// <summary>Where each run cell is: cell id → (run index, position in the run). Checks what the caller promised.</summary>
    private static Dictionary<string, (int Run, int Cell)> Locate(
        ReportTemplate template, string tableId, IReadOnlyDictionary<string, decimal> known, IReadOnlyList<DigitRun> runs)
    {
        var located = new Dictionary<string, (int Run, int Cell)>(StringComparer.Ordinal);
        for (var r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            if (run.TableId != tableId)
                throw new ArgumentException($"Run on line {run.LineNumber} is of table '{run.TableId}', not '{tableId}'.", nameof(runs));
            for (var c = 0; c < run.CellIds.Count; c++)
            {
                var id = run.CellIds[c];
                if (!template.CellsById.TryGetValue(id, out var cell) || cell.TableId != tableId)
                    throw new ArgumentException($"Run on line {run.LineNumber}: '{id}' is not a cell of table '{tableId}'.", nameof(runs));
                if (cell.NotApplicable)
                    throw new ArgumentException($"Run on line {run.LineNumber}: '{id}' is not applicable and holds no value.", nameof(runs));
                if (known.ContainsKey(id))
                    throw new ArgumentException($"Run on line {run.LineNumber}: '{id}' is already known.", nameof(runs));
                if (!located.TryAdd(id, (r, c)))
                    throw new ArgumentException($"Run on line {run.LineNumber}: '{id}' is in more than one run or twice in one.", nameof(runs));
            }
        }
        return located;
    }

    /// <summary>The judgeable rules as Σ coef·v + constant (op) 0 over run cells; rules without a run cell are dropped
    /// (they cannot choose between splits).</summary>
    private static List<Constraint> Compile(
        ReportTemplate template, IReadOnlyDictionary<string, decimal> known, Dictionary<string, (int Run, int Cell)> located)
    {
        var constraints = new List<Constraint>();
        foreach (var rule in template.Rules)
        {
            if (rule.Kind != RuleKind.Linear || rule.Severity != Severity.Error || rule.When is not null || rule.NeedsPrevious) continue;
            // The evaluator never fires a WhenFilled rule with an empty side (CheckLinear): neither do we.
            if (rule.WhenFilled && (rule.Lhs.Count == 0 || rule.Rhs.Count == 0)) continue;
            var constant = 0m;
            var coefficients = new Dictionary<(int Run, int Cell), int>();
            var judgeable = true;
            foreach (var (term, sign) in rule.Lhs.Select(t => (t, t.Sign)).Concat(rule.Rhs.Select(t => (t, -t.Sign))))
            {
                if (located.TryGetValue(term.CellId, out var at))
                    coefficients[at] = coefficients.GetValueOrDefault(at) + sign;
                else if (template.CellsById.TryGetValue(term.CellId, out var cell) && cell.NotApplicable)
                    continue; // RuleEvaluator reads a not-applicable cell as absent, i.e. 0 in a sum.
                else if (known.TryGetValue(term.CellId, out var value))
                    constant += sign * value;
                else
                {
                    judgeable = false;
                    break;
                }
            }
            var terms = coefficients.Where(kv => kv.Value != 0).Select(kv => new Term(kv.Key.Run, kv.Key.Cell, kv.Value)).ToArray();
            if (judgeable && terms.Length > 0)
                constraints.Add(new Constraint(rule.Key, rule.Op, constant, terms));
        }
        return constraints;
    }

    /// <summary>Runs linked by a rule (transitively) form a group; each group is solved alone.</summary>
    private static List<int[]> Groups(int runCount, List<Constraint> constraints)
    {
        var parent = Enumerable.Range(0, runCount).ToArray();
        int Find(int x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        }
        foreach (var constraint in constraints)
            foreach (var run in constraint.Runs.Skip(1))
                parent[Find(run)] = Find(constraint.Runs[0]);
        return Enumerable.Range(0, runCount).GroupBy(Find).Select(g => g.ToArray()).ToList();
    }

    /// <param name="Seen">[run of the group][cell]: the values in the satisfying joint splits found.</param>
    /// <param name="Settled">[run of the group][cell]: every split of that run alone (all of them generated) gives the
    /// cell one value, so no joint split, found or not, can differ: safe to infer even when the joint search stopped.</param>
    private sealed record GroupOutcome(long Solutions, bool Truncated, HashSet<decimal>[][] Seen, bool[][] Settled);

    private static GroupOutcome SolveGroup(
        ReportTemplate template, IReadOnlyList<DigitRun> runs, int[] group, List<Constraint> constraints, DigitRunLimits limits, Budget budget)
    {
        var inGroup = group.ToHashSet();
        var seen = group.Select(r => runs[r].CellIds.Select(_ => new HashSet<decimal>()).ToArray()).ToArray();
        var settled = group.Select(r => new bool[runs[r].CellIds.Count]).ToArray();
        var truncated = false;

        // 1. Each run's splits that satisfy the rules about that run alone (e.g. A2 of a 表三 row, B1–B3 of 表四).
        var candidates = new List<decimal[]>[group.Length];
        for (var g = 0; g < group.Length; g++)
        {
            var local = constraints.Where(c => c.Runs.Length == 1 && c.Runs[0] == group[g]).ToList();
            var splitter = new RunSplitter(template, runs[group[g]], local, budget, limits.MaxCandidatesPerRun);
            candidates[g] = splitter.Split();
            truncated |= splitter.Truncated;
            if (candidates[g].Count == 0) return new GroupOutcome(0, truncated, seen, settled);
            if (!splitter.Truncated)
                for (var c = 0; c < settled[g].Length; c++)
                    settled[g][c] = candidates[g].All(split => split[c] == candidates[g][0][c]);
        }

        // 2. Backtrack across runs with interval pruning on the rules linking them (A1, A3, A5 columns of 表三).
        var search = new JointSearch(candidates, constraints.Where(c => c.Runs.Length > 1 && inGroup.Contains(c.Runs[0])).ToList(),
            group, seen, budget, limits.MaxSolutions);
        search.Run();
        return new GroupOutcome(search.Solutions, truncated || search.Truncated, seen, settled);
    }

    private readonly record struct Term(int Run, int Cell, int Coefficient);

    /// <summary>Σ Coefficient·value + <see cref="Constant"/> (op) 0, over the cells of one or more runs.</summary>
    private sealed class Constraint(string key, RuleOperator op, decimal constant, Term[] terms)
    {
        public string Key { get; } = key;
        public decimal Constant { get; } = constant;
        public Term[] Terms { get; } = terms;
        public int[] Runs { get; } = terms.Select(t => t.Run).Distinct().ToArray();

        /// <summary>Whether some value of the left side minus the right in [min, max] can satisfy the operator.</summary>
        public bool Admits(decimal min, decimal max) => op switch
        {
            RuleOperator.Eq => min <= 0 && 0 <= max,
            RuleOperator.Le => min <= 0,
            RuleOperator.Ge => max >= 0,
            _ => throw new InvalidOperationException($"Rule {Key}: unknown operator {op}."),
        };

        public override string ToString() => Key;
    }

    /// <summary>Counts search steps for the whole call.</summary>
    private sealed class Budget(int steps)
    {
        private int _left = steps;

        /// <summary>Takes one step; false when none is left.</summary>
        public bool Step() => _left-- > 0;
    }

    /// <summary>The splits of one run satisfying the rules that involve only that run (and known cells): a depth-first
    /// walk over the values of the run's cells in order, pruned by the digits left and by interval bounds on the rules.</summary>
    private sealed class RunSplitter
    {
        private readonly CellKind[] _kinds;
        private readonly int[] _kindSlot;  // cell → index of its kind among the run's distinct kinds
        private readonly decimal[] _maxValue;
        private readonly int[] _maxDigits;
        private readonly Piece[] _tokens;
        private readonly int[] _minValuesFrom;
        private readonly int[] _maxValuesFrom;
        private readonly int _runMaxDigits;
        private readonly List<Constraint> _local;
        private readonly List<int>[] _localByCell;  // cell → the local rules it appears in
        private readonly int[][] _coefficient;      // [rule][cell]
        private readonly decimal[][] _partial;      // [rule][cell]: constant + Σ coefficient·value over cells 0..cell
        private readonly OpenTerms[][] _open;       // [rule][cell]: the rule's cells after cell
        private readonly Budget _budget;
        private readonly int _maxCandidates;
        private readonly IReadOnlyDictionary<string, string> _messages;
        private readonly decimal[] _values;
        private readonly ParsedPiece[][][] _parsed; // [kind slot][token][start * (length + 1) + value length]
        private readonly List<decimal[]> _found = [];
        private readonly bool _malformed;

        public RunSplitter(ReportTemplate template, DigitRun run, List<Constraint> local, Budget budget, int maxCandidates)
        {
            _kinds = run.CellIds.Select(id => template.CellsById[id].Kind).ToArray();
            var distinct = _kinds.Distinct().ToList();
            _kindSlot = _kinds.Select(k => distinct.IndexOf(k)).ToArray();
            _maxValue = _kinds.Select(k => k.Max).ToArray();
            _maxDigits = _kinds.Select(k => Math.Max(1, decimal.Truncate(k.Max).ToString(System.Globalization.CultureInfo.InvariantCulture).Length)).ToArray();
            _runMaxDigits = _maxDigits.DefaultIfEmpty(1).Max();
            _messages = template.InputMessages;
            _local = local;
            _localByCell = _kinds.Select((_, c) => Enumerable.Range(0, local.Count).Where(q => local[q].Terms.Any(t => t.Cell == c)).ToList()).ToArray();
            _coefficient = local.Select(k => _kinds.Select((_, c) => k.Terms.Where(t => t.Cell == c).Sum(t => t.Coefficient)).ToArray()).ToArray();
            _partial = local.Select(_ => new decimal[_kinds.Length]).ToArray();
            _open = local.Select(k => _kinds.Select((_, c) =>
            {
                var after = k.Terms.Where(t => t.Cell > c).ToList();
                return new OpenTerms(after.Where(t => t.Coefficient > 0).Sum(t => t.Coefficient), after.Where(t => t.Coefficient < 0).Sum(t => -t.Coefficient),
                    after.Select(t => _kinds[t.Cell].Max).DefaultIfEmpty(decimal.MaxValue).Min(), after.Any(t => _kinds[t.Cell].Signed));
            }).ToArray()).ToArray();
            _budget = budget;
            _maxCandidates = maxCandidates;
            _values = new decimal[_kinds.Length];

            _tokens = run.Tokens.Select(t => Piece.Of(CellValueParser.Normalise(t))).ToArray();
            _parsed = distinct.Select(_ => _tokens.Select(t => new ParsedPiece[(t.Length + 1) * (t.Length + 1)]).ToArray()).ToArray();
            _malformed = _tokens.Length == 0 || _tokens.Any(t => t.Malformed);
            _minValuesFrom = new int[_tokens.Length + 1];
            _maxValuesFrom = new int[_tokens.Length + 1];
            for (var j = _tokens.Length - 1; j >= 0 && !_malformed; j--)
            {
                _minValuesFrom[j] = _minValuesFrom[j + 1] + _tokens[j].MinValues(0, _runMaxDigits);
                _maxValuesFrom[j] = _maxValuesFrom[j + 1] + _tokens[j].MaxValues(0);
            }
        }

        public bool Truncated { get; private set; }

        public List<decimal[]> Split()
        {
            if (!_malformed && _kinds.Length > 0) Walk(0, 0, 0);
            return _found;
        }

        /// <summary>Chooses the value of cell <paramref name="cell"/> starting at digit <paramref name="at"/> of token
        /// <paramref name="token"/>; false when the search must stop (bound reached).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per import: never warm enough for tiered JIT
        private bool Walk(int cell, int token, int at)
        {
            if (!_budget.Step()) return Stop();
            if (at == _tokens[token].Length)
            {
                token++;
                at = 0;
                if (token == _tokens.Length)
                {
                    if (cell != _kinds.Length) return true;
                    if (_found.Count >= _maxCandidates) return Stop();
                    _found.Add((decimal[])_values.Clone());
                    return true;
                }
            }
            var cellsLeft = _kinds.Length - cell;
            var piece = _tokens[token];
            if (cellsLeft < piece.MinValues(at, _runMaxDigits) + _minValuesFrom[token + 1]
                || cellsLeft > piece.MaxValues(at) + _maxValuesFrom[token + 1])
                return true;

            if (piece.Money)
            {
                // A token with a decimal point ends with one money value, which holds the point ("94.651" for two
                // cells is 9 | 4.651): whole numbers may be cut off before it, never inside its fraction.
                var dot = piece.Digits.IndexOf('.');
                var rest = piece.Length - at;
                if ((piece.Digits[at] != '0' || at + 1 == dot) && Value(token, at, rest, cell) is { } money && !Try(cell, money, token, piece.Length))
                    return false;
                var whole = piece.Digits[at] == '0' ? 1 : Math.Min(dot - at - 1, _maxDigits[cell]);
                for (var length = 1; length <= whole; length++)
                    if (Value(token, at, length, cell) is { } value && !Try(cell, value, token, at + length))
                        return false;
                return true;
            }
            // A value starting with 0 is exactly 0; a longer one only grows past the kind's maximum.
            var longest = piece.Digits[at] == '0' ? 1 : Math.Min(piece.Length - at, _maxDigits[cell]);
            for (var length = 1; length <= longest; length++)
                if (Value(token, at, length, cell) is { } value && !Try(cell, value, token, at + length))
                    return false;
            return true;
        }

        private bool Try(int cell, decimal value, int token, int next)
        {
            _values[cell] = value;
            if (!Feasible(cell, token, next)) return true;
            return Walk(cell + 1, token, next);
        }

        private bool Stop()
        {
            Truncated = true;
            return false;
        }

        /// <summary>The value of <paramref name="length"/> digits of a token from <paramref name="start"/> for cell
        /// <paramref name="cell"/>, or null when the cell's kind refuses it (read once per piece and kind).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per import: never warm enough for tiered JIT
        private decimal? Value(int token, int start, int length, int cell)
        {
            var piece = _tokens[token];
            ref var cached = ref _parsed[_kindSlot[cell]][token][start * (piece.Length + 1) + length];
            if (cached.Read) return cached.Valid ? cached.Value : null;
            var negative = start == 0 && piece.Negative;
            decimal? value = null;
            // The sign of a token belongs to its first value, which must then be negative: "-0" is no printed value.
            if (!negative || _kinds[cell].Signed)
            {
                var text = (negative ? "-" : "") + piece.Digits.Substring(start, length);
                var parsed = CellValueParser.Parse(text, _kinds[cell], _messages);
                if (parsed.Error is null && parsed.Value is { } v && !(negative && v == 0)) value = v;
            }
            cached = new ParsedPiece(true, value.HasValue, value.GetValueOrDefault());
            return value;
        }

        /// <summary>Whether the rules of this run can still hold with cells 0..<paramref name="cell"/> chosen and the
        /// rest of the text (from <paramref name="next"/> of <paramref name="token"/>) still to cut: each open cell is
        /// bounded by its kind's maximum and by the digits it could take (the longest piece of text left, less one digit
        /// for each other open cell).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per import: never warm enough for tiered JIT
        private bool Feasible(int cell, int token, int next)
        {
            // The chosen part of every rule, one prefix sum per rule (cells are chosen in order).
            for (var q = 0; q < _local.Count; q++)
                _partial[q][cell] = (cell == 0 ? _local[q].Constant : _partial[q][cell - 1]) + _coefficient[q][cell] * _values[cell];
            if (_localByCell[cell].Count == 0) return true;

            var longest = 0;
            var digitsLeft = 0;
            var moneyLeft = false;
            var negativeLeft = false;
            for (var j = token; j < _tokens.Length; j++)
            {
                var from = j == token ? next : 0;
                if (from >= _tokens[j].Length) continue;
                moneyLeft |= _tokens[j].Money;
                negativeLeft |= from == 0 && _tokens[j].Negative;
                longest = Math.Max(longest, _tokens[j].Length - from);
                digitsLeft += _tokens[j].Length - from;
            }
            var openCells = _kinds.Length - 1 - cell;
            longest = Math.Min(longest, digitsLeft - openCells + 1);
            var textBound = moneyLeft || longest >= Nines.Length ? decimal.MaxValue : Nines[Math.Max(0, longest)];
            foreach (var q in _localByCell[cell])
            {
                var open = _open[q][cell];
                var partial = _partial[q][cell];
                decimal min, max;
                if (textBound <= open.LeastMax && !(negativeLeft && open.Signed))
                {
                    // Every open cell lies in [0, textBound]: the usual case, no loop over the terms.
                    min = partial - open.Negative * textBound;
                    max = partial + open.Positive * textBound;
                }
                else
                {
                    min = max = partial;
                    foreach (var term in _local[q].Terms)
                    {
                        if (term.Cell <= cell) continue;
                        var hi = Math.Min(_maxValue[term.Cell], textBound);
                        var lo = negativeLeft && _kinds[term.Cell].Signed ? -hi : 0;
                        min += term.Coefficient > 0 ? term.Coefficient * lo : term.Coefficient * hi;
                        max += term.Coefficient > 0 ? term.Coefficient * hi : term.Coefficient * lo;
                    }
                }
                if (!_local[q].Admits(min, max)) return false;
            }
            return true;
        }

        /// <summary>The cells of a rule still open after a cell: the sums of their positive and (negated) negative
        /// coefficients, the least maximum of their kinds, and whether one of them is signed.</summary>
        private readonly record struct OpenTerms(int Positive, int Negative, decimal LeastMax, bool Signed);

        /// <summary>Nines[n] = the largest number of n digits (10ⁿ − 1), up to what a decimal holds.</summary>
        private static readonly decimal[] Nines = Enumerable.Range(0, 28).Select(n => Enumerable.Repeat(10m, n).Aggregate(1m, (a, b) => a * b) - 1).ToArray();
    }

    /// <summary>A piece of a token as read for one kind: not read yet, refused, or its value.</summary>
    private readonly record struct ParsedPiece(bool Read, bool Valid, decimal Value);

    /// <summary>One token of a run: its digits (without the sign; with the point for money), whether it starts with '-',
    /// whether it ends with a money value holding a decimal point (whole numbers may be cut off before that value, never its
    /// fraction), or malformed (no split at all).</summary>
    private readonly record struct Piece(string Digits, bool Negative, bool Money, bool Malformed)
    {
        public int Length => Digits.Length;

        public static Piece Of(string token)
        {
            var negative = token.StartsWith('-');
            var body = negative ? token[1..] : token;
            var dots = body.Count(ch => ch == '.');
            var wellFormed = body.Length > 0 && body.All(ch => ch is >= '0' and <= '9' or '.') && dots <= 1 && body.Any(char.IsAsciiDigit);
            if (!wellFormed) return new Piece("", false, false, true);
            if (dots == 1)
                // Ends with a money value: at least one digit before the point and one after it.
                return new Piece(body, negative, true, body[0] == '.' || body[^1] == '.');
            return new Piece(body, negative, false, false);
        }

        /// <summary>The fewest values the digits from <paramref name="at"/> on can hold when a value has at most
        /// <paramref name="maxDigits"/> digits.</summary>
        public int MinValues(int at, int maxDigits) =>
            at >= Length ? 0 : Money ? 1 : (Length - at + maxDigits - 1) / maxDigits;

        /// <summary>The most values the digits from <paramref name="at"/> on can hold (one per digit; a money token's
        /// fraction belongs to its last value).</summary>
        public int MaxValues(int at) => at >= Length ? 0 : Money ? Math.Max(1, Digits.IndexOf('.') - at) : Length - at;
    }

    /// <summary>Backtracking over the runs of a group, one candidate split per run, pruned by the interval each
    /// linking rule can still reach: its chosen part plus, for each run not yet chosen, the least and greatest
    /// contribution of any of that run's candidates.</summary>
    private sealed class JointSearch
    {
        private readonly List<decimal[]>[] _candidates;
        private readonly List<Constraint> _constraints;
        private readonly HashSet<decimal>[][] _seen;
        private readonly Budget _budget;
        private readonly int _maxSolutions;
        private readonly int[] _order;
        private readonly decimal[][][] _contribution; // [constraint][group position][candidate]
        private readonly decimal[][] _least;          // [constraint][group position]
        private readonly decimal[][] _most;
        private readonly List<int>[] _constraintsOf;  // group position → constraints touching it
        private readonly decimal[] _fixed;
        private readonly decimal[] _openMin;
        private readonly decimal[] _openMax;
        private readonly int[] _chosen;

        public JointSearch(List<decimal[]>[] candidates, List<Constraint> constraints, int[] group, HashSet<decimal>[][] seen, Budget budget, int maxSolutions)
        {
            _candidates = candidates;
            _constraints = constraints;
            _seen = seen;
            _budget = budget;
            _maxSolutions = maxSolutions;
            var position = group.Select((run, g) => (run, g)).ToDictionary(p => p.run, p => p.g);
            // Forced runs first, then the runs with fewest candidates: the intervals narrow fastest.
            _order = Enumerable.Range(0, group.Length).OrderBy(g => candidates[g].Count).ToArray();
            _constraintsOf = group.Select(_ => new List<int>()).ToArray();
            _contribution = new decimal[constraints.Count][][];
            _least = new decimal[constraints.Count][];
            _most = new decimal[constraints.Count][];
            _fixed = new decimal[constraints.Count];
            _openMin = new decimal[constraints.Count];
            _openMax = new decimal[constraints.Count];
            for (var k = 0; k < constraints.Count; k++)
            {
                _contribution[k] = new decimal[group.Length][];
                _least[k] = new decimal[group.Length];
                _most[k] = new decimal[group.Length];
                _fixed[k] = constraints[k].Constant;
                foreach (var termsOfRun in constraints[k].Terms.GroupBy(t => position[t.Run]))
                {
                    var g = termsOfRun.Key;
                    _constraintsOf[g].Add(k);
                    var sums = candidates[g].Select(split => termsOfRun.Sum(t => t.Coefficient * split[t.Cell])).ToArray();
                    _contribution[k][g] = sums;
                    _least[k][g] = sums.Min();
                    _most[k][g] = sums.Max();
                    _openMin[k] += _least[k][g];
                    _openMax[k] += _most[k][g];
                }
            }
            _chosen = new int[group.Length];
        }

        public long Solutions { get; private set; }

        public bool Truncated { get; private set; }

        public void Run() => Walk(0);

        /// <summary>False when the search must stop (a bound reached).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per import: never warm enough for tiered JIT
        private bool Walk(int depth)
        {
            if (depth == _order.Length) return Record();
            var g = _order[depth];
            var touching = _constraintsOf[g];
            for (var s = 0; s < _candidates[g].Count; s++)
            {
                if (!_budget.Step())
                {
                    Truncated = true;
                    return false;
                }
                var admitted = true;
                foreach (var k in touching)
                {
                    var fixedPart = _fixed[k] + _contribution[k][g][s];
                    if (!_constraints[k].Admits(fixedPart + _openMin[k] - _least[k][g], fixedPart + _openMax[k] - _most[k][g]))
                    {
                        admitted = false;
                        break;
                    }
                }
                if (!admitted) continue;
                foreach (var k in touching)
                {
                    _fixed[k] += _contribution[k][g][s];
                    _openMin[k] -= _least[k][g];
                    _openMax[k] -= _most[k][g];
                }
                _chosen[g] = s;
                var go = Walk(depth + 1);
                foreach (var k in touching)
                {
                    _fixed[k] -= _contribution[k][g][s];
                    _openMin[k] += _least[k][g];
                    _openMax[k] += _most[k][g];
                }
                if (!go) return false;
            }
            return true;
        }

        private bool Record()
        {
            if (Solutions >= _maxSolutions)
            {
                Truncated = true;
                return false;
            }
            Solutions++;
            for (var g = 0; g < _chosen.Length; g++)
            {
                var split = _candidates[g][_chosen[g]];
                for (var c = 0; c < split.Length; c++) _seen[g][c].Add(split[c]);
            }
            return true;
        }
    }
}
