using System.Text.Json.Nodes;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Domain.Tests.Rules;

/// <summary>tests/TestData/rule-cases.json against the C# evaluator. The same file runs in Chromium
/// against Entry/Assets/js/rules.js (Web.Tests), so both evaluators are held to the same expectations.</summary>
public sealed class RuleCaseTests
{
    public static IEnumerable<object[]> Cases() => TestData.CaseNames();
    public static IEnumerable<object[]> ParseCases() => TestData.ParseCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_gives_exactly_the_expected_violations_values_and_input_errors(string name)
    {
        var root = TestData.RuleCases;
        var @case = root["cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
        var template = TestData.Template(@case);
        var units = TestData.Units(root, @case);

        var typed = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var inputErrors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, raw) in TestData.RawCells(template, root, @case))
        {
            var parsed = CellValueParser.ParseCell(raw, template.CellsById[id], units.GetValueOrDefault(id), template.InputMessages);
            if (parsed.Error is not null) inputErrors[id] = parsed.Error;
            else if (parsed.Value is { } v) typed[id] = v;
        }
        var result = RuleEvaluator.Evaluate(template, typed, TestData.Context(@case), texts: TestData.Texts(@case), previous: TestData.Previous(@case));

        var expected = @case["expect"]!.AsArray()
            .Select(e => $"{e!["key"]} {e["severity"]} {e["message"]}").Order(StringComparer.Ordinal).ToList();
        var actual = result.Violations
            .Select(v => $"{v.Key} {v.Severity.ToString().ToLowerInvariant()} {v.Message}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);

        var expectedErrors = (@case["inputErrors"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
        Assert.Equal(expectedErrors.OrderBy(kv => kv.Key), inputErrors.OrderBy(kv => kv.Key));

        foreach (var (id, value) in @case["values"]?.AsObject() ?? [])
        {
            var actualValue = result.Values.TryGetValue(id, out var d) ? CellValueParser.FormatValue(d) : null;
            Assert.True(value?.GetValue<string>() == actualValue, $"{id}: expected {value?.GetValue<string>() ?? "blank"}, got {actualValue ?? "blank"}");
        }
    }

    [Theory]
    [MemberData(nameof(ParseCases))]
    public void Parse_case_reads_the_text_as_expected(int index, string kind, string raw)
    {
        var @case = TestData.RuleCases["parse"]![index]!;
        var template = TestData.Template(@case);
        var parsed = CellValueParser.Parse(raw, template.Kinds[kind], template.InputMessages);
        Assert.Equal(@case["error"]?.GetValue<string>(), parsed.Error);
        Assert.Equal(@case["value"]?.GetValue<string>(), parsed.Value is { } v ? CellValueParser.FormatValue(v) : null);
        Assert.Equal(@case["blank"]?.GetValue<bool>() ?? false, parsed.IsBlank);
    }
}
