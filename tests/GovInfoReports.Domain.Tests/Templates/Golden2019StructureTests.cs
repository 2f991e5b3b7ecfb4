using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Templates;

/// <summary>
/// The 2019 format (《中华人民共和国政府信息公开工作年度报告格式（试行）》, 国办公开办函〔2019〕60号; report years
/// 2019–2020) typed by hand from the spec (template-spec.md §1, §4, §6, §7, as printed in fixtures 000 and 003),
/// never read from src/: labels, merged headers, the row tree, and which cells are enterable, computed or not
/// applicable. Notation: text[colspan,rowspan].
/// </summary>
public sealed class Golden2019StructureTests
{
    private static readonly ReportTemplate T = TestData.Template2019;

    private static string Row(IEnumerable<LayoutCell> cells) => string.Join(" | ", cells.Select(c => $"{c.Text}[{c.ColSpan},{c.RowSpan}]"));

    [Fact]
    public void The_six_sections_have_the_same_headings_as_in_2021()
    {
        Assert.Equal(
            ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"],
            T.Sections.Select(s => s.Heading));
        Assert.Equal([SectionKind.Narrative, SectionKind.Tables, SectionKind.Tables, SectionKind.Tables, SectionKind.Narrative, SectionKind.Narrative],
            T.Sections.Select(s => s.Kind));
        Assert.Equal("国办公开办函〔2019〕60号《中华人民共和国政府信息公开工作年度报告格式（试行）》", T.Basis);
    }

    [Fact]
    public void Section_two_is_five_article_20_blocks_with_the_2019_columns()
    {
        var s2 = T.FindSection("s2")!;
        var blocks = s2.Tables.Select(t => TableLayouts.For(s2, t)).ToList();
        Assert.Equal(5, blocks.Count);

        Assert.Equal("第二十条第（一）项[4,1]", Row(blocks[0].HeaderRows[0]));
        Assert.Equal("信息内容[1,1] | 本年新制作数量[1,1] | 本年新公开数量[1,1] | 对外公开总数量[1,1]", Row(blocks[0].HeaderRows[1]));
        Assert.Equal(["规章", "规范性文件"], blocks[0].BodyRows.Select(r => r.Labels.Single().Text));

        Assert.Equal("第二十条第（五）项[4,1]", Row(blocks[1].HeaderRows[0]));
        Assert.Equal("信息内容[1,1] | 上一年项目数量[1,1] | 本年增/减[1,1] | 处理决定数量[1,1]", Row(blocks[1].HeaderRows[1]));
        Assert.Equal(["行政许可", "其他对外管理服务事项"], blocks[1].BodyRows.Select(r => r.Labels.Single().Text));

        Assert.Equal("第二十条第（六）项[4,1]", Row(blocks[2].HeaderRows[0]));
        Assert.Equal("信息内容[1,1] | 上一年项目数量[1,1] | 本年增/减[1,1] | 处理决定数量[1,1]", Row(blocks[2].HeaderRows[1]));
        Assert.Equal(["行政处罚", "行政强制"], blocks[2].BodyRows.Select(r => r.Labels.Single().Text));

        // （八） and （九） use two value columns; the third is part of the grid, blank, not applicable.
        Assert.Equal("第二十条第（八）项[4,1]", Row(blocks[3].HeaderRows[0]));
        Assert.Equal("信息内容[1,1] | 上一年项目数量[1,1] | 本年增/减[1,1] | [1,1]", Row(blocks[3].HeaderRows[1]));
        Assert.Equal(["行政事业性收费"], blocks[3].BodyRows.Select(r => r.Labels.Single().Text));

        Assert.Equal("第二十条第（九）项[4,1]", Row(blocks[4].HeaderRows[0]));
        Assert.Equal("信息内容[1,1] | 采购项目数量[1,1] | 采购总金额[1,1] | [1,1]", Row(blocks[4].HeaderRows[1]));
        Assert.Equal(["政府集中采购"], blocks[4].BodyRows.Select(r => r.Labels.Single().Text));
        Assert.All(blocks, b => Assert.All(b.BodyRows, r => Assert.Equal(3, r.Values.Count)));
    }

