using System.Net;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>Defects found in review, pinned down: immutability of published versions in the database,
/// import that cannot bypass review, header binding of the public tables, and bad input that once gave 500s.</summary>
[Collection("Browser")]
public sealed class HardeningTests(PublishedAppFixture app) : IClassFixture<PublishedAppFixture>
{
    private static readonly string Government = UnifiedSocialCreditCode.Complete("11410724MB0000010");

    [Fact]
    public async Task The_database_refuses_any_change_to_a_published_version()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var update = new NpgsqlCommand("UPDATE snapshot_cells SET value = value + 1 WHERE snapshot_id = (SELECT min(id) FROM report_snapshots WHERE kind = 'Publication')", connection);
        var e = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());
        Assert.Contains("immutable", e.MessageText);
        var delete = new NpgsqlCommand("DELETE FROM report_snapshots WHERE kind = 'Publication'", connection);
        Assert.Contains("immutable", (await Assert.ThrowsAsync<PostgresException>(() => delete.ExecuteNonQueryAsync())).MessageText);
    }

    [Fact]
    public async Task Renaming_an_agency_later_does_not_change_its_published_versions()
    {
        var client = app.Factory.CreateClient();
        var before = JsonNode.Parse(await client.GetStringAsync($"/reports/{Government}/2022.json"))!.ToJsonString();
        await using (var db = app.Db())
            await db.Database.ExecuteSqlRawAsync("UPDATE agencies SET name = '获嘉县人民政府（改名后）' WHERE name = '获嘉县人民政府'");
        try
        {
            await using var fresh = new AppFactory(app.ConnectionString); // no cached copies
            var after = JsonNode.Parse(await fresh.CreateClient().GetStringAsync($"/reports/{Government}/2022.json"))!.ToJsonString();
            Assert.Equal(before, after);
            Assert.Equal("获嘉县人民政府", JsonNode.Parse(after)!["agency"]!["name"]!.GetValue<string>());
        }
        finally
        {
            await using var db = app.Db();
            await db.Database.ExecuteSqlRawAsync("UPDATE agencies SET name = '获嘉县人民政府' WHERE name = '获嘉县人民政府（改名后）'");
        }
    }

    [Fact]
    public async Task Import_never_touches_a_report_this_system_holds_and_refuses_malformed_input_with_a_message()
    {
        var json = JsonNode.Parse(await app.Factory.CreateClient().GetStringAsync($"/reports/{Government}/2023.json"))!;
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<ReportImporter>();
        Assert.Contains("已在本系统中", (await importer.ImportAsync(json.ToJsonString(), null, CancellationToken.None)).Problems.Single());
        Assert.Contains("格式不符", (await importer.ImportAsync("{\"format\":1}", null, CancellationToken.None)).Problems.Single());
        json["year"] = 2025;
        json["metadata"]!["title"] = new string('长', 300);
        Assert.Contains("metadata.title 最多200字", (await importer.ImportAsync(json.ToJsonString(), null, CancellationToken.None)).Problems);
        json["metadata"]!["title"] = "标题";
        json["publishedAt"] = "2099-01-01T00:00:00Z";
        Assert.Contains("发布时间不能晚于现在", (await importer.ImportAsync(json.ToJsonString(), null, CancellationToken.None)).Problems.Single());
    }

    [Fact]
    public async Task Every_value_cell_names_all_its_row_and_column_headers()
    {
        var page = await FormPage.GetAsync(app.Factory.CreateClient(), $"/reports/{Government}/2024");
        var cell = page.Document.QuerySelector("td[data-cell='apps.r3_1.biz']")!;
        var names = cell.GetAttribute("headers")!.Split(' ').Select(id => page.Document.GetElementById(id)!.TextContent.Trim()).ToList();
        Assert.Equal(["申请人情况", "法人或其他组织", "商业企业", "三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"], names);
        var fee = page.Document.QuerySelector("td[data-cell='a20_8.fees.amount']")!;
        Assert.Equal(["第二十条第（八）项", "本年收费金额（单位：万元）", "行政事业性收费"],
            fee.GetAttribute("headers")!.Split(' ').Select(id => page.Document.GetElementById(id)!.TextContent.Trim()));
    }

    [Fact]
    public async Task Out_of_range_years_control_characters_and_stray_comment_keys_get_pages_not_500s()
    {
        var reviewer = await app.ClientAsync("reviewer");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync("/review?Year=99999")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync("/review?Year=-5")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Factory.CreateClient().GetAsync("/search?q=%00")).StatusCode);

        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        await FormPage.PostHandlerAsync(await app.ClientAsync("edu"), $"/entry/{id}", "Submit");
        var review = await FormPage.GetAsync(reviewer, $"/review/{id}");
        var token = review.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await reviewer.PostAsync($"/review/{id}?handler=Return", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Reason"] = "请核对", ["SectionComments[nosuch]"] = "x",
        }));
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}");
        await using var db = app.Db();
        Assert.Empty(await db.ReviewComments.Where(c => c.ReportId == id).ToListAsync());
        Assert.Equal(Domain.Reports.ReportStatus.Returned, (await db.Reports.SingleAsync(r => r.Id == id)).Status);
    }
}
