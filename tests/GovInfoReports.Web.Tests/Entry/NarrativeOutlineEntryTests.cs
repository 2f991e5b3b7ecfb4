using System.Net;
using AngleSharp.Html.Dom;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>一、总体情况 in the section form as the agency wrote it (issue 8): the free opening before （一） and the
/// heading of each part as printed, saved over HTTP against real PostgreSQL, merged per part, audited.</summary>
public sealed class NarrativeOutlineEntryTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<IReadOnlyList<WrittenPart>> OutlineAsync(int reportId)
    {
        await using var db = app.Db();
        return (await db.Reports.Include(r => r.Texts).SingleAsync(r => r.Id == reportId)).Parts("s1");
    }

    // The form posts the outline by place: the opening, then the recommended parts in order.
    private static readonly string[] Recommended = ["s1.opening", "s1.active", "s1.request", "s1.management", "s1.platform", "s1.oversight"];
    private static string Heading(string partId) => $"Input.Parts[{Array.IndexOf(Recommended, partId)}].Heading";
    private static string Text(string partId) => $"Input.Texts[{partId}]";

    [Theory]
    [InlineData(2020)] // the 2019 format
    [InlineData(2021)]
    public async Task The_overview_form_offers_the_free_opening_first_and_saves_it(int year)
    {
        var id = await app.NewReportAsync(year, "获嘉县人民政府办公室");
        var client = await app.ClientAsync("office");
        var url = $"/entry/{id}/s1";
        var page = await FormPage.GetAsync(client, url);

        var textareas = page.Document.QuerySelectorAll("#section-form textarea[data-part]").Select(t => t.GetAttribute("data-part")).ToList();
        Assert.Equal(["s1.opening", "s1.active", "s1.request", "s1.management", "s1.platform", "s1.oversight"], textareas);
        Assert.Equal("", ((IHtmlInputElement)page.Document.GetElementById("h-c-s1-opening")!).Value); // the opening has no heading
        Assert.Equal("（一）主动公开", ((IHtmlInputElement)page.Document.GetElementById("h-c-s1-active")!).Value);

        var saved = await page.PostAsync(client, url, new Dictionary<string, string> { [Text("s1.opening")] = "2020年，县政府办公室认真贯彻《条例》。" });
        Assert.Contains("已保存（1处修改）", saved.Text);
        Assert.Equal("2020年，县政府办公室认真贯彻《条例》。", (await OutlineAsync(id)).Single(p => p.Id == "s1.opening").Text);
    }

    [Fact]
    public async Task A_heading_typed_as_printed_replaces_the_recommended_one_and_a_blank_heading_is_none_with_text_and_order_kept()
    {
        var id = await app.NewReportAsync(2020, "获嘉县教育局");
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/s1";
        var page = await FormPage.GetAsync(client, url);

        var saved = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            [Heading("s1.active")] = "  （一）切实加强政务信息透明化公开化建设\n",
            [Text("s1.active")] = "全县各级各部门主动公开政府信息总数2083条。",
            [Heading("s1.oversight")] = "",
        });

        Assert.Equal(HttpStatusCode.OK, saved.Response.StatusCode);
        Assert.Contains("已保存（3处修改）", saved.Text);
        Assert.Equal(
            ["s1.opening:∅:", "s1.active:（一）切实加强政务信息透明化公开化建设:全县各级各部门主动公开政府信息总数2083条。", "s1.request:（二）依申请公开:",
             "s1.management:（三）政府信息管理:", "s1.platform:（四）政府信息公开平台建设:", "s1.oversight:∅:"],
            (await OutlineAsync(id)).Select(p => $"{p.Id}:{p.Heading ?? "∅"}:{p.Text}"));
        Assert.Equal("（一）切实加强政务信息透明化公开化建设", ((IHtmlInputElement)saved.Document.GetElementById("h-c-s1-active")!).Value);
        Assert.Equal("", ((IHtmlInputElement)saved.Document.GetElementById("h-c-s1-oversight")!).Value);
        await using var db = app.Db();
        var audit = await db.AuditEntries.Where(a => a.ReportId == id && a.Target == AuditTarget.Heading)
            .Select(a => a.Key + " " + a.OldValue + " → " + a.NewValue).ToListAsync();
        Assert.Equal(["s1.active （一）主动公开 → （一）切实加强政务信息透明化公开化建设", "s1.oversight （五）监督保障 → "], audit.Order());
    }

    [Fact]
    public async Task A_heading_changed_by_someone_else_meanwhile_is_a_conflict_and_the_clerks_heading_is_not_saved()
    {
        var id = await app.NewReportAsync(2019, "获嘉县人民政府办公室");
        var client = await app.ClientAsync("office");
        var url = $"/entry/{id}/s1";
        var stale = await FormPage.GetAsync(client, url);
        await (await FormPage.GetAsync(client, url)).PostAsync(client, url, new Dictionary<string, string> { [Heading("s1.request")] = "（二）依申请公开办理情况" });

        var refused = await stale.PostAsync(client, url, new Dictionary<string, string> { [Heading("s1.request")] = "（二）规范依申请公开" });

        Assert.Contains("他人在您打开页面后修改了本部分的标题或顺序", refused.ErrorText("c-s1"));
        Assert.Equal("（二）依申请公开办理情况", (await OutlineAsync(id)).Single(p => p.Id == "s1.request").Heading);
        Assert.Equal("（二）规范依申请公开", ((IHtmlInputElement)refused.Document.GetElementById("h-c-s1-request")!).Value); // what was typed stays
    }
}
