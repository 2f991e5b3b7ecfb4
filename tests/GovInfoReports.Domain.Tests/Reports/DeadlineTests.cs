using GovInfoReports.Domain.Agencies;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Reports;

public sealed class DeadlineTests
{
    private static readonly ReportTemplate T = TestData.Template2021;
    private static readonly Region Province = WithId(new Region("410000", "河南省", RegionLevel.Province, null), 1, null);
    private static readonly Region City = WithId(new Region("410700", "新乡市", RegionLevel.City, Province), 2, 1);
    private static readonly Region County = WithId(new Region("410724", "获嘉县", RegionLevel.County, City), 3, 2);
    private static readonly Dictionary<int, Region> Regions = new() { [1] = Province, [2] = City, [3] = County };

    private static Region WithId(Region region, int id, int? parentId)
    {
        typeof(Region).GetProperty(nameof(Region.Id))!.SetValue(region, id);
        typeof(Region).GetProperty(nameof(Region.ParentId))!.SetValue(region, parentId);
        return region;
    }

    private static Agency AgencyIn(Region region, AgencyKind kind)
    {
        var agency = new Agency(UnifiedSocialCreditCode.Complete("11410724MB0000010"), "测试机关", kind, region, null, false);
        typeof(Agency).GetProperty(nameof(Agency.RegionId))!.SetValue(agency, region.Id);
        return agency;
    }

    private static DeadlineOverride Override(Region region, AgencyKind kind, int month, int day)
    {
        var o = new DeadlineOverride(region, kind, month, day, $"{region.Name}通知");
        typeof(DeadlineOverride).GetProperty(nameof(DeadlineOverride.RegionId))!.SetValue(o, region.Id);
        return o;
    }

    [Fact]
    public void Statutory_defaults_are_31_January_for_departments_and_31_March_for_governments()
    {
        Assert.Equal(new DateOnly(2025, 1, 31), Deadlines.For(AgencyIn(County, AgencyKind.Department), 2024, T, [], Regions).Date);
        Assert.Equal(new DateOnly(2025, 3, 31), Deadlines.For(AgencyIn(County, AgencyKind.Government), 2024, T, [], Regions).Date);
        Assert.Equal(new DateOnly(2025, 3, 31), Deadlines.For(AgencyIn(County, AgencyKind.Township), 2024, T, [], Regions).Date);
    }

    [Fact]
    public void The_nearest_region_override_wins()
    {
        DeadlineOverride[] overrides = [Override(Province, AgencyKind.Township, 3, 1), Override(City, AgencyKind.Township, 2, 20), Override(City, AgencyKind.Department, 1, 26)];
        var town = Deadlines.For(AgencyIn(County, AgencyKind.Township), 2021, T, overrides, Regions);
        Assert.Equal(new DateOnly(2022, 2, 20), town.Date);
        Assert.Equal("新乡市通知", town.Basis);
        Assert.Equal(new DateOnly(2022, 1, 26), Deadlines.For(AgencyIn(County, AgencyKind.Department), 2021, T, overrides, Regions).Date);
        Assert.Equal(new DateOnly(2022, 3, 31), Deadlines.For(AgencyIn(County, AgencyKind.Government), 2021, T, overrides, Regions).Date);
    }

    [Fact]
    public void A_report_is_overdue_once_the_deadline_day_has_ended_in_Beijing_time()
    {
        var deadline = new Deadline(new DateOnly(2025, 1, 31), "");
        Assert.False(deadline.IsOverdue(new DateTimeOffset(2025, 1, 31, 15, 59, 0, TimeSpan.Zero))); // 23:59 in Beijing
        Assert.True(deadline.IsOverdue(new DateTimeOffset(2025, 1, 31, 16, 0, 0, TimeSpan.Zero)));   // 00:00 on 1 Feb
    }

    [Fact]
    public void An_impossible_override_date_is_refused() =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new DeadlineOverride(City, AgencyKind.Township, 2, 30, null));

    [Fact]
    public void The_statutory_dates_and_their_basis_are_the_templates_data()
    {
        var json = JsonNode.Parse(TemplateCatalog.EmbeddedText("2021"))!;
        var department = json["deadlines"]!.AsArray().Single(d => d!["agencyKinds"]!.AsArray().Any(k => k!.GetValue<string>() == "department"))!;
        department["month"] = 2;
        department["day"] = 28;
        department["basis"] = "测试依据";
        var variant = TemplateCompiler.Compile(TemplateDefinition.Parse(json.ToJsonString()));

        var deadline = Deadlines.For(AgencyIn(County, AgencyKind.Department), 2024, variant, [], Regions);
        Assert.Equal(new DateOnly(2025, 2, 28), deadline.Date);
        Assert.Equal("测试依据", deadline.Basis);
        Assert.Equal("《政府信息公开条例》第四十九条：县级以上人民政府部门每年1月31日前", Deadlines.For(AgencyIn(County, AgencyKind.Department), 2024, T, [], Regions).Basis);
    }

    [Theory]
    [InlineData("subdistrict", "agency kind Subdistrict needs exactly one statutory deadline")]
    [InlineData("31 February", "deadline 2/31 is not a day of every year")]
    public void A_template_without_one_valid_deadline_per_agency_kind_is_refused_at_load(string fault, string expected)
    {
        var json = JsonNode.Parse(TemplateCatalog.EmbeddedText("2021"))!;
        var deadlines = json["deadlines"]!.AsArray();
        if (fault == "subdistrict") deadlines[2]!["agencyKinds"]!.AsArray().RemoveAt(1);
        else { deadlines[0]!["month"] = 2; deadlines[0]!["day"] = 31; }
        var error = Assert.Throws<InvalidDataException>(() => TemplateCompiler.Compile(TemplateDefinition.Parse(json.ToJsonString())));
        Assert.Contains(expected, error.Message);
    }
}
