using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Domain.Tests.Rules;

/// <summary>
/// A variant of the 2019 template with one rule removed (C3), one severity changed (C2 → warning), one rule added
/// (Z2, over two tables) and one unit choice dropped (采购总金额 only in 元): the evaluator follows with no code change.
/// The same variant runs in the browser evaluator (Web.Tests RuleCasesInBrowserTests).
/// </summary>
public sealed class Rules2019AreDataTests
{
    [Fact]
    public void The_evaluator_follows_removed_added_and_changed_rules_of_the_2019_template()
    {
        var template = TestData.Variant2019.Template();
        var typed = TestData.Variant2019.RawCells().ToDictionary(kv => kv.Key,
            kv => CellValueParser.ParseCell(kv.Value, template.CellsById[kv.Key], TestData.Variant2019.Units.GetValueOrDefault(kv.Key), template.InputMessages).Value!.Value);
        var result = RuleEvaluator.Evaluate(template, typed, new Dictionary<string, bool> { ["mayMakeRules"] = false });
        Assert.Equal(TestData.Variant2019.Expected, result.Violations.Select(v => $"{v.Key} {v.Severity.ToString().ToLowerInvariant()} {v.Message}").Order(StringComparer.Ordinal));

        // The unit choice is data too: without 万元, fixture 000's "4.651 万元" can no longer be entered as such.
        var amount = template.CellsById["a20_9.procurement.amount"];
        Assert.Equal("请选择金额的单位（元），按报告印发的数字填写", CellValueParser.ParseCell("4.651", amount, "wanyuan", template.InputMessages).Error);
    }
}
