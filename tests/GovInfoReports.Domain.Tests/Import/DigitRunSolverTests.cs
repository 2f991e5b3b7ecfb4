using GovInfoReports.Domain.Import;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Import;

/// <summary>
/// Rows printed without separators, split by the template's arithmetic alone (issue 10). Every expected value is worked
/// out by hand from the digits and the rules (表三 A1–A3, A5; 表四 B1–B3; 2019 C2), never read from the solver.
/// </summary>
public sealed class DigitRunSolverTests
{
    private static readonly ReportTemplate T2021 = TestData.Template2021;
    private static readonly ReportTemplate T2019 = TestData.Template2019;
    private static readonly string[] AppsColumns = ["np", "biz", "res", "ngo", "law", "oth", "tot"];
    private static readonly Dictionary<string, decimal> Nothing = [];

    private static DigitRun AppsRun(string row, params string[] tokens) =>
        new("apps", AppsColumns.Select(c => $"apps.{row}.{c}").ToList(), tokens, string.Join(" ", tokens), 1);

    private static IEnumerable<KeyValuePair<string, decimal>> AppsRow(string row, params decimal[] values) =>
        AppsColumns.Zip(values, (c, v) => new KeyValuePair<string, decimal>($"apps.{row}.{c}", v));

    private static DigitRun LitRun(string digits) =>
        new("lit", new[] { "rv_keep", "rv_fix", "rv_oth", "rv_pend", "rv_tot", "ld_keep", "ld_fix", "ld_oth", "ld_pend", "ld_tot",
                    "la_keep", "la_fix", "la_oth", "la_pend", "la_tot" }.Select(c => $"lit.all.{c}").ToList(), [digits], digits, 1);

    [Fact]
    public void A_table_three_printed_as_runs_resolves_every_row_from_the_row_totals_and_the_known_column_totals()
    {
        // 表三 of a 2021 report: 一 36|12|0|0|1|0|49 new applications, nothing carried in or out; 予以公开 35|2|0|0|1|0|38,
        // 部分公开 1|10|0|0|0|0|11, every other outcome 0. 总计 and the carry rows were printed with separators.
        var known = new Dictionary<string, decimal>(
            AppsRow("carry_in", 0, 0, 0, 0, 0, 0, 0)
            .Concat(AppsRow("r7", 36, 12, 0, 0, 1, 0, 49))
            .Concat(AppsRow("carry_out", 0, 0, 0, 0, 0, 0, 0)));
        string[] zeroRows = ["r3_1", "r3_2", "r3_3", "r3_4", "r3_5", "r3_6", "r3_7", "r3_8", "r4_1", "r4_2", "r4_3",
                             "r5_1", "r5_2", "r5_3", "r5_4", "r5_5", "r6_1", "r6_2", "r6_3"];
        var runs = new List<DigitRun> { AppsRun("new", "3612001049"), AppsRun("r1", "352001038"), AppsRun("r2", "110000011") };
        runs.AddRange(zeroRows.Select(r => AppsRun(r, "0000000")));

        var solution = DigitRunSolver.Solve(T2021, "apps", known, runs);

        // "110000011" alone balances as 1|10|…|11 and as 11|0|…|11; the 申请人 column totals (r7 np 36 = 35 + r2 np)
        // leave only the first. "352001038" balances only as 35|2|0|0|1|0|38 (38 = 35+2+1; with a 总计 of 8 the six
        // would come from "35200103" with two values of two digits, more than 8).
        var expected = AppsRow("new", 36, 12, 0, 0, 1, 0, 49)
            .Concat(AppsRow("r1", 35, 2, 0, 0, 1, 0, 38))
            .Concat(AppsRow("r2", 1, 10, 0, 0, 0, 0, 11))
            .Concat(zeroRows.SelectMany(r => AppsRow(r, 0, 0, 0, 0, 0, 0, 0)))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, solution.Inferred.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Empty(solution.Ambiguous);
        Assert.Empty(solution.Unresolved);
        Assert.Equal(1, solution.Solutions);
        Assert.False(solution.Truncated);
    }

