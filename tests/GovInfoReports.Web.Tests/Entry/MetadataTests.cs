using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Entry;

public sealed class MetadataTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Metadata_is_saved_and_bad_dates_get_a_message_without_losing_the_rest()
    {
        var year = AppFixture.UniqueYear();
        var id = await app.NewReportAsync(year);
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/meta";
        var page = await FormPage.GetAsync(client, url);
        Assert.Contains("获嘉县教育局", page.Fields()["Input.Title"]);

        var refused = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            ["Input.Title"] = "获嘉县教育局年度报告（修订稿）",
            ["Input.PeriodStart"] = $"{year}-13-01",
            ["Input.PeriodEnd"] = $"{year}-12-31",
            ["Input.Contact"] = "获嘉县教育局办公室 0373-0000000",
        });
        Assert.Equal("请输入日期，例如 2024-01-01", refused.Document.GetElementById("m-PeriodStart-error")!.TextContent.Trim());
        Assert.Equal("true", refused.Document.GetElementById("m-PeriodStart")!.GetAttribute("aria-invalid"));
        Assert.Equal("获嘉县教育局年度报告（修订稿）", refused.Fields()["Input.Title"]);
        Assert.Equal("获嘉县教育局办公室 0373-0000000", refused.Fields()["Input.Contact"]);

        var outside = await refused.PostAsync(client, url, new Dictionary<string, string> { ["Input.PeriodStart"] = "2020-01-01" });
        Assert.Equal($"统计期应在报告年度{year}年内", outside.Document.GetElementById("m-PeriodStart-error")!.TextContent.Trim());
        var saved = await outside.PostAsync(client, url, new Dictionary<string, string> { ["Input.PeriodStart"] = $"{year}-01-01" });
        Assert.Contains("报告信息已保存", saved.Text);
        await using var db = app.Db();
        var report = await db.Reports.SingleAsync(r => r.Id == id);
        Assert.Equal("获嘉县教育局年度报告（修订稿）", report.Metadata.Title);
        Assert.Equal(new DateOnly(year, 1, 1), report.Metadata.PeriodStart);
        Assert.Equal("获嘉县教育局办公室 0373-0000000", report.Metadata.Contact);
    }

    [Fact]
    public async Task The_period_cannot_end_before_it_starts_and_the_title_is_required()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/meta";
        var page = await FormPage.GetAsync(client, url);
        var refused = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            ["Input.Title"] = " ",
            ["Input.PeriodStart"] = "2024-12-31",
            ["Input.PeriodEnd"] = "2024-01-01",
        });
        Assert.Equal("请填写报告标题", refused.Document.GetElementById("m-Title-error")!.TextContent.Trim());
        Assert.Equal("统计期结束日期不能早于开始日期", refused.Document.GetElementById("m-PeriodEnd-error")!.TextContent.Trim());
    }
}
