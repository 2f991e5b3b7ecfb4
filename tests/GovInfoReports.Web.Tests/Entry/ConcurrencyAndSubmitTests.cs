using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Entry;

public sealed class ConcurrencyAndSubmitTests(AppFixture app) : IClassFixture<AppFixture>
{
    private Task<HttpClient> ClientAsync(string user = "edu") => app.ClientAsync(user);

    private async Task<decimal?> StoredAsync(int reportId, string cellId)
    {
        await using var db = app.Db();
        return await db.ReportCells.Where(c => c.ReportId == reportId && c.CellId == cellId).Select(c => (decimal?)c.Value).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task Two_clerks_saving_different_sections_never_conflict()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var (alice, bob) = (await ClientAsync(), await ClientAsync());
        var aPage = await FormPage.GetAsync(alice, $"/entry/{id}/s3");
        var bPage = await FormPage.GetAsync(bob, $"/entry/{id}/s4");

        await aPage.PostAsync(alice, $"/entry/{id}/s3", new Dictionary<string, string> { [FormPage.Cell("apps.new.np")] = "5" });
        var b = await bPage.PostAsync(bob, $"/entry/{id}/s4", new Dictionary<string, string> { [FormPage.Cell("lit.all.rv_keep")] = "2" });

        Assert.Contains("已保存（1处修改）", b.Text);
        Assert.Equal(5m, await StoredAsync(id, "apps.new.np"));
        Assert.Equal(2m, await StoredAsync(id, "lit.all.rv_keep"));
    }

    [Fact]
    public async Task On_the_same_section_only_cells_both_changed_conflict_and_the_second_saver_is_told_which()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var (alice, bob) = (await ClientAsync(), await ClientAsync());
        var url = $"/entry/{id}/s3";
        var aPage = await FormPage.GetAsync(alice, url);
        var bPage = await FormPage.GetAsync(bob, url);

        await aPage.PostAsync(alice, url, new Dictionary<string, string>
        {
            [FormPage.Cell("apps.new.np")] = "5",
            [FormPage.Cell("apps.r1.np")] = "5",
        });
        var b = await bPage.PostAsync(bob, url, new Dictionary<string, string>
        {
            [FormPage.Cell("apps.new.np")] = "6",  // Alice changed this one too: conflict
            [FormPage.Cell("apps.r1.np")] = "5",   // same change as Alice: no conflict
            [FormPage.Cell("apps.new.biz")] = "1", // only Bob: saved
        });

        Assert.Equal("保存冲突：您打开页面后，他人已将此格由 空白 改为 5，您的输入未保存。请核对后再次保存。",
            b.ErrorText(FormPage.DomId("apps.new.np")));
        Assert.Equal("", b.ErrorText(FormPage.DomId("apps.r1.np")));
        Assert.Equal("6", b.InputValue("apps.new.np")); // Bob's typing stays on the page
        Assert.Equal(5m, await StoredAsync(id, "apps.new.np")); // no silent overwrite
        Assert.Equal(1m, await StoredAsync(id, "apps.new.biz"));

