using System.Globalization;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Domain.Rules;

/// <summary>How totals are treated: entry derives them from the typed cells; a printed report
/// (an import) carries its own totals, which are then checked like any other rule.</summary>
public enum EvaluationMode { Entry, Printed }

public sealed record Violation(
    string Key,
    string RuleId,
    Severity Severity,
    string SectionId,
    string TableId,
    string Message,
    IReadOnlyList<string> Cells,
    bool Incomplete = false)
{
    /// <summary>Whether the cells are marked on the form as taking part in the problem. Blank cells
    /// of a completeness rule are not: a new form would be all red.</summary>
    public bool MarksCells => !Incomplete;
}

public sealed record Evaluation(IReadOnlyDictionary<string, decimal> Values, IReadOnlyList<Violation> Violations)
{
    public IEnumerable<Violation> Errors => Violations.Where(v => v.Severity == Severity.Error);
}

/// <summary>
/// The one server-side evaluator of template rules. Its browser twin (wwwroot/js/rules.js) reads the
/// same compiled rules; tests/TestData/rule-cases.json is run against both.
/// </summary>
public static class RuleEvaluator
{
    /// <param name="typed">Values of the typed cells; a blank cell is simply absent.</param>
    /// <param name="context">Flags about the reporting agency, e.g. mayMakeRules.</param>
    /// <param name="texts">The narrative parts; when null, narrative rules are not evaluated (cells only, as in the browser).</param>
    public static Evaluation Evaluate(
        ReportTemplate template,
        IReadOnlyDictionary<string, decimal> typed,
        IReadOnlyDictionary<string, bool> context,
        EvaluationMode mode = EvaluationMode.Entry,
        IReadOnlyDictionary<string, string>? texts = null)
    {
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (id, value) in typed)
            // A not-applicable cell has no value in any mode: it is never 0, never part of a sum.
            if (template.CellsById.TryGetValue(id, out var cell) && !cell.NotApplicable && (mode == EvaluationMode.Printed || !cell.Computed))
                values[id] = value;
        if (mode == EvaluationMode.Entry) ComputeTotals(template, values);

        var violations = new List<Violation>();
        foreach (var rule in template.Rules)
        {
            if (rule.Computes && mode == EvaluationMode.Entry) continue;
            if (rule.When is { } when && (!context.TryGetValue(when.Context, out var flag) || flag != when.Is)) continue;
            if (rule.Kind == RuleKind.Texts)
            {
                // The report's own parts of the section, whatever the agency named or added.
                if (texts is not null && texts.Where(t => Reports.PartIds.SectionOf(t.Key) == rule.SectionId).All(t => string.IsNullOrWhiteSpace(t.Value)))
                    violations.Add(new Violation(rule.Key, rule.RuleId, rule.Severity, rule.SectionId, "",
                        rule.Message.Replace("{section}", rule.ScopeLabel, StringComparison.Ordinal), [], Incomplete: true));
                continue;
            }
            violations.AddRange(rule.Kind == RuleKind.Cells ? CheckCells(template, rule, values) : CheckLinear(rule, values));
        }

        if (texts is not null)
        {
            // Numbers stated in the narrative against the tables (warnings), and tokens naming no cell (errors).
            violations.AddRange(NarrativeNumbers.Check(template, texts, values));
            violations.AddRange(CellTokens.Check(template, texts));
        }