    [Fact]
    public void A_row_whose_two_splits_both_balance_is_ambiguous_in_the_cells_that_differ_and_inferred_in_the_others()
    {
        var solution = DigitRunSolver.Solve(T2021, "apps", Nothing, [AppsRun("r2", "110000011")]);

        Assert.Equal([1m, 11m], solution.Ambiguous["apps.r2.np"]);
        Assert.Equal([0m, 10m], solution.Ambiguous["apps.r2.biz"]);
        Assert.Equal(2, solution.Ambiguous.Count);
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["apps.r2.res"] = 0, ["apps.r2.ngo"] = 0, ["apps.r2.law"] = 0, ["apps.r2.oth"] = 0, ["apps.r2.tot"] = 11,
        }, solution.Inferred);
        Assert.Equal(2, solution.Solutions);
    }

    [Theory]
    // 10|5|12|0|8|1 = 36; 1|05|1|20|8|1|36 would balance too, but "05" is not a printed number.
    [InlineData("1051208136", "10|5|12|0|8|1|36")]
    // 5|5|0|0|0|0|10; the other cuts with no leading zero are 55|0|0|0|0|1|0 and 5|50|0|0|0|1|0, which do not balance.
    [InlineData("55000010", "5|5|0|0|0|0|10")]
    // 10|0|0|0|0|0|10; 100|0|0|0|0|1|0 does not balance and no other cut avoids a leading zero.
    [InlineData("100000010", "10|0|0|0|0|0|10")]
    public void The_leading_zero_rule_and_the_row_total_leave_exactly_one_split(string digits, string expected)
    {
        var solution = DigitRunSolver.Solve(T2021, "apps", Nothing, [AppsRun("r1", digits)]);

        Assert.Equal(expected, string.Join("|", AppsColumns.Select(c => solution.Inferred[$"apps.r1.{c}"])));
        Assert.Empty(solution.Ambiguous);
        Assert.Equal(1, solution.Solutions);
    }

    [Fact]
    public void Seventeen_digits_over_the_fifteen_cells_of_table_four_resolve_when_only_one_split_balances_B1_to_B3()
    {
        // 行政复议 12|0|3|0|15, 行政诉讼未经复议 0|0|0|0|0, 复议后起诉 2|0|0|1|3: two of the 15 values have two digits.
        // Other cuts of "1203015" that balance none: 1|20|3|0|15 (24 ≠ 15), 1|20|30|1|5 …; "000002" forces zeros.
        var solution = DigitRunSolver.Solve(T2021, "lit", Nothing, [LitRun("12030150000020013")]);

        Assert.Equal(new Dictionary<string, decimal>
        {
            ["lit.all.rv_keep"] = 12, ["lit.all.rv_fix"] = 0, ["lit.all.rv_oth"] = 3, ["lit.all.rv_pend"] = 0, ["lit.all.rv_tot"] = 15,
            ["lit.all.ld_keep"] = 0, ["lit.all.ld_fix"] = 0, ["lit.all.ld_oth"] = 0, ["lit.all.ld_pend"] = 0, ["lit.all.ld_tot"] = 0,
            ["lit.all.la_keep"] = 2, ["lit.all.la_fix"] = 0, ["lit.all.la_oth"] = 0, ["lit.all.la_pend"] = 1, ["lit.all.la_tot"] = 3,
        }, solution.Inferred);
        Assert.Empty(solution.Ambiguous);
        Assert.Equal(1, solution.Solutions);
    }

    [Fact]
    public void Table_four_digits_that_balance_two_ways_give_both_candidates_of_each_differing_cell_and_infer_the_rest()
    {
        // 1|10|0|2|13 and 11|0|0|2|13 both satisfy B1 (13 = 1+10+0+2 = 11+0+0+2); the rest is 0|0|0|0|0 and 1|0|0|0|1.
        var solution = DigitRunSolver.Solve(T2021, "lit", Nothing, [LitRun("11002130000010001")]);

        Assert.Equal(2, solution.Solutions);
        Assert.Equal(["lit.all.rv_fix", "lit.all.rv_keep"], solution.Ambiguous.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([1m, 11m], solution.Ambiguous["lit.all.rv_keep"]);
        Assert.Equal([0m, 10m], solution.Ambiguous["lit.all.rv_fix"]);
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["lit.all.rv_oth"] = 0, ["lit.all.rv_pend"] = 2, ["lit.all.rv_tot"] = 13,
            ["lit.all.ld_keep"] = 0, ["lit.all.ld_fix"] = 0, ["lit.all.ld_oth"] = 0, ["lit.all.ld_pend"] = 0, ["lit.all.ld_tot"] = 0,
            ["lit.all.la_keep"] = 1, ["lit.all.la_fix"] = 0, ["lit.all.la_oth"] = 0, ["lit.all.la_pend"] = 0, ["lit.all.la_tot"] = 1,
        }, solution.Inferred);
    }

    [Fact]
    public void A_run_no_split_satisfies_is_unresolved_while_an_independent_run_still_resolves()
    {
        // "80000008" over 7 cells: 80|0|0|0|0|0|8 does not balance (80 ≠ 8) and 8|0|0|0|0|0|08 has a leading zero.
        // Without 总计 and the other outcome rows, A3 cannot be judged: r1 and r2 are independent.
        var bad = AppsRun("r1", "80000008");
        var solution = DigitRunSolver.Solve(T2021, "apps", Nothing, [bad, AppsRun("r2", "352001038")]);

        Assert.Equal([bad], solution.Unresolved);
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["apps.r2.np"] = 35, ["apps.r2.biz"] = 2, ["apps.r2.res"] = 0, ["apps.r2.ngo"] = 0, ["apps.r2.law"] = 1,
            ["apps.r2.oth"] = 0, ["apps.r2.tot"] = 38,
        }, solution.Inferred);
        Assert.Empty(solution.Ambiguous);
        Assert.Equal(1, solution.Solutions);
    }

    [Fact]
    public void Runs_linked_by_a_column_rule_are_unresolved_together_when_no_joint_split_balances()
    {
        // r7.np is 36 but the outcome rows' np can only be 35 + 11 or 35 + 1 (+0): no joint split satisfies A3:np.
        var known = new Dictionary<string, decimal>(AppsRow("r7", 37, 12, 0, 0, 1, 0, 50));
        string[] zeroRows = ["r3_1", "r3_2", "r3_3", "r3_4", "r3_5", "r3_6", "r3_7", "r3_8", "r4_1", "r4_2", "r4_3",
                             "r5_1", "r5_2", "r5_3", "r5_4", "r5_5", "r6_1", "r6_2", "r6_3"];
        var runs = new List<DigitRun> { AppsRun("r1", "352001038"), AppsRun("r2", "110000011") };
        runs.AddRange(zeroRows.Select(r => AppsRun(r, "0000000")));

        var solution = DigitRunSolver.Solve(T2021, "apps", known, runs);

        Assert.Equal(runs, solution.Unresolved);
        Assert.Empty(solution.Inferred);
        Assert.Empty(solution.Ambiguous);
        Assert.Equal(0, solution.Solutions);
    }

    [Fact]
    public void A_row_without_any_rule_gives_every_split_as_candidates_and_infers_nothing()
    {
        // 2021 第二十条第（一）项 规章 row (制发, 废止, 现行有效); its only rule (C4) is a warning with a condition.
        // "6023": 6|0|23 and 60|2|3; 6|02|3 has a leading zero.
        var run = new DigitRun("a20_1", ["a20_1.rules.issued", "a20_1.rules.repealed", "a20_1.rules.in_force"], ["6023"], "6023", 1);

        var solution = DigitRunSolver.Solve(T2021, "a20_1", Nothing, [run]);

        Assert.Empty(solution.Inferred);
        Assert.Equal([6m, 60m], solution.Ambiguous["a20_1.rules.issued"]);
        Assert.Equal([0m, 2m], solution.Ambiguous["a20_1.rules.repealed"]);
        Assert.Equal([3m, 23m], solution.Ambiguous["a20_1.rules.in_force"]);
        Assert.Equal(2, solution.Solutions);
        Assert.False(solution.Truncated);
    }

    [Fact]
    public void A_2019_signed_change_takes_the_minus_sign_of_its_token_and_C2_keeps_the_changes_that_leave_no_negative_count()
    {
        // 行政许可: 上一年项目数量 4791, then "-6494142" = 本年增/减 and 处理决定数量. "4791" cannot hold two values
        // (处理决定数量 would then be -6494142, and it is not signed), so 上一年 is 4791; C2 (4791 + change ≥ 0) keeps
        // -6|494142, -64|94142, -649|4142 and refuses -6494|142, -64941|42, -649414|2.
        var run = new DigitRun("a20_5", ["a20_5.licensing.prev", "a20_5.licensing.change", "a20_5.licensing.decisions"],
            ["4791", "-6494142"], "4791 -6494142", 1);

        var solution = DigitRunSolver.Solve(T2019, "a20_5", Nothing, [run]);

        Assert.Equal(new Dictionary<string, decimal> { ["a20_5.licensing.prev"] = 4791 }, solution.Inferred);
        Assert.Equal([-649m, -64m, -6m], solution.Ambiguous["a20_5.licensing.change"]);
        Assert.Equal([4142m, 94142m, 494142m], solution.Ambiguous["a20_5.licensing.decisions"]);
        Assert.Equal(3, solution.Solutions);
    }

    [Fact]
    public void A_minus_sign_before_an_unsigned_cell_and_a_decimal_point_in_a_count_admit_no_split()
    {
        // 2021 第二十条第（一）项: every cell is a count (unsigned, no decimals).
        string[] cells = ["a20_1.rules.issued", "a20_1.rules.repealed", "a20_1.rules.in_force"];
        var negative = new DigitRun("a20_1", cells, ["12", "-3"], "12 -3", 1);
        var fraction = new DigitRun("a20_1", cells.Take(2).ToList(), ["1.5", "2"], "1.5 2", 2);

        Assert.Equal([negative], DigitRunSolver.Solve(T2021, "a20_1", Nothing, [negative]).Unresolved);
        Assert.Equal([fraction], DigitRunSolver.Solve(T2021, "a20_1", Nothing, [fraction]).Unresolved);
    }

    [Fact]
    public void A_minus_sign_before_a_zero_is_no_printed_value_even_in_a_signed_cell()
    {
        // 2019 行政许可 47 | -0 | 5: the parser reads "-0" as 0, but a printed minus sign announces a decrease.
        var run = new DigitRun("a20_5", ["a20_5.licensing.prev", "a20_5.licensing.change", "a20_5.licensing.decisions"],
            ["47", "-0", "5"], "47 -0 5", 1);

        Assert.Equal([run], DigitRunSolver.Solve(T2019, "a20_5", Nothing, [run]).Unresolved);
    }

    [Fact]
    public void A_money_token_is_one_value_and_is_never_cut()
    {
        // 2021 第二十条第（八）项 行政事业性收费 金额 (万元): "37.5" is one value, not 3|7.5.
        var run = new DigitRun("a20_8", ["a20_8.fees.amount"], ["37.5"], "37.5", 1);

        var solution = DigitRunSolver.Solve(T2021, "a20_8", Nothing, [run]);

        Assert.Equal(new Dictionary<string, decimal> { ["a20_8.fees.amount"] = 37.5m }, solution.Inferred);
    }

    [Fact]
    public void Whole_numbers_are_cut_off_before_a_money_value_but_its_fraction_is_never_cut()
    {
        // Fixture 000 without separators: 政府集中采购 "94.651" (万元 printed after it) is 9 items | 4.651 万元; 94 | .651
        // has no digit before the point.
        var run = new DigitRun("a20_9", ["a20_9.procurement.items", "a20_9.procurement.amount"], ["94.651"], "政府集中采购94.651万元", 1);

        var solution = DigitRunSolver.Solve(T2019, "a20_9", Nothing, [run]);

        Assert.Equal(new Dictionary<string, decimal> { ["a20_9.procurement.items"] = 9, ["a20_9.procurement.amount"] = 4.651m }, solution.Inferred);
        Assert.Empty(solution.Ambiguous);
        // With a longer whole part both cuts are possible: 1 | 24.5 and 12 | 4.5.
        var two = DigitRunSolver.Solve(T2019, "a20_9", Nothing, [run with { Tokens = ["124.5"] }]);
        Assert.Equal([1m, 12m], two.Ambiguous["a20_9.procurement.items"]);
        Assert.Equal([4.5m, 24.5m], two.Ambiguous["a20_9.procurement.amount"]);
    }

    [Fact]
    public void A_search_stopped_at_its_bound_infers_nothing_and_says_it_was_truncated()
    {
        var run = new DigitRun("a20_1", ["a20_1.rules.issued", "a20_1.rules.repealed", "a20_1.rules.in_force"], ["6023"], "6023", 1);

        // One solution kept of the two: the first seen is 6|0|23, and the unseen 60|2|3 would differ in every cell.
        var solution = DigitRunSolver.Solve(T2021, "a20_1", Nothing, [run], new DigitRunLimits { MaxSolutions = 1 });

        Assert.True(solution.Truncated);
        Assert.Empty(solution.Inferred);
        Assert.Equal([6m], solution.Ambiguous["a20_1.rules.issued"]);
        Assert.Equal([0m], solution.Ambiguous["a20_1.rules.repealed"]);
        Assert.Equal([23m], solution.Ambiguous["a20_1.rules.in_force"]);
    }

    [Fact]
    public void A_truncated_table_search_still_infers_the_cells_every_split_of_their_own_row_agrees_on()
    {
        // 19 outcome rows "110000011" (1|10|…|11 or 11|0|…|11) and 一 = 总计 = 119|90|0|0|0|0|209: any 10 of the 19 rows
        // can be the 11s, C(19,10) = 92,378 joint splits, far beyond the 1,000 kept.
        string[] rows = ["r1", "r2", "r3_1", "r3_2", "r3_3", "r3_4", "r3_5", "r3_6", "r3_7", "r3_8", "r4_1", "r4_2", "r4_3",
                         "r5_1", "r5_2", "r5_3", "r5_4", "r5_5", "r6_1"];
        var runs = rows.Select(r => AppsRun(r, "110000011")).ToList();
        runs.AddRange(new[] { "r6_2", "r6_3", "carry_in", "carry_out" }.Select(r => AppsRun(r, "0000000")));
        runs.Add(AppsRun("new", "119900000209"));
        runs.Add(AppsRun("r7", "119900000209"));

        var solution = DigitRunSolver.Solve(T2021, "apps", Nothing, runs);

        Assert.True(solution.Truncated);
        Assert.Equal(1_000, solution.Solutions);
        Assert.Empty(solution.Unresolved);
        // Both splits of "110000011" give res…oth 0 and 总计 11; "0000000" has one split.
        Assert.Equal(0, solution.Inferred["apps.r1.res"]);
        Assert.Equal(11, solution.Inferred["apps.r1.tot"]);
        Assert.Equal(0, solution.Inferred["apps.carry_out.np"]);
        Assert.Equal(0, solution.Inferred["apps.r6_3.tot"]);
        // np and biz differ between the two splits of every such row: never inferred, whatever the search saw.
        Assert.All(rows, r => Assert.False(solution.Inferred.ContainsKey($"apps.{r}.np") || solution.Inferred.ContainsKey($"apps.{r}.biz")));
        Assert.All(rows, r => Assert.True(solution.Ambiguous.ContainsKey($"apps.{r}.np") && solution.Ambiguous.ContainsKey($"apps.{r}.biz")));
    }

    [Fact]
    public void Pathological_runs_of_forty_digits_per_row_return_at_the_node_bound_without_inferring_anything()
    {
        // Three 表三 rows of 40 digits for 7 cells each, no totals known: millions of cuts per row.
        const string digits = "9876543219876543219876543219876543219876";
        var runs = new[] { AppsRun("r3_1", digits), AppsRun("r3_2", digits), AppsRun("r3_3", digits) };

        var solution = DigitRunSolver.Solve(T2021, "apps", Nothing, runs, new DigitRunLimits { MaxNodes = 100_000 });

        Assert.True(solution.Truncated);
        Assert.Empty(solution.Inferred);
    }

    [Fact]
    public void Pathological_runs_finish_under_the_default_bounds()
    {
        const string digits = "9876543219876543219876543219876543219876";
        var runs = new[] { AppsRun("r3_1", digits), AppsRun("r3_2", digits), AppsRun("r3_3", digits) };

        var solution = DigitRunSolver.Solve(T2021, "apps", Nothing, runs);

        // Whatever was found, a run is either unresolved or every one of its cells has candidates; none is inferred
        // unless the search covered every split.
        foreach (var run in runs.Except(solution.Unresolved))
            Assert.All(run.CellIds, id => Assert.True(solution.Inferred.ContainsKey(id) || solution.Ambiguous.ContainsKey(id)));
        if (solution.Truncated) Assert.Empty(solution.Inferred);
    }

    [Fact]
    public void A_run_of_another_table_is_refused()
    {
        var run = AppsRun("r1", "352001038");

        Assert.Throws<ArgumentException>(() => DigitRunSolver.Solve(T2021, "lit", Nothing, [run]));
    }
}
