using System.Net;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>
/// 一、总体情况 as written (issue 8 part 6): the narrative form lets the clerk keep, rename, empty, move, remove and
/// add parts, the opening paragraph before （一） included; each change is saved with everything typed, and the
/// preview prints exactly the outline written. Over HTTP against real PostgreSQL.
/// </summary>
public sealed class OutlineEditorTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static string Heading(int place) => $"Input.Parts[{place}].Heading";

    private async Task<List<(string Id, int Position, string? Heading)>> StoredOutlineAsync(int reportId)
    {
        await using var db = app.Db();
        var report = await db.Reports.AsNoTracking().SingleAsync(r => r.Id == reportId);
        return report.Parts("s1").Select((p, i) => (p.Id, i, p.Heading)).ToList();
    }

    private async Task<Dictionary<string, string>> StoredTextsAsync(int reportId)
    {
        await using var db = app.Db();
        var report = await db.Reports.Include(r => r.Texts).AsNoTracking().SingleAsync(r => r.Id == reportId);
        return report.TextValues().ToDictionary();
    }

    [Fact]
    public async Task The_form_draws_the_opening_and_the_recommended_headings_as_editable_fields()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var page = await FormPage.GetAsync(await app.ClientAsync("edu"), $"/entry/{id}/s1");

        var headings = page.Document.QuerySelectorAll("input.part-heading-input").Select(i => i.GetAttribute("value") ?? "").ToList();
        Assert.Equal(["", "（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"], headings);
        Assert.Equal("第1部分的标题", page.Document.QuerySelector("label[for='h-c-s1-opening']")!.TextContent);
        Assert.NotNull(page.Document.GetElementById("c-s1-opening"));
        Assert.Equal(6, page.Document.QuerySelectorAll("textarea[data-part]").Length);
        Assert.True(page.Document.QuerySelector("button[value='up:0']")!.HasAttribute("disabled"));
        Assert.True(page.Document.QuerySelector("button[value='down:5']")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task Renaming_moving_removing_and_adding_parts_saves_the_outline_with_every_text_typed_and_the_preview_prints_it()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/s1";
        var page = await FormPage.GetAsync(client, url);

        // Rename （一）, empty （二）'s heading, type texts, and move （三） up in the same post.
        page = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            ["Input.Texts[s1.opening]"] = "本年度，本局认真贯彻《条例》。",
            [Heading(1)] = "一是完善主动公开目录",
            ["Input.Texts[s1.active]"] = "更新目录37条。",
            [Heading(2)] = "",
            ["Input.Texts[s1.request]"] = "全年收到申请8件。",
            ["OutlineAction"] = "up:3",
        });
        Assert.Equal(HttpStatusCode.OK, page.Response.StatusCode);
        Assert.Contains("已保存", page.Text);
        Assert.Equal(
            [("s1.opening", 0, null), ("s1.active", 1, "一是完善主动公开目录"), ("s1.management", 2, "（三）政府信息管理"), ("s1.request", 3, null),
             ("s1.platform", 4, "（四）政府信息公开平台建设"), ("s1.oversight", 5, "（五）监督保障")],
            await StoredOutlineAsync(id));

        // Remove （四） and add a part with its own heading and text.
        page = await page.PostAsync(client, url, new Dictionary<string, string> { ["OutlineAction"] = "remove:4" });
        page = await page.PostAsync(client, url, new Dictionary<string, string> { ["OutlineAction"] = "add" });
        var added = page.Document.QuerySelectorAll("input.part-heading-input").Last();
        Assert.Equal("", added.GetAttribute("value") ?? "");
        page = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            [added.GetAttribute("name")!] = "二是抓好政务公开培训",
            [$"Input.Texts[{page.Document.QuerySelectorAll("textarea[data-part]").Last().GetAttribute("data-part")}]"] = "举办培训2期。",
        });

        var outline = await StoredOutlineAsync(id);
        Assert.Equal(["s1.opening", "s1.active", "s1.management", "s1.request", "s1.oversight", "s1.part_a"], outline.Select(p => p.Id));
        Assert.Equal("二是抓好政务公开培训", outline[^1].Heading);
        var texts = await StoredTextsAsync(id);
        Assert.Equal("举办培训2期。", texts["s1.part_a"]);
        Assert.Equal("更新目录37条。", texts["s1.active"]);
        Assert.False(texts.ContainsKey("s1.platform"));

        var preview = await FormPage.GetAsync(client, $"/entry/{id}/preview");
        var printed = System.Text.RegularExpressions.Regex.Replace(preview.Document.QuerySelector("article.report-document")!.TextContent, @"\s+", "");
        Assert.Contains("一、总体情况本年度，本局认真贯彻《条例》。一是完善主动公开目录更新目录37条。（三）政府信息管理全年收到申请8件。（五）监督保障二是抓好政务公开培训举办培训2期。二、", printed);
        Assert.DoesNotContain("（二）依申请公开", printed);
        Assert.DoesNotContain("（四）政府信息公开平台建设", printed);
    }

    [Fact]
    public async Task A_heading_too_long_gets_a_message_beside_it_and_the_page_keeps_every_heading_and_text_typed()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/s1";
        var page = await FormPage.GetAsync(client, url);
        var before = await StoredOutlineAsync(id);

        var longHeading = new string('标', 201);
        page = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            [Heading(1)] = longHeading,
            [Heading(2)] = "二是规范依申请公开",
            ["Input.Texts[s1.request]"] = "全年收到申请8件。",
            ["OutlineAction"] = "add",
        });

        Assert.Equal("标题最多200字，当前201字", page.Document.GetElementById("eh-c-s1-active")!.TextContent.Trim());
        Assert.Equal("true", page.Document.GetElementById("h-c-s1-active")!.GetAttribute("aria-invalid"));
        var headings = page.Document.QuerySelectorAll("input.part-heading-input").Select(i => i.GetAttribute("value") ?? "").ToList();
        Assert.Equal(longHeading, headings[1]);
        Assert.Equal("二是规范依申请公开", headings[2]);
        Assert.Equal(7, headings.Count); // the part added stays on the page
        Assert.Equal("全年收到申请8件。", page.Document.GetElementById("c-s1-request")!.TextContent);
        Assert.Equal(before, await StoredOutlineAsync(id));

        // Corrected and saved again from the same page: the outline and the text are saved together.
        page = await page.PostAsync(client, url, new Dictionary<string, string> { [Heading(1)] = "一是完善主动公开目录" });
        Assert.DoesNotContain(page.Document.QuerySelectorAll(".field-error"), e => e.TextContent.Trim().Length > 0);
        var outline = await StoredOutlineAsync(id);
        Assert.Equal(7, outline.Count);
        Assert.Equal(("一是完善主动公开目录", "二是规范依申请公开"), (outline[1].Heading, outline[2].Heading));
        Assert.Equal("全年收到申请8件。", (await StoredTextsAsync(id))["s1.request"]);
    }

    [Fact]
    public async Task An_outline_changed_by_someone_else_meanwhile_is_not_overwritten_and_the_texts_are_still_saved()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/s1";
        var first = await FormPage.GetAsync(client, url);
        var second = await FormPage.GetAsync(client, url);

        await first.PostAsync(client, url, new Dictionary<string, string> { [Heading(1)] = "一是完善主动公开目录" });
        var page = await second.PostAsync(client, url, new Dictionary<string, string>
        {
            [Heading(1)] = "一、主动公开",
            ["Input.Texts[s1.request]"] = "全年收到申请8件。",
        });

        Assert.Contains("保存冲突：他人在您打开页面后修改了本部分的标题或顺序（现为：（无标题） ｜ 一是完善主动公开目录 ｜", page.ErrorText("c-s1"));
        Assert.Equal("一是完善主动公开目录", (await StoredOutlineAsync(id))[1].Heading);
        Assert.Equal("全年收到申请8件。", (await StoredTextsAsync(id))["s1.request"]);
        Assert.Equal("一、主动公开", page.Document.GetElementById("h-c-s1-active")!.GetAttribute("value"));

        // Saving again from the page shown applies the clerk's outline knowingly.
        await page.PostAsync(client, url, new Dictionary<string, string>());
        Assert.Equal("一、主动公开", (await StoredOutlineAsync(id))[1].Heading);
    }
}
