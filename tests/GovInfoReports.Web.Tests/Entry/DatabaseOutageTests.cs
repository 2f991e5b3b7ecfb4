using System.Net;
using AngleSharp.Html.Dom;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>
/// The app reaches PostgreSQL through a forwarder the test cuts (connections refused, open and pooled ones
/// reset) and restores. A save during the outage answers 503 with the form drawn again from what was posted,
/// so nothing typed is lost, and the same form saves once the database is back.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseOutageTests.Fixture app) : IClassFixture<DatabaseOutageTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        public TcpForwarder Database { get; private set; } = null!;

        protected override string AppConnectionString(string direct)
        {
            var builder = new NpgsqlConnectionStringBuilder(direct);
            Database = new TcpForwarder(builder.Host!, builder.Port);
            Database.Start();
            builder.Host = "127.0.0.1";
            builder.Port = Database.Port;
            return builder.ConnectionString;
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Database.Dispose();
        }
    }

    private const string Unsaved = "数据库暂时无法连接，您填写的内容尚未保存，请稍后重试";

    private async Task<T> WhileDownAsync<T>(Func<Task<T>> action)
    {
        app.Database.Stop();
        try
        {
            return await action();
        }
        finally
        {
            app.Database.Start();
        }
    }

    [Fact]
    public async Task A_section_save_while_the_database_is_down_answers_503_keeps_every_typed_value_and_saves_once_it_is_back()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var clerk = await app.ClientAsync("edu");
        var url = $"/entry/{id}/s3";
        var form = await FormPage.GetAsync(clerk, url);
        var typed = new Dictionary<string, string>
        {
            ["apps.new.np"] = "12",
            ["apps.new.biz"] = "３",       // full-width, as typed: shown back unchanged
            ["apps.carry_in.np"] = "1,000",
        };

        var down = await WhileDownAsync(() => form.PostAsync(clerk, url, typed.ToDictionary(t => FormPage.Cell(t.Key), t => t.Value), "#section-form"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Response.StatusCode);
        Assert.Contains(Unsaved, down.Document.QuerySelector("main [role=alert]")!.TextContent);
        Assert.DoesNotContain("处理您的请求时发生错误", down.Text);
        foreach (var (cell, value) in typed) Assert.Equal(value, down.InputValue(cell));
        Assert.Equal("", down.InputValue("apps.new.res")); // untouched blank stays blank
        Assert.Equal("15", down.InputValue("apps.new.tot")); // totals drawn from what was typed
        Assert.NotNull(down.Document.QuerySelector("#section-form button[type=submit]"));
        await using (var db = app.Db())
            Assert.False(await db.ReportCells.AnyAsync(c => c.ReportId == id));

        // Database back: the clerk presses 保存 again on the same page.
        var saved = await down.PostAsync(clerk, url, new Dictionary<string, string>(), "#section-form");
        Assert.Equal(HttpStatusCode.OK, saved.Response.StatusCode);
        Assert.Contains("已保存（3处修改）", saved.Text);
        await using (var db = app.Db())
        {
            var cells = await db.ReportCells.Where(c => c.ReportId == id).ToDictionaryAsync(c => c.CellId, c => c.Value);
            Assert.Equal(12m, cells["apps.new.np"]);
            Assert.Equal(3m, cells["apps.new.biz"]);
            Assert.Equal(1000m, cells["apps.carry_in.np"]);
        }
    }

    [Fact]
    public async Task A_narrative_save_while_the_database_is_down_keeps_the_typed_text()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var clerk = await app.ClientAsync("edu");
        var url = $"/entry/{id}/s5";
        var form = await FormPage.GetAsync(clerk, url);
        const string text = "政务公开工作机制还需完善。\n下一步将加强培训。";

        var down = await WhileDownAsync(() => form.PostAsync(clerk, url, new Dictionary<string, string> { ["Input.Texts[s5.text]"] = text }, "#section-form"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Response.StatusCode);
        Assert.Contains(Unsaved, down.Document.QuerySelector("main [role=alert]")!.TextContent);
        Assert.Equal(text, ((IHtmlTextAreaElement)down.Document.QuerySelector("textarea[data-part='s5.text']")!).Value);

        var saved = await down.PostAsync(clerk, url, new Dictionary<string, string>(), "#section-form");
        Assert.Contains("已保存（1处修改）", saved.Text);
        await using var db = app.Db();
        Assert.Equal(text, await db.ReportTexts.Where(t => t.ReportId == id && t.PartId == "s5.text").Select(t => t.Text).SingleAsync());
    }

    [Fact]
    public async Task A_metadata_save_while_the_database_is_down_answers_503_keeps_every_field_and_saves_once_it_is_back()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var clerk = await app.ClientAsync("edu");
        var url = $"/entry/{id}/meta";
        var form = await FormPage.GetAsync(clerk, url);
        var typed = new Dictionary<string, string>
        {
            ["Input.Title"] = "获嘉县教育局政府信息公开工作年度报告（修订稿）",
            ["Input.Contact"] = "获嘉县教育局办公室，电话 0373-4501234",
        };

        var down = await WhileDownAsync(() => form.PostAsync(clerk, url, typed));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Response.StatusCode);
        Assert.Contains(Unsaved, down.Document.QuerySelector("main [role=alert]")!.TextContent);
        Assert.Equal(typed["Input.Title"], ((IHtmlInputElement)down.Document.GetElementById("m-Title")!).Value);
        Assert.Equal(typed["Input.Contact"], ((IHtmlTextAreaElement)down.Document.GetElementById("m-Contact")!).Value);
        Assert.Equal(form.Fields()["Input.PeriodStart"], ((IHtmlInputElement)down.Document.GetElementById("m-PeriodStart")!).Value);

        var saved = await down.PostAsync(clerk, url, new Dictionary<string, string>());
        Assert.Contains("报告信息已保存", saved.Text);
        await using var db = app.Db();
        var report = await db.Reports.SingleAsync(r => r.Id == id);
        Assert.Equal(typed["Input.Title"], report.Metadata.Title);
        Assert.Equal(typed["Input.Contact"], report.Metadata.Contact);
    }

    [Fact]
    public async Task Pages_and_other_posts_while_the_database_is_down_answer_a_chinese_503_page_and_the_session_survives()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var clerk = await app.ClientAsync("edu");
        var overview = await FormPage.GetAsync(clerk, $"/entry/{id}");

        var (page, submit, anonymous) = await WhileDownAsync(async () => (
            await FormPage.GetAsync(clerk, $"/entry/{id}"),
            await overview.PostAsync(clerk, $"/entry/{id}", new Dictionary<string, string>(), "form[action*='handler=Submit']", "Submit"),
            await FormPage.GetAsync(app.Factory.CreateClient(), "/regions")));

        foreach (var response in new[] { page, submit, anonymous })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Response.StatusCode);
            Assert.Contains("数据库暂时无法连接", response.Document.QuerySelector("main")!.TextContent);
            Assert.DoesNotContain("处理您的请求时发生错误", response.Text);
        }
        Assert.Contains("您的操作尚未完成", submit.Text);

        // Back up: the same sign-in still works.
        Assert.Equal(HttpStatusCode.OK, (await clerk.GetAsync($"/entry/{id}")).StatusCode);
    }

    [Fact]
    public async Task Once_the_database_is_back_no_request_fails_on_a_connection_that_died_with_it()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var clerk = await app.ClientAsync("edu");
        // Several requests at once leave several idle connections in the pool; the outage kills them all.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => (await clerk.GetAsync($"/entry/{id}")).StatusCode));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));

        var down = await WhileDownAsync(() => clerk.GetAsync($"/entry/{id}"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);

        for (var i = 0; i < 8; i++)
            Assert.Equal(HttpStatusCode.OK, (await clerk.GetAsync($"/entry/{id}")).StatusCode);
    }
}
