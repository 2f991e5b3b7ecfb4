using System.Text.Json.Nodes;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Templates;

/// <summary>The report's metadata (报告信息) is template data: field labels, which are required, lengths, the cover's
/// lines and the messages. The 2021 expectations are typed by hand from the statutory preamble practice
/// (template-spec.md §2: title, 编制机关, 统计期, 汇总范围 for a 全辖区 report, where the electronic version is
/// published, contact).</summary>
public sealed class MetadataTemplateTests
{
    private static readonly ReportTemplate T = TestData.Template2021;

    private static readonly ReportMetadata Sample = new("获嘉县教育局2024年政府信息公开工作年度报告", "获嘉县教育局", null,
        new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), "获嘉县人民政府门户网站", "0373-0000000");

    [Fact]
    public void The_2021_form_asks_for_the_seven_fields_in_order_with_their_statutory_labels()
    {
        Assert.Equal(["报告标题", "编制机关", "汇总范围", "统计期开始", "统计期结束", "电子版发布位置", "联系方式"],
            T.MetadataFields.Select(f => f.Label));
        Assert.Equal(["title", "compilingOffice", "periodStart", "periodEnd"], T.MetadataFields.Where(f => f.Required).Select(f => f.Id));
    }

    [Fact]
    public void The_cover_prints_the_template_lines_with_chinese_dates_and_leaves_blank_ones_out()
    {
        Assert.Equal(
            [("编制机关", "获嘉县教育局"), ("统计期", "2024年1月1日至2024年12月31日"), ("电子版发布位置", "获嘉县人民政府门户网站"), ("联系方式", "0373-0000000")],
            T.Cover(Sample).ToList());
        Assert.Contains(("汇总范围", "县政府及13个乡镇"), T.Cover(Sample with { UnitsCovered = "县政府及13个乡镇" }));
    }

    [Fact]
    public void Changes_are_named_by_the_template_labels()
    {
        var changed = Sample with { CompilingOffice = "获嘉县教育局办公室", PeriodEnd = new DateOnly(2024, 6, 30) };
        Assert.Equal([("编制机关", "获嘉县教育局", "获嘉县教育局办公室"), ("统计期结束", "2024-12-31", "2024-06-30")],
            ReportMetadata.Changes(Sample, changed, T).ToList());
    }

    [Theory]
    [InlineData("drop", "metadata fields must be exactly")]
    [InlineData("unknown", "metadata fields must be exactly")]
    [InlineData("cover", "cover line 统计期 names unknown field periodBegin")]
    [InlineData("message", "metadata message periodOrder is missing")]
    [InlineData("versions", "version words published lack {date}")]
    public void A_metadata_block_that_does_not_fit_the_report_is_refused_at_load(string fault, string expected)
    {
        var json = JsonNode.Parse(TemplateCatalog.EmbeddedText("2021"))!;
        var metadata = json["metadata"]!;
        switch (fault)
        {
            case "drop": metadata["fields"]!.AsArray().RemoveAt(6); break;
            case "unknown": metadata["fields"]!.AsArray()[6]!["id"] = "telephone"; break;
            case "cover": metadata["cover"]!.AsArray()[1]!["value"] = "{periodBegin}至{periodEnd}"; break;
            case "versions": metadata["versions"]!["published"] = "第{version}版"; break;
            default: metadata["messages"]!.AsObject().Remove("periodOrder"); break;
        }
        var error = Assert.Throws<InvalidDataException>(() => TemplateCompiler.Compile(TemplateDefinition.Parse(json.ToJsonString())));
        Assert.Contains(expected, error.Message);
    }
}
