using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Domain.Tests.Rules;

/// <summary>
/// Fixtures 000 (蓬溪县政府办公室 2019) and 003 (将乐县 2020, consolidated from 13 乡镇 and 22 部门), both in the
/// 2019 format, typed cell by cell as printed (tests/TestData/fixtures): every value is accepted — 003's negative
/// 本年增/减 and its 采购总金额 in 元, 000's 4.651 万元 — and the reports have no violation at all, neither as
/// entered (totals computed) nor as printed (totals checked).
/// </summary>
public sealed class FixtureReports2019Tests
{
    private static readonly ReportTemplate T = TestData.Template2019;

    private sealed record Typed(string Raw, string? Unit = null);

    /// <summary>Every enterable cell 0, then the fixture's own figures.</summary>
    private static Dictionary<string, Typed> Fixture(params (string Cell, string Raw, string? Unit)[] printed)
    {
        var cells = T.Cells.Where(c => c.Enterable).ToDictionary(c => c.Id, _ => new Typed("0"), StringComparer.Ordinal);
        foreach (var (cell, raw, unit) in printed)
        {
            Assert.True(cells.ContainsKey(cell), cell);
            cells[cell] = new Typed(raw, unit);
        }
        return cells;
    }

    // 000_5e7b7750513ba6ef.txt: 二 as printed ("4.651万元" written inside the cell: the clerk types 4.651 and picks 万元);
    // 三 and 四 all 0.
    private static Dictionary<string, Typed> Fixture000() => Fixture(
        ("a20_1.normative.made", "2", null), ("a20_1.normative.published", "2", null), ("a20_1.normative.public_total", "8", null),
        ("a20_9.procurement.items", "9", null), ("a20_9.procurement.amount", "4.651", "wanyuan"));

    // 003_08fe1e56ee831c9d.txt: 二 with negative 本年增/减 and 采购总金额（元）; 表三 8 applications of 自然人.
    private static Dictionary<string, Typed> Fixture003() => Fixture(
        ("a20_1.normative.made", "140", null), ("a20_1.normative.published", "140", null), ("a20_1.normative.public_total", "432", null),
        ("a20_5.licensing.prev", "4791", null), ("a20_5.licensing.change", "-649", null), ("a20_5.licensing.decisions", "4142", null),
        ("a20_5.other_services.prev", "1754", null), ("a20_5.other_services.change", "1264", null), ("a20_5.other_services.decisions", "3018", null),
        ("a20_6.penalty.prev", "221", null), ("a20_6.penalty.change", "33", null), ("a20_6.penalty.decisions", "254", null),
        ("a20_6.coercion.prev", "47", null), ("a20_6.coercion.change", "-4", null), ("a20_6.coercion.decisions", "43", null),
        ("a20_8.fees.prev", "0", null), ("a20_8.fees.change", "1", null),
        ("a20_9.procurement.items", "458", null), ("a20_9.procurement.amount", "21174299", "yuan"),
        ("apps.new.np", "8", null), ("apps.r1.np", "5", null), ("apps.r3_5.np", "1", null), ("apps.r4_1.np", "2", null));

    private static readonly Dictionary<string, string> Texts = new()
    {
        ["s1.active"] = "坚持做到“应公开、尽公开，应上网、尽上网”。",
        // Fixture 003's own opening of 五 (the part used to read "一是人员衔接力度不紧密。", which rule N12 now finds too thin).
        ["s5.text"] = "2020年，我县在政府信息公开上取得了一定成效，但与国家和省、市关于全面推进政务公开的部署要求相比，还存在提升空间。",
        ["s6.text"] = "无。",
    };

