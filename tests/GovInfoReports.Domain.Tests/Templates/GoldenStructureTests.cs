using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Templates;

/// <summary>
/// The statutory 2021 format typed by hand from the spec (国办公开办函〔2021〕30号 附件, as in
/// template-spec.md §2–§7), never read from src/: headings, labels and merged-header structure.
/// Notation: text[colspan,rowspan].
/// </summary>
public sealed class GoldenStructureTests
{
    private static readonly ReportTemplate T = TestData.Template2021;

    private static string Row(IEnumerable<LayoutCell> cells) => string.Join(" | ", cells.Select(c => $"{c.Text}[{c.ColSpan},{c.RowSpan}]"));

    [Fact]
    public void The_six_sections_have_the_statutory_headings_in_order()
    {
        Assert.Equal(
            ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"],
            T.Sections.Select(s => s.Heading));
    }

    [Fact]
    public void Section_one_offers_the_five_recommended_sub_parts()
    {
        Assert.Equal(["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"],
            T.FindSection("s1")!.Parts.Select(p => p.Heading));
    }

    [Fact]
    public void Section_two_is_four_article_20_blocks_on_one_four_column_grid()
    {
        var s2 = T.FindSection("s2")!;
        var blocks = s2.Tables.Select(t => TableLayouts.For(s2, t)).ToList();
        Assert.Equal(4, blocks.Count);

        Assert.Equal("第二十条第（一）项[4,1]", Row(blocks[0].HeaderRows[0]));
        Assert.Equal("信息内容[1,1] | 本年制发件数[1,1] | 本年废止件数[1,1] | 现行有效件数[1,1]", Row(blocks[0].HeaderRows[1]));
        Assert.Equal(["规章", "行政规范性文件"], blocks[0].BodyRows.Select(r => r.Labels.Single().Text));
        Assert.All(blocks[0].BodyRows, r => Assert.Equal(3, r.Values.Count));

        Assert.Equal("第二十条第（五）项[4,1]", Row(blocks[1].HeaderRows[0]));
        Assert.Equal("信息内容[1,1] | 本年处理决定数量[3,1]", Row(blocks[1].HeaderRows[1]));
        Assert.Equal(["行政许可"], blocks[1].BodyRows.Select(r => r.Labels.Single().Text));

        Assert.Equal("第二十条第（六）项[4,1]", Row(blocks[2].HeaderRows[0]));
        Assert.Equal("信息内容[1,1] | 本年处理决定数量[3,1]", Row(blocks[2].HeaderRows[1]));
        Assert.Equal(["行政处罚", "行政强制"], blocks[2].BodyRows.Select(r => r.Labels.Single().Text));

        Assert.Equal("第二十条第（八）项[4,1]", Row(blocks[3].HeaderRows[0]));
        Assert.Equal("信息内容[1,1] | 本年收费金额（单位：万元）[3,1]", Row(blocks[3].HeaderRows[1]));
        Assert.Equal(["行政事业性收费"], blocks[3].BodyRows.Select(r => r.Labels.Single().Text));
        Assert.Equal(3, blocks[3].BodyRows.Single().ValueColSpan);

        // 10 enterable cells; counts are integers, the fee is money in 万元 exact to the 分 (6 decimals).
        var cells = s2.Tables.SelectMany(t => t.Cells).ToList();
        Assert.Equal(10, cells.Count);
        Assert.Equal(9, cells.Count(c => c.Kind.Unit == "件" && c.Kind.Scale == 0));
        var fee = Assert.Single(cells, c => c.Kind.Unit == "万元");
        Assert.Equal(6, fee.Kind.Scale);
    }

    [Fact]
    public void Table_three_has_the_statutory_merged_header_with_the_note_in_the_corner()
    {
        var layout = TableLayouts.Grid(T.Tables["apps"]);
        Assert.Equal(3, layout.HeaderRows.Count);
        Assert.Equal("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）[3,3] | 申请人情况[7,1]", Row(layout.HeaderRows[0]));
        Assert.Equal("自然人[1,2] | 法人或其他组织[5,1] | 总计[1,2]", Row(layout.HeaderRows[1]));
        Assert.Equal("商业企业[1,1] | 科研机构[1,1] | 社会公益组织[1,1] | 法律服务机构[1,1] | 其他[1,1]", Row(layout.HeaderRows[2]));
    }

