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
        // A part's heading is the agency's to word (issue 8): the form shows the recommended one in an editable field.
        var headings = page.Document.QuerySelectorAll("input.part-heading-input").Select(i => i.GetAttribute("value")).ToList();
        foreach (var part in section.DefaultOutline.Where(p => p.Heading is not null)) Assert.Contains(part.Heading, headings);

        foreach (var input in page.Document.QuerySelectorAll("#section-form input[data-cell], #section-form textarea"))
        {
            Assert.False(string.IsNullOrWhiteSpace(input.GetAttribute("aria-label")), input.Id);
            foreach (var described in input.GetAttribute("aria-describedby")!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                Assert.NotNull(page.Document.GetElementById(described));
        }
    }

    [Fact]
    public async Task Years_before_2008_are_refused_and_older_years_are_created_in_their_own_formats()
    {
        var client = await app.ClientAsync("town");
        var page = await FormPage.GetAsync(client, "/entry");
        var agency = page.Document.QuerySelectorAll("#agency option").First(o => o.TextContent.Contains("获嘉县太山镇人民政府")).GetAttribute("value")!;
        // Issue 8: every format's forms are drawn, so entry offers every year back to 2008, each in its own format.
        var result = await page.PostAsync(client, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = agency, ["Input.Year"] = "2007" });
        Assert.Equal("2007年没有政府信息公开工作年度报告：《中华人民共和国政府信息公开条例》自2008年5月1日起施行，最早为2008年度报告",
            result.Document.GetElementById("year-error")!.TextContent.Trim());
        Assert.Contains("支持2008年及以后年度", result.Text);
        var unknownFormat = await page.PostAsync(client, "/entry", new Dictionary<string, string>
            { ["Input.AgencyId"] = agency, ["Input.Year"] = "2016", ["Input.Template"] = "2021" });
        Assert.Equal("2021年版年度报告格式自2021年度起适用，2016年度报告不能使用", unknownFormat.Document.GetElementById("template-error")!.TextContent.Trim());
        Assert.Equal("2016", unknownFormat.Document.GetElementById("year")!.GetAttribute("value"));
        var in2019Format = await page.PostAsync(client, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = agency, ["Input.Year"] = "2020" });
        Assert.Null(in2019Format.Document.GetElementById("year-error"));
        Assert.Contains("格式：2019年版年度报告格式（试行）", in2019Format.Text);
        var freeForm = await page.PostAsync(client, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = agency, ["Input.Year"] = "2016" });
        Assert.Contains("格式：2019年以前的年度报告（自由格式）", freeForm.Text);

        var created = await page.PostAsync(client, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = agency, ["Input.Year"] = "２０２３" });
        Assert.Contains("获嘉县太山镇人民政府2023年政府信息公开工作年度报告", created.Text);
        var again = await page.PostAsync(client, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = agency, ["Input.Year"] = "2023" });
        Assert.Contains("获嘉县太山镇人民政府2023年度报告已存在", again.Document.GetElementById("year-error")!.TextContent);
    }

    private static IEnumerable<HeaderNode> Flatten(IEnumerable<HeaderNode> nodes) => nodes.SelectMany(n => Flatten(n.Children).Prepend(n));
}
