using GovInfoReports.Domain.Agencies;

namespace GovInfoReports.Domain.Tests.Agencies;

public sealed class UnifiedSocialCreditCodeTests
{
    [Theory]
    // Published codes of real organs (GB 32100-2015 check character included).
    [InlineData("11100000000013127D")] // 国务院办公厅
    [InlineData("91350100M000100Y43")] // the standard's own example
    public void Real_codes_validate(string code) => Assert.Null(UnifiedSocialCreditCode.Validate(code));

    [Fact]
    public void A_wrong_check_character_names_the_right_one()
    {
        Assert.Equal("统一社会信用代码校验位错误（应为“3”）", UnifiedSocialCreditCode.Validate("91350100M000100Y44"));
    }

    [Theory]
    [InlineData("", "请填写统一社会信用代码")]
    [InlineData("1110000000001312", "统一社会信用代码应为18位，当前为16位")]
    [InlineData("11100000000013127I", "统一社会信用代码含有无效字符“I”")]
    public void Malformed_codes_are_refused_with_a_reason(string code, string reason) =>
        Assert.Equal(reason, UnifiedSocialCreditCode.Validate(code));

    [Fact]
    public void Complete_appends_the_check_character() =>
        Assert.Equal("91350100M000100Y43", UnifiedSocialCreditCode.Complete("91350100M000100Y4"));
}
