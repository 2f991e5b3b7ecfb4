using System.Net;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Forms;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Forms;

/// <summary>What people type is cleaned the same way on every form: U+0000 is reported at its field with the
/// form kept (the framework's form reader used to refuse the whole request with a bare 400), bidi overrides and
/// control characters are removed, lengths are checked before the database does, and a malformed import is
/// explained in Chinese.</summary>
public sealed class InputHygieneTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_nul_in_the_metadata_title_is_reported_at_the_title_and_nothing_typed_is_lost()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/meta";
        var page = await FormPage.GetAsync(client, url);
        var refused = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            ["Input.Title"] = "年度报告\0（草稿）",
            ["Input.Contact"] = "教育局办公室 0373-1234567",
        });
        Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
        Assert.Equal(InputText.NulMessage, refused.Document.GetElementById("m-Title-error")!.TextContent.Trim());
        Assert.Equal("年度报告（草稿）", refused.Fields()["Input.Title"]);
        Assert.Equal("教育局办公室 0373-1234567", refused.Fields()["Input.Contact"]);
        await using var db = app.Db();
        Assert.Null((await db.Reports.SingleAsync(r => r.Id == id)).Metadata.Contact);
    }

    [Fact]
    public async Task A_nul_in_an_agency_name_is_reported_at_the_name_and_nothing_typed_is_lost()
    {
        var admin = await app.ClientAsync("admin");
        await using var db = app.Db();
        var region = await db.Regions.SingleAsync(r => r.Code == "410724");
        var code = UnifiedSocialCreditCode.Complete("11410724MB0000801");
        var page = await FormPage.GetAsync(admin, "/admin/agencies");
        var refused = await page.PostAsync(admin, "/admin/agencies", new Dictionary<string, string>
        {
            ["Input.Code"] = code, ["Input.Name"] = "获嘉县\0统计局", ["Input.Kind"] = "Department", ["Input.RegionId"] = region.Id.ToString(),
        });
        Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
        Assert.Equal(InputText.NulMessage, refused.Document.GetElementById("a-name-error")!.TextContent.Trim());
        Assert.Equal(code, refused.Fields()["Input.Code"]);
        Assert.Equal("获嘉县统计局", refused.Fields()["Input.Name"]);
        Assert.False(await db.Agencies.AnyAsync(a => a.Code == code));
    }

    [Fact]
    public async Task A_nul_in_a_paragraph_is_reported_at_the_paragraph_and_nothing_is_saved()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/s1";
        var page = await FormPage.GetAsync(client, url);
        var refused = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            ["Input.Texts[s1.active]"] = "主动公开\0情况。",
            ["Input.Texts[s1.request]"] = "依申请公开情况。",
        });
        Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
        Assert.Equal(InputText.NulMessage, refused.ErrorText(FormPage.DomId("s1.active")));
        Assert.Equal("主动公开情况。", refused.Document.GetElementById(FormPage.DomId("s1.active"))!.TextContent);
        Assert.Equal("依申请公开情况。", refused.Document.GetElementById(FormPage.DomId("s1.request"))!.TextContent);
        await using var db = app.Db();
        Assert.False(await db.ReportTexts.AnyAsync(t => t.ReportId == id));
    }

    [Fact]
    public async Task A_nul_in_the_login_name_is_reported_at_the_field()
    {
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var page = await FormPage.GetAsync(client, "/account/login");
        var refused = await page.PostAsync(client, "/account/login", new Dictionary<string, string>
        {
            ["Input.UserName"] = "ed\0u", ["Input.Password"] = AppFixture.PasswordOf("edu"),
        });
        Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
        Assert.Equal(InputText.NulMessage, refused.Document.GetElementById("user-error")!.TextContent.Trim());
        Assert.Equal("edu", refused.Fields()["Input.UserName"]);
    }

    [Fact]
    public async Task Bidi_overrides_and_control_characters_are_removed_from_names_and_texts_on_input()
    {
        var admin = await app.ClientAsync("admin");
        await using var db = app.Db();
        var county = await db.Regions.SingleAsync(r => r.Code == "410724");
        var code = UnifiedSocialCreditCode.Complete("11410724MB0000802");
        var agencies = await FormPage.GetAsync(admin, "/admin/agencies");
        await agencies.PostAsync(admin, "/admin/agencies", new Dictionary<string, string>
        {
            ["Input.Code"] = code, ["Input.Name"] = "获嘉县\u202E局育教\u202C\u0007审计局", ["Input.Kind"] = "Department", ["Input.RegionId"] = county.Id.ToString(),
        });
        Assert.Equal("获嘉县局育教审计局", (await db.Agencies.SingleAsync(a => a.Code == code)).Name);

        var regions = await FormPage.GetAsync(admin, "/admin/regions");
        var town = await db.Regions.SingleAsync(r => r.Code == "410724101");
        var rename = $"form[action*='handler=Rename'][action*='id={town.Id}']";
        await regions.PostAsync(admin, regions.Document.QuerySelector(rename)!.GetAttribute("action")!,
            new Dictionary<string, string> { ["NewName"] = "\u2066太山镇\u2069\u001B" }, rename);
        await db.Entry(town).ReloadAsync();
        Assert.Equal("太山镇", town.Name);

        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var clerk = await app.ClientAsync("edu");
        var meta = await FormPage.GetAsync(clerk, $"/entry/{id}/meta");
        await meta.PostAsync(clerk, $"/entry/{id}/meta", new Dictionary<string, string> { ["Input.Title"] = "\u202Dxxx年度报告\u0008" });
        var section = await FormPage.GetAsync(clerk, $"/entry/{id}/s1");
        await section.PostAsync(clerk, $"/entry/{id}/s1", new Dictionary<string, string>
        {
            ["Input.Texts[s1.active]"] = "第一段\r\n第二段\u202B（内容）\u202C\t结束\r\u0001",
        });
        var report = await db.Reports.Include(r => r.Texts).SingleAsync(r => r.Id == id);
        Assert.Equal("xxx年度报告", report.Metadata.Title);
        Assert.Equal("第一段\n第二段（内容）\t结束", report.Texts.Single(t => t.PartId == "s1.active").Text);
    }

    [Fact]
    public void Cleaning_keeps_tabs_line_feeds_and_crlf_and_removes_every_other_control_and_bidi_character()
    {
        Assert.Equal("a\tb\nc\r\nd", InputText.Clean("a\tb\nc\r\nd"));
        Assert.Equal("abcdefg", InputText.Clean("a\u0000b\u001Fc\rd\u202Ae\u202Ef\u2066\u2069g"));
        Assert.Equal("\u200Ex\u202F", InputText.Clean("\u200E\u2067x\u202F")); // LRM and U+202F are not overrides
        Assert.Null(InputText.Clean(null));
    }

    [Fact]
    public async Task A_deadline_basis_over_500_characters_gets_a_field_error_not_a_500()
    {
        var admin = await app.ClientAsync("admin");
        await using var db = app.Db();
        var city = await db.Regions.SingleAsync(r => r.Code == "410700");
        var basis = new string('依', 501);
        var page = await FormPage.GetAsync(admin, "/admin/regions");
        var refused = await page.PostAsync(admin, "/admin/regions", new Dictionary<string, string>
        {
            ["NewDeadline.RegionId"] = city.Id.ToString(), ["NewDeadline.Kind"] = "Department", ["NewDeadline.Date"] = "1-20", ["NewDeadline.Basis"] = basis,
        }, "form[action*='handler=Deadline']", "Deadline");
        Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
        Assert.Equal("依据最多500字，当前501字", refused.Document.GetElementById("d-basis-error")!.TextContent.Trim());
        Assert.Equal(basis, refused.Fields("form[action*='handler=Deadline']")["NewDeadline.Basis"]);
        Assert.False(await db.DeadlineOverrides.AnyAsync(o => o.RegionId == city.Id));
    }

    [Fact]
    public async Task A_display_name_over_50_characters_gets_a_field_error()
    {
        var admin = await app.ClientAsync("admin");
        var page = await FormPage.GetAsync(admin, "/admin/users");
        var refused = await page.PostAsync(admin, "/admin/users", new Dictionary<string, string>
        {
            ["Input.UserName"] = "longname", ["Input.DisplayName"] = new string('名', 51), ["Input.Password"] = "Longname#2026",
            ["Input.Role"] = "Admin",
        }, "form[action*='handler=Create']", "Create");
        Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
        Assert.Equal("姓名或岗位最多50字，当前51字", refused.Document.GetElementById("u-display-error")!.TextContent.Trim());
        Assert.Equal("longname", refused.Fields("form[action*='handler=Create']")["Input.UserName"]);
        await using var db = app.Db();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "longname"));
    }

    [Fact]
    public async Task An_import_with_a_null_cell_a_text_cell_or_no_json_at_all_is_refused_in_chinese_naming_the_cell()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<ReportImporter>();
        async Task<IReadOnlyList<string>> Import(string json) => (await importer.ImportAsync(json, null, CancellationToken.None)).Problems;

        // Each refusal names the JSON path (the schema's messages, see OpenDataSchema), in Chinese.
        var report = ImportJson();
        report["cells"]!["apps.new.np"] = null;
        Assert.Contains("$.cells['apps.new.np']：应为数字，实为null", await Import(report.ToJsonString()));
        report["cells"]!["apps.new.np"] = "8";
        Assert.Contains("$.cells['apps.new.np']：应为数字，实为文本", await Import(report.ToJsonString()));
        // A report's text pasted into the JSON box is sent where text is read (issue 10), not given a parser's position.
        Assert.Equal("这不是开放数据JSON。要导入报告的文字或网页、Word、PDF、Excel文件，请使用“导入报告”（/import）", Assert.Single(await Import("年度报告")));
        Assert.Equal("不是有效的JSON：第2行第13个字节附近有格式错误", Assert.Single(await Import("{\n  \"year\": 20x1}")));
        report["cells"]!["apps.new.np"] = 8;
        report["texts"] = new JsonObject { ["s1.active"] = 5 };
        Assert.Contains("$.texts['s1.active']：应为文本，实为数字", await Import(report.ToJsonString()));
        report["texts"] = new JsonObject { ["s1.active"] = "含\0空字符" };
        Assert.Equal("$.texts['s1.active']：含有空字符（U+0000）", Assert.Single(await Import(report.ToJsonString())));
    }

    /// <summary>The start of an open-data JSON (docs/open-data.md) for a registered agency: enough for the
    /// importer to reach the cells.</summary>
    private static JsonObject ImportJson() => new()
    {
        ["format"] = OpenData.FormatName, ["formatVersion"] = OpenData.FormatVersion, ["template"] = "2021",
        ["agency"] = new JsonObject { ["code"] = UnifiedSocialCreditCode.Complete("11410724MB0000010") },
        ["year"] = 2021, ["version"] = 1, ["publishedAt"] = "2022-03-01T00:00:00Z", ["correctionNote"] = null,
        ["metadata"] = new JsonObject(), ["cells"] = new JsonObject { ["apps.new.np"] = 8 }, ["texts"] = new JsonObject(),
    };
}
