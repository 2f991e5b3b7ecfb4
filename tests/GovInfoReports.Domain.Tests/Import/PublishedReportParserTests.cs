using GovInfoReports.Domain.Import;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Import;

public sealed class PublishedReportParserTests
{
    private static readonly PublishedReportParser Parser = new(TestData.Catalog);

    private static string Fixture(string name) => File.ReadAllText(TestData.PathOf(name));

    private static ImportReading Read(string text, ImportOptions? options = null)
    {
        var parse = Parser.Parse(TextSource.Read(text), options);
        Assert.True(parse.Reading is not null, parse.Error);
        return parse.Reading!;
    }

    private static void AssertCells(ReportTemplate template, Dictionary<string, decimal> nonZero, ImportReading reading)
    {
        var expected = FixtureCells.All(template, nonZero);
        var wrong = expected.Where(e => reading.Cells[e.Key].Value != e.Value)
            .Select(e => $"{e.Key}: expected {e.Value}, read {reading.Cells[e.Key].Value?.ToString() ?? "blank"} ({reading.Cells[e.Key].Origin})").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {expected.Count} cells differ:\n" + string.Join("\n", wrong));
        Assert.Equal(expected.Count, reading.Cells.Count);
    }

    [Fact]
    public void Fixture002_as_found_reads_every_cell_of_the_2021_format_exactly()
    {
        var reading = Read(Fixture(FixtureCells.File002));

        Assert.Equal("2021", reading.Format);
        Assert.Equal(2022, reading.Year);
        AssertCells(TestData.Template2021, FixtureCells.NonZero002, reading);
        Assert.DoesNotContain(reading.Problems, p => p.Severity == Severity.Error);
        Assert.Empty(reading.Violations);
        Assert.Empty(reading.Unplaced);
    }

    [Fact]
    public void Fixture000_with_bars_reads_every_cell_and_the_unit_printed_inside_the_amount()
    {
        var reading = Read(Fixture(FixtureCells.File000));

        Assert.Equal("2019", reading.Format);
        Assert.Equal(2019, reading.Year);
        AssertCells(TestData.Template2019, FixtureCells.NonZero000, reading);
        Assert.Equal("wanyuan", reading.Cells["a20_9.procurement.amount"].Unit);
        Assert.Equal("4.651万元", reading.Cells["a20_9.procurement.amount"].Printed);
        Assert.Empty(reading.Violations);
        Assert.Empty(reading.Problems);
    }

    [Fact]
    public void Fixture003_reads_negative_changes_the_amount_in_yuan_of_its_header_and_says_what_it_left_over()
    {
        var reading = Read(Fixture(FixtureCells.File003));

        Assert.Equal("2019", reading.Format);
        Assert.Equal(2020, reading.Year);
        AssertCells(TestData.Template2019, FixtureCells.NonZero003, reading);
        Assert.Equal("yuan", reading.Cells["a20_9.procurement.amount"].Unit);
        Assert.Empty(reading.Violations);
        // 表四 prints sixteen zeros for fifteen cells: used fifteen, and said so.
        var surplus = Assert.Single(reading.Problems);
        Assert.Equal(Severity.Warning, surplus.Severity);
        Assert.Contains("16个数", surplus.Message);
        Assert.Single(reading.Unplaced);
    }

    [Fact]
    public void Narrative_parts_keep_the_agency_headings_and_take_the_template_ids_they_name()
    {
        var reading = Read(Fixture(FixtureCells.File002));

        Assert.Equal(["s1.active", "s1.request", "s1.management", "s1.platform", "s1.oversight", "s5.text", "s6.text"], reading.Parts.Select(p => p.Id));
        Assert.Equal("(一) 主动公开情况", reading.Parts[0].Heading);
        Assert.StartsWith("根据主动公开目录设置", reading.Parts[0].Text);
        Assert.Equal("(三) 政府信息管理情况", reading.Parts[2].Heading);
        Assert.StartsWith("2022年度信息公开申请未向申请人收取任何费用", reading.Texts["s6.text"]);
        Assert.Contains("2023年", reading.Texts["s5.text"]);
    }

    [Fact]
    public void The_preamble_gives_the_title_the_period_the_units_covered_and_the_contact()
    {
        var metadata = Read(Fixture(FixtureCells.File003)).Metadata;

        Assert.Equal("将乐县 2020 年政府信息公开工作年度报告", metadata.Title);
        Assert.Equal(new DateOnly(2020, 1, 1), metadata.PeriodStart);
        Assert.Equal(new DateOnly(2020, 12, 31), metadata.PeriodEnd);
        Assert.Equal("本报告由将乐县人民政府办公室汇总将乐县人民政府、13 个乡镇、22 个县直部门政府信息公开情况编制而成", metadata.UnitsCovered);
        Assert.StartsWith("如对本报告有疑惑或意见建议，请与将乐县政府办电子政务科联系", metadata.Contact);
    }

