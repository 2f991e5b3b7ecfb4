using System.Globalization;
using System.Text;
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

/// <summary>
/// Last year's report of the same agency as the cross-year rules read it (spec §9; issue 11): its latest published
/// version, else its current content. <paramref name="Values"/> are by cell id with totals (件; money in 万元);
/// <paramref name="Description"/> names which one it is in the messages, e.g. 2023年度报告（已发布的第2版） or
/// 2023年度报告（当前内容，尚未发布）.
/// </summary>
public sealed record PreviousYear(int Year, string TemplateCode, IReadOnlyDictionary<string, decimal> Values, string Description);

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
    /// <param name="previous">Last year's report; when null (none, or not known), the cross-year rules are not evaluated.
    /// A cross-year rule is judged only when last year's report has every cell it reads (a 2019-format report has
    /// no 现行有效件数, so X2 is not judged against it; 表三 is shared, so X1 is).</param>
    public static Evaluation Evaluate(
        ReportTemplate template,
        IReadOnlyDictionary<string, decimal> typed,
        IReadOnlyDictionary<string, bool> context,
        EvaluationMode mode = EvaluationMode.Entry,
        IReadOnlyDictionary<string, string>? texts = null,
        PreviousYear? previous = null)
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
            if (rule.NeedsPrevious)
            {
                if (previous is not null && rule.Lhs.Concat(rule.Rhs).Where(t => t.Previous).All(t => previous.Values.ContainsKey(t.CellId)))
                    violations.AddRange(rule.Kind == RuleKind.Ratio ? CheckRatio(rule, values, previous) : CheckLinear(rule, values, previous));
                continue;
            }
            if (rule.Kind == RuleKind.Texts && rule.TextTest is { } test)
            {
                if (texts is not null && CheckText(rule, test, texts) is { } found) violations.Add(found);
                continue;
            }
            if (rule.Kind == RuleKind.Texts)
            {
                // The report's own parts of the section, whatever the agency named or added.
                if (texts is not null && texts.Where(t => Reports.PartIds.SectionOf(t.Key) == rule.SectionId).All(t => string.IsNullOrWhiteSpace(t.Value)))
                    violations.Add(new Violation(rule.Key, rule.RuleId, rule.Severity, rule.SectionId, "",
                        rule.Message.Replace("{section}", rule.ScopeLabel, StringComparison.Ordinal), [], Incomplete: true));
                continue;
            }
            violations.AddRange(rule.Kind == RuleKind.Cells ? CheckCells(template, rule, values) : CheckLinear(rule, values, null));
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

    private static IEnumerable<Violation> CheckLinear(RuleInstance rule, IReadOnlyDictionary<string, decimal> values, PreviousYear? previous)
    {
        decimal? ValueOf(RuleTerm t) => (t.Previous ? previous?.Values : values)?.TryGetValue(t.CellId, out var v) == true ? v : null;
        if (rule.WhenFilled && !(rule.Lhs.Any(t => ValueOf(t) is not null) && rule.Rhs.Any(t => ValueOf(t) is not null)))
            yield break;
        // A cross-year rule says nothing while this year's cells it reads are still blank.
        if (previous is not null && rule.Lhs.Concat(rule.Rhs).Any(t => !t.Previous && ValueOf(t) is null))
            yield break;
        var lhs = rule.Lhs.Sum(t => t.Sign * (ValueOf(t) ?? 0));
        var rhs = rule.Rhs.Sum(t => t.Sign * (ValueOf(t) ?? 0));
        var holds = rule.Op switch
        {
            RuleOperator.Eq => lhs == rhs,
            RuleOperator.Le => lhs <= rhs,
            RuleOperator.Ge => lhs >= rhs,
            _ => throw new InvalidOperationException($"Unknown operator {rule.Op}."),
        };
        if (holds) yield break;
        var message = Fill(rule.Message, rule, previous)
            .Replace("{lhs}", Terms(rule.Lhs, ValueOf), StringComparison.Ordinal)
            .Replace("{rhs}", Terms(rule.Rhs, ValueOf), StringComparison.Ordinal)
            .Replace("{lhsSum}", CellValueParser.FormatValue(lhs), StringComparison.Ordinal)
            .Replace("{rhsSum}", CellValueParser.FormatValue(rhs), StringComparison.Ordinal)
            .Replace("{diff}", CellValueParser.FormatValue(Math.Abs(lhs - rhs)), StringComparison.Ordinal);
        yield return new Violation(rule.Key, rule.RuleId, rule.Severity, rule.SectionId, rule.TableId, message,
            rule.Lhs.Concat(rule.Rhs).Where(t => !t.Previous).Select(t => t.CellId).Distinct().ToList());
    }

    /// <summary>A ratio rule: this year's value and last year's, both above 0, differ by the rule's factor or more.</summary>
    private static IEnumerable<Violation> CheckRatio(RuleInstance rule, IReadOnlyDictionary<string, decimal> values, PreviousYear previous)
    {
        var id = rule.Lhs[0].CellId;
        if (!values.TryGetValue(id, out var now) || !previous.Values.TryGetValue(id, out var before) || now <= 0 || before <= 0) yield break;
        var ratio = now >= before ? now / before : before / now;
        if (ratio < rule.Factor) yield break;
        var message = Fill(rule.Message, rule, previous)
            .Replace("{value}", CellValueParser.FormatValue(now), StringComparison.Ordinal)
            .Replace("{last}", CellValueParser.FormatValue(before), StringComparison.Ordinal)
            .Replace("{relation}", (now > before ? "是上年的{ratio}倍" : "只有上年的{ratio}分之一")
                .Replace("{ratio}", CellValueParser.FormatValue(decimal.Round(ratio, 0)), StringComparison.Ordinal), StringComparison.Ordinal);
        yield return new Violation(rule.Key, rule.RuleId, rule.Severity, rule.SectionId, rule.TableId, message, [id]);
    }

    /// <summary>A content test of a narrative section: it reads the texts of <see cref="TextTest.Parts"/> (a section id reads
    /// all the report's parts of that section), joined in part-id order. An empty text is left to the emptiness rule (N0).
    /// Entry/Assets/js/rules.js (<c>checkTexts</c>) is its twin; the shared rule cases hold both to the same messages.</summary>
    private static Violation? CheckText(RuleInstance rule, TextTest test, IReadOnlyDictionary<string, string> texts)
    {
        var read = string.Concat(texts.Where(t => test.Reads(t.Key)).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Value));
        var bare = Bare(read);
        if (bare.Length == 0) return null;
        string? found = null;
        if (test.Empty.Any(e => Bare(e) == bare) || Letters(bare) < test.MinLength)
            found = rule.Message.Replace("{text}", read.Trim(), StringComparison.Ordinal);
        // A mention is its words separated by | (工作考核|考核): any of them will do; the message names the first.
        else if (test.Mentions.Select(m => m.Split('|')).Where(words => !words.Any(w => bare.Contains(Bare(w), StringComparison.Ordinal))).ToList() is { Count: > 0 } missing)
            found = rule.Message.Replace("{missing}", string.Join("、", missing.Select(words => words[0])), StringComparison.Ordinal);
        return found is null ? null
            : new Violation(rule.Key, rule.RuleId, rule.Severity, rule.SectionId, "", found.Replace("{section}", rule.ScopeLabel, StringComparison.Ordinal), []);
    }

    /// <summary>Text without whitespace and punctuation, as the content tests compare it (“无。” is “无”): its letters and
    /// decimal digits (Unicode L* and Nd), read as code points so a CJK Extension B character counts as one letter.</summary>
    private static string Bare(string text) =>
        string.Concat(text.EnumerateRunes().Where(r => Rune.IsLetter(r) || Rune.IsDigit(r)).Select(r => r.ToString()));

    /// <summary>The number of code points of a text (what <see cref="TextTest.MinLength"/> counts).</summary>
    private static int Letters(string bare) => bare.EnumerateRunes().Count();

    private static string Fill(string message, RuleInstance rule, PreviousYear? previous) => message
        .Replace("{table}", rule.TableName, StringComparison.Ordinal)
        .Replace("{scope}", rule.ScopeLabel, StringComparison.Ordinal)
        .Replace("{previous}", previous?.Description ?? "", StringComparison.Ordinal);

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

    private static string Terms(IReadOnlyList<RuleTerm> terms, Func<RuleTerm, decimal?> valueOf) =>
        string.Concat(terms.Select((t, i) => (t.Sign < 0 ? "－" : i == 0 ? "" : "＋")
            + $"{t.Label}（{(valueOf(t) is { } v ? CellValueParser.FormatValue(v) : "空")}）"));
}
