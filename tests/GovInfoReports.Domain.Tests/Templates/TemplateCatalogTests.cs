using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Templates;

/// <summary>Which format a report year uses (template-spec.md §1; issue 8 part 3), the override for a report
/// published late in an older format, and the years that have no report at all.</summary>
public sealed class TemplateCatalogTests
{
    private static readonly TemplateCatalog Catalog = TestData.Catalog;
    private const int Now = 2026;

    [Theory]
    [InlineData(2019, "2019")]
    [InlineData(2020, "2019")]
    [InlineData(2021, "2021")]
    [InlineData(2026, "2021")]
    public void Each_year_gets_its_statutory_format(int year, string code)
    {
        var choice = Catalog.Choose(year, Now);
        Assert.Null(choice.Error);
        Assert.Equal(code, choice.Template!.Code);
        Assert.False(choice.IsOverride);
        Assert.Null(choice.Warning);
        Assert.True(Catalog.IsFormatFor(code, year));
    }

    [Fact]
    public void Years_before_2008_and_after_the_current_year_are_refused_in_chinese()
    {
        Assert.Equal("2007年没有政府信息公开工作年度报告：《中华人民共和国政府信息公开条例》自2008年5月1日起施行，最早为2008年度报告",
            Catalog.Choose(2007, Now).Error);
        Assert.Equal("2027年尚未开始，不能填报（当前年度的报告可在年内起草）", Catalog.Choose(2027, Now).Error);
        Assert.Null(Catalog.Choose(2027, Now).Template);
        Assert.Equal("2021", Catalog.Choose(Now, Now).Template!.Code);
    }

    [Fact]
    public void Years_2008_to_2018_take_the_pre_2019_free_form_and_years_before_2008_are_refused()
    {
        Assert.Equal("pre2019", Catalog.Choose(2008, Now).Template!.Code);
        Assert.Equal("pre2019", Catalog.Choose(2018, Now).Template!.Code);
        Assert.Equal("2019", Catalog.Choose(2019, Now).Template!.Code);
        Assert.NotNull(Catalog.Choose(2007, Now).Error);
        Assert.Null(Catalog.Choose(2007, Now).Template);
    }

    [Fact]
    public void An_older_format_may_be_chosen_for_a_late_report_with_a_warning_that_needs_an_explanation()
    {
        var choice = Catalog.Choose(2021, Now, "2019");
        Assert.Null(choice.Error);
        Assert.Equal("2019", choice.Template!.Code);
        Assert.True(choice.IsOverride);
        Assert.Equal("2021年度报告应使用2021年版年度报告格式，本报告使用2019年版年度报告格式（试行）（国办公开办函〔2019〕60号《中华人民共和国政府信息公开工作年度报告格式（试行）》），请说明原因",
            choice.Warning);
        Assert.False(Catalog.IsFormatFor("2019", 2021));

        // Choosing the year's own format is no override.
        Assert.False(Catalog.Choose(2020, Now, "2019").IsOverride);
    }

    [Fact]
    public void A_format_newer_than_the_year_or_an_unknown_one_is_refused()
    {
        Assert.Equal("2021年版年度报告格式自2021年度起适用，2020年度报告不能使用", Catalog.Choose(2020, Now, "2021").Error);
        Assert.Equal("没有“2030”这一报告格式", Catalog.Choose(2022, Now, "2030").Error);
    }
}