    [Fact]
    public void Table_three_rows_are_the_25_statutory_rows_with_their_merged_labels()
    {
        var layout = TableLayouts.Grid(T.Tables["apps"]);
        string[] expected =
        [
            "一、本年新收政府信息公开申请数量[3,1]",
            "二、上年结转政府信息公开申请数量[3,1]",
            "三、本年度办理结果[1,22] | （一）予以公开[2,1]",
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
            "（六）其他处理[1,3] | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请[1,1]",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请[1,1]",
            "3.其他[1,1]",
            "（七）总计[2,1]",
            "四、结转下年度继续办理[3,1]",
        ];
        Assert.Equal(expected, layout.BodyRows.Select(r => Row(r.Labels)));
        Assert.All(layout.BodyRows, r => Assert.Equal(7, r.Values.Count));
        Assert.Equal(175, T.Tables["apps"].Cells.Count);
    }

    [Fact]
    public void Table_three_totals_are_computed_never_typed()
    {
        var apps = T.Tables["apps"];
        var computed = apps.Cells.Where(c => c.Computed).Select(c => c.Id).ToHashSet();
        // The 总计 column of every row and the （七）总计 row of every column: 25 + 7 − 1 = 31 cells.
        Assert.Equal(31, computed.Count);
        Assert.All(apps.LeafRows, r => Assert.Contains($"apps.{r.Id}.tot", computed));
        Assert.All(apps.LeafColumns, c => Assert.Contains($"apps.r7.{c.Id}", computed));
        Assert.DoesNotContain("apps.r1.np", computed);
    }

    [Fact]
    public void Table_four_is_one_row_of_fifteen_under_a_three_level_header()
    {
        var lit = T.Tables["lit"];
        var layout = TableLayouts.Grid(lit);
        Assert.Equal("行政复议[5,1] | 行政诉讼[10,1]", Row(layout.HeaderRows[0]));
        Assert.Equal("结果维持[1,2] | 结果纠正[1,2] | 其他结果[1,2] | 尚未审结[1,2] | 总计[1,2] | 未经复议直接起诉[5,1] | 复议后起诉[5,1]",
            Row(layout.HeaderRows[1]));
        Assert.Equal("结果维持[1,1] | 结果纠正[1,1] | 其他结果[1,1] | 尚未审结[1,1] | 总计[1,1] | 结果维持[1,1] | 结果纠正[1,1] | 其他结果[1,1] | 尚未审结[1,1] | 总计[1,1]",
            Row(layout.HeaderRows[2]));
        var row = Assert.Single(layout.BodyRows);
        Assert.Empty(row.Labels);
        Assert.Equal(15, row.Values.Count);
        Assert.Equal(["lit.all.rv_tot", "lit.all.ld_tot", "lit.all.la_tot"], lit.Cells.Where(c => c.Computed).Select(c => c.Id));
    }

    [Fact]
    public void Every_input_has_an_accessible_name_from_its_row_and_column_labels()
    {
        Assert.Equal("三、本年度办理结果 （三）不予公开 1.属于国家秘密，申请人情况 法人或其他组织 商业企业",
            T.CellsById["apps.r3_1.biz"].AccessibleName);
        Assert.Equal("表四 行政诉讼 复议后起诉 尚未审结", T.CellsById["lit.all.la_pend"].AccessibleName);
        Assert.Equal("规章，本年制发件数", T.CellsById["a20_1.rules.issued"].AccessibleName);
        Assert.Equal(T.Cells.Count, T.Cells.Select(c => c.AccessibleName).Distinct().Count());
    }

    [Fact]
    public void The_2021_template_serves_report_years_from_2021_only()
    {
        var catalog = TemplateCatalog.Load();
        // 2020 takes the 2019 format and ≤ 2018 the pre-2019 free form, since both are loaded (spec §1).
        Assert.Equal("2019", catalog.ForYear(2020)!.Code);
        Assert.Equal("pre2019", catalog.ForYear(2018)!.Code);
        Assert.Equal("2021", catalog.ForYear(2021)!.Code);
        Assert.Equal("2021", catalog.ForYear(2025)!.Code);
    }
}