    [Fact]
    public void Section_two_has_22_enterable_cells_five_signed_two_not_applicable_and_one_amount_with_a_unit_choice()
    {
        var cells = T.FindSection("s2")!.Tables.SelectMany(t => t.Cells).ToList();
        Assert.Equal(24, cells.Count);
        Assert.Equal(22, cells.Count(c => c.Enterable));
        Assert.DoesNotContain(cells, c => c.Computed);
        Assert.Equal(["a20_8.fees.na", "a20_9.procurement.na"], cells.Where(c => c.NotApplicable).Select(c => c.Id));
        Assert.Equal(["a20_5.licensing.change", "a20_5.other_services.change", "a20_6.penalty.change", "a20_6.coercion.change", "a20_8.fees.change"],
            cells.Where(c => c.Kind.Signed).Select(c => c.Id));
        var amount = Assert.Single(cells, c => c.Kind.Units.Count > 0);
        Assert.Equal("a20_9.procurement.amount", amount.Id);
        Assert.Equal("万元", amount.Kind.Unit); // the normalised unit of sums and comparisons
        Assert.Equal(6, amount.Kind.Scale);
        Assert.Equal(["元 2", "万元 6"], amount.Kind.Units.Select(u => $"{u.Label} {u.Scale}"));
        // Every other cell is a count in 件.
        Assert.All(cells.Where(c => c != amount), c => Assert.Equal(("件", 0), (c.Kind.Unit, c.Kind.Scale)));
        Assert.Equal("行政事业性收费，（不适用）", T.CellsById["a20_8.fees.na"].AccessibleName);
        Assert.Equal("行政许可，本年增/减", T.CellsById["a20_5.licensing.change"].AccessibleName);
    }

    [Fact]
    public void Table_three_has_the_same_merged_header_as_2021()
    {
        var layout = TableLayouts.Grid(T.Tables["apps"]);
        Assert.Equal(3, layout.HeaderRows.Count);
        Assert.Equal("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）[3,3] | 申请人情况[7,1]", Row(layout.HeaderRows[0]));
        Assert.Equal("自然人[1,2] | 法人或其他组织[5,1] | 总计[1,2]", Row(layout.HeaderRows[1]));
        Assert.Equal("商业企业[1,1] | 科研机构[1,1] | 社会公益组织[1,1] | 法律服务机构[1,1] | 其他[1,1]", Row(layout.HeaderRows[2]));
    }

    [Fact]
    public void Table_three_rows_are_the_23_rows_of_2019_with_other_handling_as_one_row()
    {
        var layout = TableLayouts.Grid(T.Tables["apps"]);
        string[] expected =
        [
            "一、本年新收政府信息公开申请数量[3,1]",
            "二、上年结转政府信息公开申请数量[3,1]",
            "三、本年度办理结果[1,20] | （一）予以公开[2,1]",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）[2,1]",
            "（三）不予公开[1,8] | 1.属于国家秘密[1,1]",
            "2.其他法律行政法规禁止公开[1,1]",
            "3.危及“三安全一稳定”[1,1]",
            "4.保护第三方合法权益[1,1]",
            "5.属于三类内部事务信息[1,1]",
            "6.属于四类过程性信息[1,1]",
            "7.属于行政执法案卷[1,1]",
            "8.属于行政查询事项[1,1]",
            "（四）无法提供[1,3] | 1.本机关不掌握相关政府信息[1,1]",
            "2.没有现成信息需要另行制作[1,1]",
            "3.补正后申请内容仍不明确[1,1]",
            "（五）不予处理[1,5] | 1.信访举报投诉类申请[1,1]",
            "2.重复申请[1,1]",
            "3.要求提供公开出版物[1,1]",
            "4.无正当理由大量反复申请[1,1]",
            "5.要求行政机关确认或重新出具已获取信息[1,1]",
            "（六）其他处理[2,1]",
            "（七）总计[2,1]",
            "四、结转下年度继续办理[3,1]",
        ];
        Assert.Equal(expected, layout.BodyRows.Select(r => Row(r.Labels)));
        Assert.All(layout.BodyRows, r => Assert.Equal(7, r.Values.Count));
        Assert.Equal(161, T.Tables["apps"].Cells.Count);
    }

    [Fact]
    public void Table_three_totals_are_computed_and_other_handling_is_a_leaf_of_the_total()
    {
        var apps = T.Tables["apps"];
        var computed = apps.Cells.Where(c => c.Computed).Select(c => c.Id).ToHashSet();
        // The 总计 column of every row and the （七）总计 row of every column: 23 + 7 − 1 = 29 cells.
        Assert.Equal(29, computed.Count);
        Assert.DoesNotContain("apps.r6.np", computed);
        var a3 = T.Rules.Single(r => r.Key == "A3:np");
        Assert.Equal("apps.r7.np", a3.Lhs.Single().CellId);
        Assert.Contains("apps.r6.np", a3.Rhs.Select(t => t.CellId));
        Assert.Equal(19, a3.Rhs.Count);
        Assert.All(apps.Cells, c => Assert.False(c.NotApplicable));
    }

