using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Templates;

/// <summary>
/// The pre-2019 free form (report years 2008–2018, 《条例》（国务院令第492号）第三十一、三十二条) typed by hand
/// from template-spec.md §5, never read from src/: one narrative text under the agency's own headings (the six
/// customary ones as defaults) and an optional key-figure sheet in the old statistics vocabulary, with soft
/// checks K1–K4 as warnings. It is never mapped onto the 2019/2021 tables. Notation: text[colspan,rowspan].
/// </summary>
public sealed class GoldenPre2019StructureTests
{
    private static readonly TemplateCatalog Catalog = TemplateCatalog.Load();
    private static readonly ReportTemplate T = Catalog.Get("pre2019")!;

    private static string Row(IEnumerable<LayoutCell> cells) => string.Join(" | ", cells.Select(c => $"{c.Text}[{c.ColSpan},{c.RowSpan}]"));

    [Fact]
    public void Report_years_2008_to_2018_use_the_free_form_and_2019_does_not()
    {
        Assert.Equal("pre2019", Catalog.ForYear(2008)!.Code);
        Assert.Equal("pre2019", Catalog.ForYear(2016)!.Code);
        Assert.Equal("pre2019", Catalog.ForYear(2018)!.Code);
        Assert.NotEqual("pre2019", Catalog.ForYear(2019)?.Code);
        Assert.Null(Catalog.ForYear(2007));
        Assert.Equal("《中华人民共和国政府信息公开条例》（国务院令第492号）第三十一条、第三十二条", T.Basis);
    }

    [Fact]
    public void The_text_starts_with_an_opening_and_the_six_customary_headings_and_prints_no_heading_of_its_own()
    {
        var text = T.Sections[0];
        Assert.Equal(SectionKind.Narrative, text.Kind);
        Assert.False(text.PrintHeading);
        Assert.NotNull(text.Opening);
        Assert.Null(text.Opening!.Heading);
        Assert.Equal(["一、概述", "二、主动公开政府信息情况", "三、政府信息依申请公开情况", "四、政府信息公开收费及减免情况",
                      "五、行政复议和行政诉讼情况", "六、存在的主要问题和改进措施"],
            text.Parts.Select(p => p.Heading));
    }

    [Fact]
    public void The_agency_may_rename_remove_and_add_parts_of_a_2016_report()
    {
        var region = new Region("410724", "获嘉县", RegionLevel.County, null);
        var agency = new Agency(UnifiedSocialCreditCode.Complete("11410724MB0000037"), "获嘉县教育局", AgencyKind.Department, region, null, mayMakeRules: false);
        var report = new Report(agency, 2016, T, DateTimeOffset.UnixEpoch);
        var s1 = report.Parts("s1");
        report.SetParts("s1",
        [
            .. s1.Take(3).Select(p => new PartInput(p.Id, p.Heading, "文字。")),
            new PartInput(s1[3].Id, "三、依申请公开政府信息情况", "文字。"),
            .. s1.Skip(4).Select(p => new PartInput(p.Id, p.Heading, "文字。")),
            new PartInput(null, "七、其他需要报告的事项", "无。"),
        ], DateTimeOffset.UnixEpoch);
        Assert.Equal([null, "一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、政府信息公开收费及减免情况",
                      "五、行政复议和行政诉讼情况", "六、存在的主要问题和改进措施", "七、其他需要报告的事项"],
            report.Parts("s1").Select(p => p.Heading));
    }

    [Fact]
    public void The_key_figure_sheet_is_optional_blocks_in_the_old_vocabulary_on_a_four_column_grid()
    {
        var sheet = T.Sections[1];
        Assert.Equal(SectionKind.Tables, sheet.Kind);
        Assert.True(sheet.Optional);
        var blocks = sheet.Tables.Select(t => TableLayouts.For(sheet, t)).ToList();
        Assert.Equal(3, blocks.Count);

        Assert.Equal("依申请公开[5,1]", Row(blocks[0].HeaderRows[0]));
        Assert.Equal("项目[1,1] | 件数[4,1]", Row(blocks[0].HeaderRows[1]));
        Assert.Equal(["申请总数", "办结数", "属于已主动公开范围", "同意公开答复", "同意部分公开答复", "不同意公开答复", "不属于本机关",
                      "申请信息不存在", "不再重复答复", "告知作出更改补充", "告知通过其他途径办理"],
            blocks[0].BodyRows.Select(r => r.Labels.Single().Text));

        Assert.Equal("行政复议和行政诉讼[5,1]", Row(blocks[1].HeaderRows[0]));
        Assert.Equal("项目[1,1] | 总数[1,1] | 维持具体行政行为[1,1] | 被依法纠错[1,1] | 其他情形[1,1]", Row(blocks[1].HeaderRows[1]));
        Assert.Equal(["行政复议", "行政诉讼"], blocks[1].BodyRows.Select(r => r.Labels.Single().Text));

        Assert.Equal("政府信息公开收费[5,1]", Row(blocks[2].HeaderRows[0]));
        Assert.Equal("项目[1,1] | 收费金额（单位：万元）[4,1]", Row(blocks[2].HeaderRows[1]));

        // 11 + 8 + 1 cells, all typed (no computed totals), counts in 件 and the fee in 万元.
        var cells = sheet.Tables.SelectMany(t => t.Cells).ToList();
        Assert.Equal(20, cells.Count);
        Assert.DoesNotContain(cells, c => c.Computed);
        Assert.Equal(19, cells.Count(c => c.Kind.Unit == "件" && c.Kind.Scale == 0));
        Assert.Equal("k_fees.fees.amount", Assert.Single(cells, c => c.Kind.Unit == "万元").Id);
    }

    [Fact]
    public void No_cell_id_of_the_sheet_is_a_cell_of_the_2021_tables_so_nothing_is_mapped_onto_them()
    {
        var t2021 = Catalog.Get("2021")!;
        Assert.Empty(T.Cells.Select(c => c.Id).Intersect(t2021.Cells.Select(c => c.Id)));
        Assert.Empty(T.Tables.Keys.Intersect(t2021.Tables.Keys));
    }

    [Fact]
    public void The_soft_checks_are_warnings_and_nothing_else_blocks_an_empty_sheet()
    {
        Assert.Equal(["N0 error", "K1 warning", "K2 warning", "K3 warning", "K4 warning"],
            T.Rules.Select(r => $"{r.RuleId} {r.Severity.ToString().ToLowerInvariant()}"));
        var evaluation = RuleEvaluator.Evaluate(T, new Dictionary<string, decimal>(), new Dictionary<string, bool>(),
            EvaluationMode.Entry, new Dictionary<string, string> { ["s1.overview"] = "概述。" });
        Assert.Empty(evaluation.Violations);
    }
}