        // Having seen the conflict, Bob saves again and his value now wins deliberately.
        var again = await b.PostAsync(bob, url, new Dictionary<string, string>());
        Assert.Equal("", again.ErrorText(FormPage.DomId("apps.new.np")));
        Assert.Equal(6m, await StoredAsync(id, "apps.new.np"));
    }

    [Fact]
    public async Task Simultaneous_saves_of_different_cells_both_land()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var clients = (await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => ClientAsync()))).ToList();
        var url = $"/entry/{id}/s3";
        var pages = await Task.WhenAll(clients.Select(c => FormPage.GetAsync(c, url)));
        string[] columns = ["np", "biz", "res", "ngo", "law", "oth"];
        await Task.WhenAll(pages.Select((p, i) => p.PostAsync(clients[i], url,
            new Dictionary<string, string> { [FormPage.Cell($"apps.new.{columns[i]}")] = (i + 1).ToString() })));
        for (var i = 0; i < columns.Length; i++) Assert.Equal(i + 1, await StoredAsync(id, $"apps.new.{columns[i]}"));
        Assert.Equal(21m, await StoredAsync(id, "apps.new.tot"));
    }

    [Fact]
    public async Task Submit_is_refused_while_the_identity_does_not_balance_and_accepted_once_it_does()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        await using (var db = app.Db())
        {
            var cell = await db.ReportCells.SingleAsync(c => c.ReportId == id && c.CellId == "apps.r1.np");
            db.Entry(cell).Property(c => c.Value).CurrentValue = 5m;
            await db.SaveChangesAsync();
        }
        var client = await ClientAsync();
        var overview = await FormPage.GetAsync(client, $"/entry/{id}");
        var refused = await overview.PostAsync(client, $"/entry/{id}", new Dictionary<string, string>(), "form.submit-form", "Submit");

        Assert.Contains("不能提交", refused.Text);
        Assert.Contains("表三 自然人列：一（8）＋二（0）＝8，三（七）总计（7）＋四（0）＝7，相差1", refused.Text);
        Assert.Equal(ReportStatus.Draft, await StatusAsync(id));

        // Fix it through the form, as the clerk would.
        var section = await FormPage.GetAsync(client, $"/entry/{id}/s3");
        await section.PostAsync(client, $"/entry/{id}/s3", new Dictionary<string, string> { [FormPage.Cell("apps.r1.np")] = "6" });
        overview = await FormPage.GetAsync(client, $"/entry/{id}");
        var submitted = await overview.PostAsync(client, $"/entry/{id}", new Dictionary<string, string>(), "form.submit-form", "Submit");

        Assert.Contains("报告已提交，等待审核", submitted.Text);
        Assert.Equal(ReportStatus.Submitted, await StatusAsync(id));

        // A submitted report is read-only: a save is refused and changes nothing.
        var locked = await FormPage.GetAsync(client, $"/entry/{id}/s3");
        Assert.Null(locked.Document.QuerySelector("#section-form button[type=submit]"));
        var response = await locked.PostAsync(client, $"/entry/{id}/s3", new Dictionary<string, string> { [FormPage.Cell("apps.r1.np")] = "9" }, "#section-form");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.Response.StatusCode);
        Assert.Contains("不能修改", response.Text);
        Assert.Equal(6m, await StoredAsync(id, "apps.r1.np"));
    }

    [Fact]
    public async Task A_warning_does_not_block_but_needs_a_written_explanation()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id, ("a20_1.rules.issued", 1m), ("a20_1.rules.in_force", 1m));
        var client = await ClientAsync();
        var overview = await FormPage.GetAsync(client, $"/entry/{id}");
        var refused = await overview.PostAsync(client, $"/entry/{id}", new Dictionary<string, string>(), "form.submit-form", "Submit");
        Assert.Contains("请填写说明：第二十条第（一）项 规章行：本机关没有规章制定权", refused.Text);
        Assert.Equal(ReportStatus.Draft, await StatusAsync(id));

        var explained = await refused.PostAsync(client, $"/entry/{id}", new Dictionary<string, string>
        {
            ["Explanations[C4]"] = "本年代县政府起草规章1件，经市政府发布，按市里要求计入。",
        }, "form[action*=Explain]", "Explain");
        Assert.Contains("说明已保存", explained.Text);

        var submitted = await explained.PostAsync(client, $"/entry/{id}", new Dictionary<string, string>(), "form.submit-form", "Submit");
        Assert.Contains("报告已提交，等待审核", submitted.Text);
        await using var db = app.Db();
        var report = await db.Reports.Include(r => r.Explanations).SingleAsync(r => r.Id == id);
        Assert.Equal("本年代县政府起草规章1件，经市政府发布，按市里要求计入。", report.Explanations.Single(e => e.RuleKey == "C4").Text);
    }

    private async Task<ReportStatus> StatusAsync(int id)
    {
        await using var db = app.Db();
        return await db.Reports.Where(r => r.Id == id).Select(r => r.Status).SingleAsync();
    }
}