    [Fact]
    public void Table_four_is_the_same_fifteen_cells_as_in_2021()
    {
        var lit = T.Tables["lit"];
        var layout = TableLayouts.Grid(lit);
        Assert.Equal("行政复议[5,1] | 行政诉讼[10,1]", Row(layout.HeaderRows[0]));
        Assert.Equal("结果维持[1,2] | 结果纠正[1,2] | 其他结果[1,2] | 尚未审结[1,2] | 总计[1,2] | 未经复议直接起诉[5,1] | 复议后起诉[5,1]",
            Row(layout.HeaderRows[1]));
        Assert.Equal("结果维持[1,1] | 结果纠正[1,1] | 其他结果[1,1] | 尚未审结[1,1] | 总计[1,1] | 结果维持[1,1] | 结果纠正[1,1] | 其他结果[1,1] | 尚未审结[1,1] | 总计[1,1]",
            Row(layout.HeaderRows[2]));
        Assert.Equal(15, Assert.Single(layout.BodyRows).Values.Count);
        Assert.Equal(["lit.all.rv_tot", "lit.all.ld_tot", "lit.all.la_tot"], lit.Cells.Where(c => c.Computed).Select(c => c.Id));
    }

    [Fact]
    public void Cells_the_two_formats_share_keep_the_same_ids_so_carry_over_comparisons_and_open_data_line_up()
    {
        var t2021 = TestData.Template2021;
        string[] Ids(ReportTemplate t, string table) => t.Tables[table].Cells.Select(c => c.Id).ToArray();
        Assert.Equal(Ids(t2021, "lit"), Ids(T, "lit"));
        // 表三: every cell but （六）'s rows is shared; 2019 has r6 where 2021 has r6_1…r6_3.
        Assert.Equal(Ids(t2021, "apps").Where(id => !id.StartsWith("apps.r6_", StringComparison.Ordinal)),
            Ids(T, "apps").Where(id => !id.StartsWith("apps.r6.", StringComparison.Ordinal)));
        foreach (var id in Ids(T, "apps").Where(t2021.CellsById.ContainsKey))
            Assert.Equal(t2021.CellsById[id].AccessibleName, T.CellsById[id].AccessibleName);
        // 二: the same decisions counted under the same ids; what differs has its own ids.
        Assert.Equal(["a20_5.licensing.decisions", "a20_6.penalty.decisions", "a20_6.coercion.decisions"],
            T.FindSection("s2")!.Tables.SelectMany(t => t.Cells).Select(c => c.Id).Where(t2021.CellsById.ContainsKey));
        Assert.Equal(t2021.Definition.CarryOver, T.Definition.CarryOver);
        Assert.Equal(t2021.Definition.KeyFigures.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={string.Join(",", kv.Value)}"),
            T.Definition.KeyFigures.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={string.Join(",", kv.Value)}"));
    }

    [Fact]
    public void The_2019_rules_are_the_identity_every_total_C2_and_C3()
    {
        Assert.Equal(["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "N0", "C4", "X1", "N12", "N10", "X3", "X6"],
            T.Definition.Rules.Select(r => r.Id));
        Assert.Equal(7, T.Rules.Count(r => r.RuleId == "A1"));
        Assert.Equal(["C2:a20_5.licensing", "C2:a20_5.other_services", "C2:a20_6.penalty", "C2:a20_6.coercion", "C2:a20_8.fees"],
            T.Rules.Where(r => r.RuleId == "C2").Select(r => r.Key));
        Assert.All(T.Rules.Where(r => r.RuleId == "C2"), r => Assert.Equal(Severity.Error, r.Severity));
        Assert.Equal(["C3:rules", "C3:normative"], T.Rules.Where(r => r.RuleId == "C3").Select(r => r.Key));
        Assert.All(T.Rules.Where(r => r.RuleId == "C3"), r => Assert.Equal(Severity.Warning, r.Severity));
        // Completeness asks for the 22 enterable cells of 二, never a not-applicable one.
        Assert.Equal(22, T.Rules.Where(r => r.RuleId == "C1").Sum(r => r.Cells.Count));
    }
}