    [Theory]
    [InlineData(FixtureCells.File000, "2019")]
    [InlineData(FixtureCells.File002, "2021")]
    [InlineData(FixtureCells.File003, "2019")]
    public void Labels_wrapped_with_stray_spaces_read_the_same(string file, string format)
    {
        var reading = Read(FixtureVariants.StraySpaces(Fixture(file)));

        Assert.Equal(format, reading.Format);
        AssertCells(TestData.Catalog.Get(format)!, Expected(file), reading);
    }

    [Theory]
    [InlineData(FixtureCells.File000, "2019")]
    [InlineData(FixtureCells.File002, "2021")]
    [InlineData(FixtureCells.File003, "2019")]
    public void One_cell_per_line_reads_the_same(string file, string format)
    {
        var reading = Read(FixtureVariants.OneCellPerLine(Fixture(file)));

        Assert.Equal(format, reading.Format);
        AssertCells(TestData.Catalog.Get(format)!, Expected(file), reading);
    }

    /// <summary>The cells of each fixture that no rule can split when its numbers are printed without separators, typed by
    /// hand: 第二十条 rows have no total (6023 is 6|0|23 or 60|2|3), and 表三 and 表四 are fixed by their totals.</summary>
    public static TheoryData<string, string, string[]> NoSeparatorCases() => new()
    {
        { FixtureCells.File000, "2019", [] },
        { FixtureCells.File002, "2021", ["a20_1.normative.issued", "a20_1.normative.repealed", "a20_1.normative.in_force"] },
        { FixtureCells.File003, "2019", [
            "a20_1.normative.made", "a20_1.normative.published", "a20_1.normative.public_total",
            "a20_5.licensing.change", "a20_5.licensing.decisions",
            "a20_5.other_services.prev", "a20_5.other_services.change", "a20_5.other_services.decisions",
            "a20_6.penalty.prev", "a20_6.penalty.change", "a20_6.penalty.decisions",
            "a20_6.coercion.change", "a20_6.coercion.decisions",
            "a20_9.procurement.items", "a20_9.procurement.amount"] },
    };

    [Theory]
    [MemberData(nameof(NoSeparatorCases))]
    public void Numbers_without_separators_are_recovered_by_the_rules_or_listed_as_ambiguous_with_the_printed_value_among_the_candidates(
        string file, string format, string[] ambiguous)
    {
        var reading = Read(FixtureVariants.NoSeparators(Fixture(file)));

        Assert.Equal(format, reading.Format);
        var expected = FixtureCells.All(TestData.Catalog.Get(format)!, Expected(file));
        Assert.Equal(ambiguous.Order(), reading.Cells.Where(c => c.Value.Origin == CellOrigin.Ambiguous).Select(c => c.Key).Order());
        foreach (var (id, value) in expected)
        {
            var cell = reading.Cells[id];
            if (cell.Origin == CellOrigin.Ambiguous) Assert.Contains(value, cell.Candidates);
            else Assert.True(cell.Value == value, $"{id}: expected {value}, read {cell.Value?.ToString() ?? "blank"} ({cell.Origin})");
        }
        Assert.DoesNotContain(reading.Problems, p => p.Severity == Severity.Error);
        Assert.Contains(reading.Cells.Values, c => c.Origin == CellOrigin.Inferred);
    }

    [Fact]
    public void A_merged_label_repeated_after_a_page_break_and_a_header_repeated_on_the_next_page_change_nothing()
    {
        // As a PDF or a Word table broken over two pages prints them: the group label and the column headers again.
        var text = Fixture(FixtureCells.File003).Replace("(四) 无法 提供\t1. 本机关不掌握相关政府信息",
            "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\n\t\t自然人\t法人或其他组织\n三、 本年度 办理结果\n(四) 无法 提供\t1. 本机关不掌握相关政府信息",
            StringComparison.Ordinal);
        Assert.NotEqual(Fixture(FixtureCells.File003), text);

        var reading = Read(text);

        AssertCells(TestData.Template2019, FixtureCells.NonZero003, reading);
        Assert.DoesNotContain(reading.Problems, p => p.Severity == Severity.Error);
    }

    [Fact]
    public void Two_reports_in_one_document_are_named_and_only_the_first_is_read()
    {
        var text = Fixture(FixtureCells.File002);
        var reading = Read(text + "\n" + text);

        Assert.Contains(reading.Problems, p => p.Severity == Severity.Error && p.Message.StartsWith("文档中有两份报告", StringComparison.Ordinal));
        AssertCells(TestData.Template2021, FixtureCells.NonZero002, reading);
    }

    [Fact]
    public void A_year_other_than_the_one_chosen_is_an_error_that_names_both()
    {
        var reading = Read(Fixture(FixtureCells.File002), new ImportOptions(Year: 2023));

        var problem = Assert.Single(reading.Problems, p => p.Severity == Severity.Error);
        Assert.Equal("文档是2022年度的报告（标题“获嘉县人民政府办公室2022年政府信息公开工作年度报告”），与所选的2023年度不符", problem.Message);
    }

