using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Domain.Tests.Rules;

/// <summary>tests/TestData/narrative-cases.json against the C# narrative checks (through the one RuleEvaluator, as entry,
/// submit, review and import call it). The same file runs in Chromium against Entry/Assets/js/narrative.js (Web.Tests
/// NarrativeCasesInBrowserTests).</summary>
public sealed class NarrativeCaseTests
{
    public static IEnumerable<object[]> Cases() => TestData.NarrativeCaseNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Narrative_case_gives_exactly_the_expected_warnings(string name)
    {
        var root = TestData.NarrativeCases;
        var @case = root["cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
        var template = TestData.Template(@case);
        var typed = TestData.NarrativeRawCells(template, root, @case).ToDictionary(kv => kv.Key,
            kv => CellValueParser.Parse(kv.Value, template.CellsById[kv.Key].Kind, template.InputMessages).Value!.Value, StringComparer.Ordinal);
        var texts = TestData.NarrativeTexts(@case);
        var ruleIds = template.NarrativeChecks.Select(c => c.Id).Append("token").ToHashSet(StringComparer.Ordinal);

        var result = RuleEvaluator.Evaluate(template, typed, new Dictionary<string, bool>(), EvaluationMode.Entry, texts);

        var expected = @case["expect"]!.AsArray()
            .Select(e => $"{e!["key"]} {e["severity"]} {e["message"]}").Order(StringComparer.Ordinal).ToList();
        var actual = result.Violations.Where(v => ruleIds.Contains(v.RuleId))
            .Select(v => $"{v.Key} {v.Severity.ToString().ToLowerInvariant()} {v.Message}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        foreach (var v in result.Violations.Where(v => ruleIds.Contains(v.RuleId) && v.RuleId != "token"))
        {
            Assert.Equal(GovInfoReports.Domain.Reports.PartIds.SectionOf(v.Key.Split(':')[1]), v.SectionId);
            Assert.NotEmpty(v.Cells);
        }
    }
}