        var violated = violations.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        var byKey = template.Rules.ToDictionary(r => r.Key, StringComparer.Ordinal);
        violations.RemoveAll(v => byKey.TryGetValue(v.Key, out var r) && r.SuppressedByKeys.Any(violated.Contains));
        return new Evaluation(values, violations);
    }

    /// <summary>A copy of the typed cells with every total computed (see <see cref="ComputeTotals"/>).</summary>
    public static Dictionary<string, decimal> WithTotals(ReportTemplate template, IReadOnlyDictionary<string, decimal> cells)
    {
        var values = new Dictionary<string, decimal>(cells, StringComparer.Ordinal);
        ComputeTotals(template, values);
        return values;
    }

    /// <summary>Fills every computed cell from its defining rule, in dependency order. A total of
    /// cells that are all blank stays blank: zeros are never invented.</summary>
    public static void ComputeTotals(ReportTemplate template, Dictionary<string, decimal> values)
    {
        var pending = template.Rules.Where(r => r.Computes).ToList();
        var resolved = new HashSet<string>(StringComparer.Ordinal);
        bool Known(string id) => !template.CellsById[id].Computed || resolved.Contains(id);
        while (pending.Count > 0)
        {
            var ready = pending.Where(r => r.Rhs.All(t => Known(t.CellId))).ToList();
            if (ready.Count == 0) throw new InvalidDataException($"Template {template.Code}: totals depend on each other in a cycle.");
            foreach (var rule in ready)
            {
                pending.Remove(rule);
                var target = rule.Lhs[0].CellId;
                if (!resolved.Add(target)) continue;
                var present = rule.Rhs.Where(t => values.ContainsKey(t.CellId)).ToList();
                if (present.Count == 0) values.Remove(target);
                else values[target] = present.Sum(t => values[t.CellId]);
            }
        }
    }

    private static IEnumerable<Violation> CheckLinear(RuleInstance rule, IReadOnlyDictionary<string, decimal> values)
    {
        if (rule.WhenFilled && !(rule.Lhs.Any(t => values.ContainsKey(t.CellId)) && rule.Rhs.Any(t => values.ContainsKey(t.CellId))))
            yield break;
        var lhs = rule.Lhs.Sum(t => values.GetValueOrDefault(t.CellId));
        var rhs = rule.Rhs.Sum(t => values.GetValueOrDefault(t.CellId));
        var holds = rule.Op switch
        {
            RuleOperator.Eq => lhs == rhs,
            RuleOperator.Le => lhs <= rhs,
            RuleOperator.Ge => lhs >= rhs,
            _ => throw new InvalidOperationException($"Unknown operator {rule.Op}."),
        };
        if (holds) yield break;
        var message = rule.Message
            .Replace("{table}", rule.TableName, StringComparison.Ordinal)
            .Replace("{scope}", rule.ScopeLabel, StringComparison.Ordinal)
            .Replace("{lhs}", Terms(rule.Lhs, values), StringComparison.Ordinal)
            .Replace("{rhs}", Terms(rule.Rhs, values), StringComparison.Ordinal)
            .Replace("{lhsSum}", CellValueParser.FormatValue(lhs), StringComparison.Ordinal)
            .Replace("{rhsSum}", CellValueParser.FormatValue(rhs), StringComparison.Ordinal)
            .Replace("{diff}", CellValueParser.FormatValue(Math.Abs(lhs - rhs)), StringComparison.Ordinal);
        yield return new Violation(rule.Key, rule.RuleId, rule.Severity, rule.SectionId, rule.TableId, message,
            rule.Lhs.Concat(rule.Rhs).Select(t => t.CellId).ToList());
    }

    private static IEnumerable<Violation> CheckCells(ReportTemplate template, RuleInstance rule, IReadOnlyDictionary<string, decimal> values)
    {
        var blank = new List<string>();
        foreach (var id in rule.Cells)
        {
            if (!values.TryGetValue(id, out var value)) { blank.Add(id); continue; }
            // Values reach here already parsed; re-check the kind so imported or hand-made data cannot slip through.
            var cell = template.CellsById[id];
            var parsed = CellValueParser.Parse(CellValueParser.FormatValue(value), cell.Kind, template.InputMessages);
            if (parsed.Error is { } error)
                yield return new Violation($"{rule.Key}:{id}", rule.RuleId, rule.Severity, rule.SectionId, rule.TableId,
                    $"{rule.TableName} {cell.ShortLabel}：{error}", [id]);
        }
        if (blank.Count > 0)
            yield return new Violation(rule.Key, rule.RuleId, rule.Severity, rule.SectionId, rule.TableId,
                rule.Message.Replace("{table}", rule.TableName, StringComparison.Ordinal)
                    .Replace("{count}", blank.Count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
                blank, Incomplete: true);
    }

    private static string Terms(IReadOnlyList<RuleTerm> terms, IReadOnlyDictionary<string, decimal> values) =>
        string.Join("＋", terms.Select(t => $"{t.Label}（{(values.TryGetValue(t.CellId, out var v) ? CellValueParser.FormatValue(v) : "空")}）"));
}