    [Fact]
    public void A_missing_row_is_named_its_cells_stay_blank_and_the_rules_say_so()
    {
        var text = string.Join("\n", Fixture(FixtureCells.File003).Split('\n').Where(l => !l.Contains("其他处理", StringComparison.Ordinal)));
        var reading = Read(text);

        Assert.Contains(reading.Problems, p => p.Message == "表三没有读到这些行：（六）其他处理（这些单元格为空）");
        Assert.Equal(CellOrigin.Blank, reading.Cells["apps.r6.np"].Origin);
        Assert.Null(reading.Cells["apps.r6.np"].Value);
        Assert.Contains(reading.Violations, v => v.RuleId == "A4");
        Assert.Equal(8, reading.Cells["apps.r7.np"].Value);
    }

    [Fact]
    public void Numbers_that_break_a_rule_are_kept_as_printed_and_the_violation_is_listed()
    {
        var text = Fixture(FixtureCells.File002).Replace("\t(七) 总计\t\t8\t0\t0\t0\t0\t0\t8", "\t(七) 总计\t\t9\t0\t0\t0\t0\t0\t9", StringComparison.Ordinal);
        var reading = Read(text);

        Assert.Equal(9, reading.Cells["apps.r7.np"].Value);
        Assert.Contains(reading.Violations, v => v.RuleId == "A1" && v.Severity == Severity.Error && v.Message.Contains("自然人列", StringComparison.Ordinal));
        Assert.Contains(reading.Violations, v => v.RuleId == "A3");
    }

    [Fact]
    public void A_hijacked_title_is_flagged_and_no_agency_is_read_from_the_text()
    {
        var text = Fixture(FixtureCells.File002).Replace("获嘉县人民政府办公室2022年政府信息公开工作年度报告", "澳门威尼斯人娱乐城官网2022年政府信息公开工作年度报告", StringComparison.Ordinal);
        var reading = Read(text);

        Assert.Contains(reading.Problems, p => p.Severity == Severity.Warning && p.Message.Contains("可能是被篡改的网页", StringComparison.Ordinal));
        AssertCells(TestData.Template2021, FixtureCells.NonZero002, reading);
    }

    [Fact]
    public void Empty_text_and_text_that_is_no_report_are_refused_in_Chinese()
    {
        Assert.Equal("没有读到任何文字：文件或粘贴的内容是空的", Parser.Parse(TextSource.Read(" \n\u200B\n")).Error);
        var error = Parser.Parse(TextSource.Read("会议纪要\n今天开会讨论了三件事。")).Error;
        Assert.StartsWith("没有找到报告的章节标题", error);
    }

    [Fact]
    public void The_format_can_be_chosen_against_the_markers()
    {
        var reading = Read(Fixture(FixtureCells.File002), new ImportOptions(Format: "2019"));

        Assert.Equal("2019", reading.Format);
        Assert.Equal("所选格式", reading.FormatEvidence);
        Assert.Contains(reading.Problems, p => p.Severity == Severity.Warning && p.Message.StartsWith("2022年度报告应使用", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pre2019_report_is_read_as_the_free_form_with_its_own_parts()
    {
        var text = """
            某县人民政府办公室2016年政府信息公开工作年度报告
            本报告根据《中华人民共和国政府信息公开条例》要求编制。报告中所列数据的统计期限自2016年1月1日起至2016年12月31日止。
            一、概述
            2016年，我办认真贯彻落实条例。
            二、主动公开政府信息情况
            全年主动公开政府信息120条。
            三、依申请公开政府信息情况
            全年共受理政府信息公开申请5件，已全部办结。
            申请总数	5
            办结数	5
            四、政府信息公开收费及减免情况
            未收取任何费用。
            五、行政复议和行政诉讼情况
            未发生行政复议、行政诉讼。
            六、存在的主要问题和改进措施
            公开内容有待丰富。
            """;
        var reading = Read(text);

        Assert.Equal("pre2019", reading.Format);
        Assert.Equal(2016, reading.Year);
        Assert.Equal(["s1.opening", "s1.overview", "s1.active", "s1.request", "s1.fees", "s1.appeals", "s1.problems"], reading.Parts.Select(p => p.Id));
        Assert.Equal("三、依申请公开政府信息情况", reading.Parts[3].Heading);
        Assert.Equal("全年共受理政府信息公开申请5件，已全部办结。", reading.Parts[3].Text);
        Assert.Equal(5, reading.Cells["k_apps.received.count"].Value);
        Assert.Equal(5, reading.Cells["k_apps.handled.count"].Value);
        Assert.Null(reading.Cells["k_apps.granted.count"].Value);
    }

    private static Dictionary<string, decimal> Expected(string file) => file switch
    {
        FixtureCells.File000 => FixtureCells.NonZero000,
        FixtureCells.File002 => FixtureCells.NonZero002,
        _ => FixtureCells.NonZero003,
    };
}