    private static Dictionary<string, decimal> Parse(Dictionary<string, Typed> typed)
    {
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (id, cell) in typed)
        {
            var parsed = CellValueParser.ParseCell(cell.Raw, T.CellsById[id], cell.Unit, T.InputMessages);
            Assert.True(parsed.Error is null, $"{id} “{cell.Raw}”: {parsed.Error}");
            values[id] = parsed.Value!.Value;
        }
        return values;
    }

    public static TheoryData<string> Fixtures => ["000", "003"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_fixture_typed_as_printed_has_no_violation_as_entered_or_as_printed(string fixture)
    {
        var values = Parse(fixture == "000" ? Fixture000() : Fixture003());
        var context = new Dictionary<string, bool> { ["mayMakeRules"] = false };

        var entered = RuleEvaluator.Evaluate(T, values, context, EvaluationMode.Entry, Texts);
        Assert.Empty(entered.Violations.Select(v => $"{v.Key} {v.Message}"));

        // As printed: the totals the report prints are checked instead of computed.
        var printed = RuleEvaluator.Evaluate(T, entered.Values, context, EvaluationMode.Printed, Texts);
        Assert.Empty(printed.Violations.Select(v => $"{v.Key} {v.Message}"));
    }

    public static TheoryData<string> TypedCellsOfTableThree => [.. T.Tables["apps"].Cells.Where(c => c.Enterable).Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(TypedCellsOfTableThree))]
    public void Adding_one_to_any_typed_cell_of_fixture_003_fires_exactly_A1_of_its_column_not_again_under_the_total(string cellId)
    {
        var values = Parse(Fixture003());
        values[cellId] += 1;
        var column = T.CellsById[cellId].ColumnId;
        var violations = RuleEvaluator.Evaluate(T, values, new Dictionary<string, bool> { ["mayMakeRules"] = false }, EvaluationMode.Entry, Texts).Violations;
        Assert.Equal([$"A1:{column}"], violations.Select(v => v.Key));
        Assert.All(violations, v => Assert.EndsWith("相差1", v.Message));
    }

    [Theory]
    [InlineData(EvaluationMode.Entry)]
    [InlineData(EvaluationMode.Printed)]
    public void A_value_handed_in_for_a_not_applicable_cell_is_never_part_of_the_evaluation(EvaluationMode mode)
    {
        // E.g. an import or a hand-made record that carries a number where the format has none.
        var values = RuleEvaluator.WithTotals(T, Parse(Fixture003()));
        values["a20_8.fees.na"] = 5;
        values["a20_9.procurement.na"] = 0;
        var result = RuleEvaluator.Evaluate(T, values, new Dictionary<string, bool> { ["mayMakeRules"] = false }, mode, Texts);
        Assert.False(result.Values.ContainsKey("a20_8.fees.na"));
        Assert.False(result.Values.ContainsKey("a20_9.procurement.na"));
        Assert.Empty(result.Violations);
    }

    [Fact]
    public void Fixture_003_gives_the_printed_totals_and_keeps_the_amount_in_yuan_as_printed()
    {
        var typed = Fixture003();
        var values = RuleEvaluator.WithTotals(T, Parse(typed));
        // The 总计 column and the （七）总计 row as printed in 003.
        Assert.Equal([8m, 0m, 5m, 0m, 1m, 2m, 8m, 8m, 0m],
            new[] { "apps.new.tot", "apps.carry_in.tot", "apps.r1.tot", "apps.r2.tot", "apps.r3_5.tot", "apps.r4_1.tot", "apps.r7.np", "apps.r7.tot", "apps.carry_out.tot" }
                .Select(id => values[id]));
        Assert.Equal(-649m, values["a20_5.licensing.change"]);

        // 21174299 元 is 2117.4299 万元 for sums and comparisons, and is shown again as printed.
        var amount = T.CellsById["a20_9.procurement.amount"];
        Assert.Equal(2117.4299m, values[amount.Id]);
        Assert.Equal("21174299", CellValueParser.FormatValue(values[amount.Id], amount.Kind, "yuan"));
        Assert.Equal("2117.4299", CellValueParser.FormatValue(values[amount.Id], amount.Kind, "wanyuan"));
        Assert.Equal("4.651", CellValueParser.FormatValue(Parse(Fixture000())[amount.Id], amount.Kind, "wanyuan"));
        Assert.False(values.ContainsKey("a20_9.procurement.na"));
        Assert.False(values.ContainsKey("a20_8.fees.na"));
    }
}
