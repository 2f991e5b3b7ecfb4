using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Tests.Support;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>The section pages draw the statutory layout from the template, with accessible inputs.</summary>
public sealed class PageStructureTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Table_three_is_drawn_with_the_statutory_merged_cells()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var page = await FormPage.GetAsync(await app.ClientAsync("edu"), $"/entry/{id}/s3");
        var table = page.Document.QuerySelector("table#table-apps")!;

        string Spans(string text) => table.QuerySelectorAll("th, td").Where(c => c.TextContent.Trim() == text)
            .Select(c => $"{c.GetAttribute("colspan")},{c.GetAttribute("rowspan")}").Single();

        Assert.Equal("3,3", Spans("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"));
        Assert.Equal("7,1", Spans("申请人情况"));
        Assert.Equal("1,2", Spans("自然人"));
        Assert.Equal("5,1", Spans("法人或其他组织"));
        Assert.Equal("1,22", Spans("三、本年度办理结果"));
        Assert.Equal("1,8", Spans("（三）不予公开"));
        Assert.Equal("2,1", Spans("（七）总计"));
        Assert.Equal("3,1", Spans("四、结转下年度继续办理"));
        Assert.Equal(25, table.QuerySelectorAll("tbody tr").Length);
        Assert.Equal(144, table.QuerySelectorAll("input[name^='Input.Cells']").Length);
        Assert.Equal(31, table.QuerySelectorAll("input[readonly][data-cell]:not([name])").Length);
    }

    [Theory]
    [InlineData("s1")]
    [InlineData("s2")]
    [InlineData("s3")]
    [InlineData("s4")]
    [InlineData("s5")]
    [InlineData("s6")]
    public async Task Every_label_appears_and_every_input_has_a_name_and_a_described_error(string sectionId)
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var page = await FormPage.GetAsync(await app.ClientAsync("edu"), $"/entry/{id}/{sectionId}");
        var section = app.Templates.Get("2021")!.FindSection(sectionId)!;

        Assert.Equal(section.Heading, page.Document.QuerySelector("h1")!.TextContent.Trim());
        var text = page.Text;
        foreach (var table in section.Tables)
        {
            foreach (var node in Flatten(table.Columns).Concat(table.RowLabels ? Flatten(table.Rows) : []))
                Assert.Contains(node.Label, text);
            if (table.Title is not null) Assert.Contains(table.Title, text);
        }
        foreach (var part in section.Parts.Where(p => p.Heading is not null)) Assert.Contains(part.Heading!, text);

        foreach (var input in page.Document.QuerySelectorAll("#section-form input[data-cell], #section-form textarea"))
        {
            Assert.False(string.IsNullOrWhiteSpace(input.GetAttribute("aria-label")), input.Id);
            foreach (var described in input.GetAttribute("aria-describedby")!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                Assert.NotNull(page.Document.GetElementById(described));
        }
    }

    [Fact]
    public async Task Years_before_the_oldest_format_are_refused_with_a_message_and_2020_is_created_in_the_2019_format()
    {
        var client = await app.ClientAsync("town");
        var page = await FormPage.GetAsync(client, "/entry");
        var agency = page.Document.QuerySelectorAll("#agency option").First(o => o.TextContent.Contains("获嘉县太山镇人民政府")).GetAttribute("value")!;
        // Issue 8: the 2019 format's forms are drawn, so 2019 and 2020 are created in it; the message of a refused
        // year names the oldest format entry supports.
        var result = await page.PostAsync(client, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = agency, ["Input.Year"] = "2018" });
        Assert.Contains("2018年度报告使用2019年以前的自由格式，本系统暂只支持2019年及以后年度（2019年版年度报告格式（试行））的填报",
            result.Document.GetElementById("year-error")!.TextContent);
        var in2019Format = await page.PostAsync(client, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = agency, ["Input.Year"] = "2020" });
        Assert.Null(in2019Format.Document.GetElementById("year-error"));
        Assert.Contains("格式：2019年版年度报告格式（试行）", in2019Format.Text);

        var created = await page.PostAsync(client, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = agency, ["Input.Year"] = "２０２３" });
        Assert.Contains("获嘉县太山镇人民政府2023年政府信息公开工作年度报告", created.Text);
        var again = await page.PostAsync(client, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = agency, ["Input.Year"] = "2023" });
        Assert.Contains("获嘉县太山镇人民政府2023年度报告已存在", again.Document.GetElementById("year-error")!.TextContent);
    }

    private static IEnumerable<HeaderNode> Flatten(IEnumerable<HeaderNode> nodes) => nodes.SelectMany(n => Flatten(n.Children).Prepend(n));
}
