using GovInfoReports.Domain.Reports;

namespace GovInfoReports.Domain.Tests.Reports;

/// <summary>The narrative diff the reviewer reads: whole paragraphs added or removed, and inside a paragraph
/// edited in place only the characters that changed.</summary>
public sealed class ReportDiffTests
{
    private static string Show(IReadOnlyList<ParagraphDiff> diff) => string.Join(" | ", diff.Select(p => p.Change switch
    {
        ParagraphChange.Changed => "~" + string.Concat(p.Segments!.Select(s => s.Kind switch
        {
            SegmentKind.Inserted => $"[+{s.Text}]",
            SegmentKind.Deleted => $"[-{s.Text}]",
            _ => s.Text,
        })),
        ParagraphChange.Added => "+" + p.Text,
        ParagraphChange.Removed => "-" + p.Text,
        _ => "=" + p.Text,
    }));

    [Fact]
    public void A_one_character_edit_inside_a_paragraph_is_one_character_deleted_and_one_inserted()
    {
        var diff = ReportDiff.Paragraphs("开头。\n政务公开相关工作机制和制度还需要进一步完善。", "开头。\n政务公开相关工作机制和制度仍需要进一步完善。");
        Assert.Equal("=开头。 | ~政务公开相关工作机制和制度[-还][+仍]需要进一步完善。", Show(diff));
        Assert.Equal("政务公开相关工作机制和制度仍需要进一步完善。", diff[1].Text);
    }

    [Fact]
    public void A_changed_figure_reads_as_the_old_and_the_new_number()
    {
        Assert.Equal("~全年公开信息[-1988][+1990]条。", Show(ReportDiff.Paragraphs("全年公开信息1988条。", "全年公开信息1990条。")));
    }

    [Fact]
    public void A_paragraph_rewritten_is_removed_and_added_whole_and_a_new_paragraph_stays_whole()
    {
        Assert.Equal("-甲乙丙丁。 | +完全不同的一段话。 | +新增一段。",
            Show(ReportDiff.Paragraphs("甲乙丙丁。", "完全不同的一段话。\n新增一段。")));
        Assert.Equal("=保留。 | -删去的一段。", Show(ReportDiff.Paragraphs("保留。\n删去的一段。", "保留。")));
    }

    [Fact]
    public void Edits_in_two_paragraphs_pair_each_with_its_own_new_text()
    {
        Assert.Equal("~第一段[-旧][+新]文字。 | ~第二段[+也]改了。",
            Show(ReportDiff.Paragraphs("第一段旧文字。\n第二段改了。", "第一段新文字。\n第二段也改了。")));
    }
}
