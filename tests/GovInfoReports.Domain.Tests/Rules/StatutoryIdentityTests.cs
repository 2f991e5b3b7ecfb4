using FsCheck;
using FsCheck.Fluent;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Rules;

/// <summary>A1: 一 + 二 = 三（七）总计 + 四 for every column of 表三 (国办公开办函〔2021〕30号, 表三 note).</summary>
public sealed class StatutoryIdentityTests
{
    private static readonly ReportTemplate T = TestData.Template2021;
    private static readonly Dictionary<string, bool> NoRulePower = new() { ["mayMakeRules"] = false };

    /// <summary>Fixture 002 (获嘉县人民政府办公室 2022) as published: every typed cell filled, balanced.</summary>
    private static Dictionary<string, decimal> Fixture002() => TestData.Fixture002(T);

    public static IEnumerable<object[]> TypedCellsOfTableThree() =>
        T.Tables["apps"].Cells.Where(c => !c.Computed).Select(c => new object[] { c.Id });

    [Fact]
    public void Fixture_002_as_published_has_no_violation()
    {
        Assert.Empty(RuleEvaluator.Evaluate(T, Fixture002(), NoRulePower).Violations);
    }

    [Theory]
    [MemberData(nameof(TypedCellsOfTableThree))]
    public void Adding_one_to_any_typed_cell_fires_exactly_A1_of_its_column_with_difference_1_and_not_again_under_the_total(string cellId)
    {
        var values = Fixture002();
        values[cellId] += 1;
        var column = T.CellsById[cellId].ColumnId;

        var violations = RuleEvaluator.Evaluate(T, values, NoRulePower).Violations;

        Assert.Equal([$"A1:{column}"], violations.Select(v => v.Key));
        Assert.All(violations, v =>
        {
            Assert.Equal(Severity.Error, v.Severity);
            Assert.EndsWith("相差1", v.Message);
        });
        var columnLabel = T.Tables["apps"].LeafColumns.Single(c => c.Id == column).Label;
        Assert.Contains(violations, v => v.Message.StartsWith($"表三 {columnLabel}列：", StringComparison.Ordinal));
    }

    [Fact]
    public void Random_balanced_matrices_pass_every_rule()
    {
        var apps = T.Tables["apps"];
        var outcomeRows = apps.LeafRows.Select(r => r.Id!).Where(id => id.StartsWith('r') && id != "r7").ToArray();
        var columns = apps.LeafColumns.Select(c => c.Id!).Where(id => id != "tot").ToArray();

        // Per column: choose the outcomes and what is carried out; derive 一 and 二 so that A1 holds.
        var matrix = Gen.Choose(0, 500).ArrayOf(outcomeRows.Length + 2).ArrayOf(columns.Length)
            .Where(m => m.Length == columns.Length && m.All(col => col.Length == outcomeRows.Length + 2));

        Prop.ForAll(matrix.ToArbitrary(), m =>
        {
            var values = Fixture002();
            for (var c = 0; c < columns.Length; c++)
            {
                var col = m[c];
                for (var r = 0; r < outcomeRows.Length; r++) values[$"apps.{outcomeRows[r]}.{columns[c]}"] = col[r];
                var handled = col.Take(outcomeRows.Length).Sum();
                var carriedOut = col[outcomeRows.Length];
                var total = handled + carriedOut;
                var carriedIn = Math.Min(col[outcomeRows.Length + 1], total);
                values[$"apps.carry_out.{columns[c]}"] = carriedOut;
                values[$"apps.carry_in.{columns[c]}"] = carriedIn;
                values[$"apps.new.{columns[c]}"] = total - carriedIn;
            }
            var result = RuleEvaluator.Evaluate(T, values, NoRulePower);
            return result.Violations.Count == 0
                && result.Values["apps.r7.tot"] + result.Values["apps.carry_out.tot"] == result.Values["apps.new.tot"] + result.Values["apps.carry_in.tot"];
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Printed_totals_are_checked_when_importing_a_printed_report()
    {
        var values = Fixture002();
        values["apps.r1.tot"] = 5; // printed total disagrees with the row (6)
        values["apps.r7.np"] = 8;
        values["apps.r7.tot"] = 8;
        values["apps.new.tot"] = 8;
        foreach (var cell in T.Cells.Where(c => c.Computed && !values.ContainsKey(c.Id))) values[cell.Id] = 0;
        values["apps.r2.tot"] = 1;
        values["apps.r3_7.tot"] = 1;

        var violations = RuleEvaluator.Evaluate(T, values, NoRulePower, EvaluationMode.Printed).Violations;

        var a2 = Assert.Single(violations, v => v.RuleId == "A2");
        Assert.Equal("表三 三（一）行：总计（5）应等于各类申请人之和6，相差1", a2.Message);
        var a3 = Assert.Single(violations, v => v.RuleId == "A3");
        Assert.Equal("A3:tot", a3.Key);
    }
}
