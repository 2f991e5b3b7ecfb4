using GovInfoReports.Domain.Import;

namespace GovInfoReports.Domain.Tests.Import;

/// <summary>The normalisation published labels go through before they are compared with the template's (issue 10):
/// each case a drift seen in real reports, the expected comparable form typed by hand.</summary>
public sealed class LabelTextTests
{
    [Theory]
    // Full-width and half-width forms, numbering and punctuation of every kind.
    [InlineData("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开区分处理的只计这一情形不计其他情形")]
    [InlineData("(二) 部分公开(区分处理的,只计这一情形,不计其他情形)", "部分公开区分处理的只计这一情形不计其他情形")]
    [InlineData("３．危及“三安全一稳定”", "危及三安全一稳定")]
    [InlineData("(三) 1. 属于国家秘密", "属于国家秘密")]
    [InlineData("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量")]
    // Whitespace inside labels wrapped by the page (本年度办 理结果) and full-width spaces.
    [InlineData("三、 本年度 办理结果", "本年度办理结果")]
    [InlineData("商业　企业", "商业企业")]
    [InlineData("法律服 务机构", "法律服务机构")]
    [InlineData("本年增/减", "本年增减")]
    public void Labels_compare_without_forms_spaces_numbering_or_punctuation(string printed, string comparable) =>
        Assert.Equal(comparable, LabelText.Strip(printed));

    [Theory]
    // The typos and local wordings of real reports, mapped by the template's labelVariants (data, not code).
    [InlineData("2021", "本年度止件数", "本年废止件数")]
    [InlineData("2021", "社会组织", "社会公益组织")]
    [InlineData("2019", "2.其他法律法规禁止公开", "其他法律行政法规禁止公开")]
    [InlineData("2021", "行政法复议", "行政复议")]
    [InlineData("2019", "行政法复议", "行政复议")]
    // A variant is replaced inside a longer header too, and a correct label is left alone.
    [InlineData("2021", "本年度止件数（件）", "本年废止件数件")]
    [InlineData("2021", "社会公益组织", "社会公益组织")]
    public void The_template_s_label_variants_give_the_template_s_wording(string format, string printed, string comparable) =>
        Assert.Equal(comparable, LabelText.Normalise(printed, TestData.Catalog.Get(format)!));
}
