using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Reports;

/// <summary>
/// 一、总体情况 as the agency wrote it (issue 8, part 6): a report's narrative parts and their headings are its
/// own data, starting from the template's recommended outline (国办公开办函〔2021〕30号: the opening, then
/// （一）主动公开 … （五）监督保障, typed by hand here), and the clerk may keep, rename, remove, reorder or add them.
/// </summary>
public sealed class NarrativePartTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 10, 2, 0, 0, TimeSpan.Zero);

    private static Report NewReport(ReportTemplate? template = null)
    {
        var region = new Region("410724", "获嘉县", RegionLevel.County, null);
        var agency = new Agency(UnifiedSocialCreditCode.Complete("11410724MB0000037"), "获嘉县教育局", AgencyKind.Department, region, null, mayMakeRules: false);
        return new Report(agency, 2024, template ?? TestData.Template2021, Now);
    }

    private static string Outline(IEnumerable<WrittenPart> parts) => string.Join(" | ", parts.Select(p => $"{p.Id}:{p.Heading ?? "∅"}"));

    [Fact]
    public void A_new_2021_report_starts_with_an_unheaded_opening_and_the_five_recommended_headings()
    {
        var report = NewReport();
        Assert.Equal("s1.opening:∅ | s1.active:（一）主动公开 | s1.request:（二）依申请公开 | s1.management:（三）政府信息管理 | " +
                     "s1.platform:（四）政府信息公开平台建设 | s1.oversight:（五）监督保障", Outline(report.Parts("s1")));
        Assert.Equal("s5.text:∅", Outline(report.Parts("s5")));
        Assert.Equal("s6.text:∅", Outline(report.Parts("s6")));
        Assert.All(report.Parts(), p => Assert.Equal("", p.Text));
        Assert.Empty(report.Texts); // nothing written yet: the outline holds the headings, no text row exists
    }

    [Fact]
    public void Renaming_removing_reordering_and_adding_parts_keeps_ids_and_texts_and_audits_every_change()
    {
        var report = NewReport();
        report.SetText("s1.active", "主动公开情况。", Now);
        report.SetText("s1.request", "依申请公开情况。", Now);

        var ids = report.SetParts("s1",
        [
            new PartInput("s1.opening", null, "2024年，县教育局认真贯彻落实《条例》。"),
            new PartInput("s1.request", "一是依申请公开办理规范", null),
            new PartInput("s1.active", "  二是主动公开\n内容丰富 ", null),
            new PartInput(null, "三是队伍建设", "加强培训。"),
        ], Now, "clerk");

        Assert.Equal(["s1.opening", "s1.request", "s1.active", "s1.part_a"], ids);
        Assert.Equal("s1.opening:∅ | s1.request:一是依申请公开办理规范 | s1.active:二是主动公开 内容丰富 | s1.part_a:三是队伍建设",
            Outline(report.Parts("s1")));
        Assert.Equal(["2024年，县教育局认真贯彻落实《条例》。", "依申请公开情况。", "主动公开情况。", "加强培训。"],
            report.Parts("s1").Select(p => p.Text));

        var audit = report.Audit.Where(a => a.UserId == "clerk").Select(a => $"{a.Target} {a.Key} {a.OldValue ?? "∅"} → {a.NewValue ?? "∅"}").ToList();
        Assert.Contains("Text s1.opening ∅ → 2024年，县教育局认真贯彻落实《条例》。", audit);
        Assert.Contains("Heading s1.request （二）依申请公开 → 一是依申请公开办理规范", audit);
        Assert.Contains("Heading s1.active （一）主动公开 → 二是主动公开 内容丰富", audit);
        Assert.Contains("Heading s1.part_a ∅ → 三是队伍建设", audit);
        Assert.Contains("Text s1.part_a ∅ → 加强培训。", audit);
        Assert.Contains("Heading s1.management （三）政府信息管理 → ∅", audit);
        Assert.Contains("Heading s1.platform （四）政府信息公开平台建设 → ∅", audit);
        Assert.Contains("Heading s1.oversight （五）监督保障 → ∅", audit);
        Assert.Contains(audit, a => a.StartsWith("Outline s1 （无标题） ｜ （一）主动公开 ｜ （二）依申请公开", StringComparison.Ordinal)
                                    && a.EndsWith("→ （无标题） ｜ 一是依申请公开办理规范 ｜ 二是主动公开 内容丰富 ｜ 三是队伍建设", StringComparison.Ordinal));
        Assert.Equal(9, audit.Count);
    }

    [Fact]
    public void Keeping_only_the_opening_makes_the_section_one_free_text()
    {
        var report = NewReport();
        report.SetParts("s1", [new PartInput("s1.opening", "", "（一）我们自己的第一个标题\n正文。")], Now);
        var part = Assert.Single(report.Parts("s1"));
        Assert.Null(part.Heading);
        Assert.Equal("（一）我们自己的第一个标题\n正文。", part.Text);
    }

    [Fact]
    public void An_added_part_gets_an_id_of_the_open_data_pattern_after_every_id_the_section_holds()
    {
        var report = NewReport();
        report.SetParts("s1", [new PartInput(null, "甲", ""), new PartInput(null, "乙", "")], Now);
        Assert.Equal(["s1.part_a", "s1.part_b"], report.Parts("s1").Select(p => p.Id));
        // A part added in the save that removes part_b does not take part_b's id (and so its history).
        report.SetParts("s1", [new PartInput("s1.part_a", "甲", ""), new PartInput(null, "丙", "")], Now);
        Assert.Equal(["s1.part_a", "s1.part_c"], report.Parts("s1").Select(p => p.Id));
        Assert.All(report.Parts(), p => Assert.True(PartIds.IsValid(p.Id), p.Id));
        Assert.Equal("s1.part_ba", PartIds.NewId("s1", ["s1.part_z"]));
        Assert.Equal("s5.part_a", PartIds.NewId("s5", ["s1.part_z", "s5.text"]));
    }

    [Fact]
    public void A_section_refuses_too_many_parts_and_too_long_headings()
    {
        var report = NewReport();
        Assert.Throws<ArgumentException>(() => report.SetParts("s1",
            Enumerable.Range(0, PartIds.MaxPartsPerSection + 1).Select(_ => new PartInput(null, "标题", "")).ToList(), Now));
        Assert.Throws<ArgumentException>(() => report.SetParts("s1", [new PartInput(null, new string('题', PartIds.MaxHeadingLength + 1), "")], Now));
        Assert.Throws<ArgumentException>(() => report.SetText("s1.nothing", "文字", Now));
    }

    [Fact]
    public void A_snapshot_freezes_the_headings_and_their_order()
    {
        var report = NewReport();
        report.SetParts("s1", [new PartInput(null, "（一）本机关自拟标题", "文字。"), new PartInput("s1.opening", null, "开头。")], Now);
        var snapshot = ReportSnapshot.Of(report, SnapshotKind.Submission, null, "clerk", Now);
        report.SetParts("s1", [new PartInput("s1.opening", null, "开头。")], Now);
        Assert.Equal("s1.part_a:（一）本机关自拟标题 | s1.opening:∅", Outline(snapshot.Parts().Where(p => p.SectionId == "s1")));
        Assert.Equal("s1.opening:∅", Outline(report.Parts("s1")));
    }

    [Fact]
    public void The_diff_names_renamed_added_removed_and_moved_parts_and_ignores_an_empty_part_missing_on_one_side()
    {
        WrittenPart P(string id, string? heading, string text) => new(id, heading, text);
        var changes = ReportDiff.Parts(
            [P("s1.opening", null, ""), P("s1.active", "（一）主动公开", "甲"), P("s1.request", "（二）依申请公开", "乙"), P("s1.management", "（三）政府信息管理", "丙")],
            [P("s1.opening", null, ""), P("s1.request", "（一）依申请公开", "乙"), P("s1.active", "（一）主动公开", "甲"), P("s1.part_a", "（三）新增", "丁")]);
        Assert.Equal(
            [
                "s1.request renamed=True moved=True added=False removed=False （一）依申请公开 0",
                "s1.active renamed=False moved=True added=False removed=False （一）主动公开 0",
                "s1.part_a renamed=False moved=False added=True removed=False （三）新增 1",
                "s1.management renamed=False moved=False added=False removed=True （三）政府信息管理 1",
            ],
            changes.Select(c => $"{c.PartId} renamed={c.Renamed} moved={c.Moved} added={c.Added} removed={c.Removed} {c.Heading} {c.Paragraphs.Count}"));
        Assert.Empty(ReportDiff.Texts(new Dictionary<string, string> { ["s1.opening"] = "" }, new Dictionary<string, string>()));
    }

    [Fact]
    public void The_section_must_not_be_empty_counts_the_reports_own_parts_whatever_their_names()
    {
        var template = TestData.Template2021;
        var report = NewReport();
        IEnumerable<string> N0(Report r) => RuleEvaluator.Evaluate(template, r.CellValues(), r.Agency.RuleContext(), EvaluationMode.Entry, r.TextValues())
            .Violations.Where(v => v.RuleId == "N0").Select(v => v.Key);

        Assert.Contains("N0:s1", N0(report));
        report.SetParts("s1", [new PartInput(null, "（一）本机关自拟标题", "只写在新增部分里的文字。")], Now);
        Assert.DoesNotContain("N0:s1", N0(report));
        report.SetParts("s1", [], Now);
        Assert.Contains("N0:s1", N0(report));
    }

    [Fact]
    public void The_length_limit_of_a_section_counts_every_part_the_agency_added()
    {
        var template = TestData.Template2021;
        var report = NewReport();
        var max = template.FindSection("s1")!.MaxLength;
        report.SetParts("s1", [new PartInput(null, "甲", new string('字', max / 2 + 1)), new PartInput(null, "乙", new string('字', max / 2 + 1))], Now);
        var result = new ReportValidator().Validate(new ReportContent(template, report.CellValues(), report.TextValues(), report.Agency.RuleContext()));
        Assert.Contains(result.Errors, e => e.ErrorCode == "length" && e.PropertyName == "s1");
    }
}
