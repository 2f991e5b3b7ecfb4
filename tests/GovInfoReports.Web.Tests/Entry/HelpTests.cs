using System.Text.Json.Nodes;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>The explanations of hard rows and columns (template "help", issue 9): a "?" beside the label on the entry
/// form opens them by keyboard or tap, with and without script; /templates/{code}.json carries them; the published
/// report never prints them. Expected texts are typed by hand from the 条例 (国务院令第711号).</summary>
[Collection("Browser")]
public sealed class HelpTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    private const string InternalAffairs = "“5.属于三类内部事务信息”的说明";
    private const string InternalAffairsWords = "人事管理、后勤管理、内部工作流程";
    private const string InternalAffairsSource = "依据：《政府信息公开条例》第十六条第一款";

    private async Task<BrowserPage> OpenSectionThreeAsync(bool javaScript = true)
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var page = await TestBrowser.NewPageAsync(app.Factory.ServerAddress, javaScript);
        await AppFixture.LoginAsync(page.Page, "edu");
        await page.Page.GotoAsync($"/entry/{id}/s3");
        return page;
    }

    [Fact]
    public async Task From_a_cell_F1_opens_the_help_of_its_row_with_text_and_source_and_Esc_closes_it()
    {
        await using var browserPage = await OpenSectionThreeAsync();
        var page = browserPage.Page;
        var button = page.Locator($"table#table-apps th[scope=row] button[aria-label='{InternalAffairs}']");
        var popover = page.Locator("#" + await button.GetAttributeAsync("popovertarget"));
        Assert.False(await popover.IsVisibleAsync());

        await page.Locator("#c-apps-r3_5-biz").FocusAsync();
        await page.Keyboard.PressAsync("F1");

        await popover.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        var text = await popover.InnerTextAsync();
        Assert.Contains(InternalAffairsWords, text);
        Assert.Contains(InternalAffairsSource, text);
        // The statutory label itself is unchanged: the "?" has no text of its own and the explanation is outside the cell.
        Assert.Equal("5.属于三类内部事务信息", (await button.EvaluateAsync<string>("b => b.closest('th').textContent")).Trim());
        await page.SetViewportSizeAsync(1280, 900);
        await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("s3-help-open-1280") });
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("s3-help-open-390") });

        await page.Keyboard.PressAsync("Escape");

        await popover.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        Assert.Equal("c-apps-r3_5-biz", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.Equal("", await page.Locator("#c-apps-r3_5-biz").InputValueAsync());
        Assert.Empty(browserPage.Errors);
    }

    [Fact]
    public async Task The_question_mark_button_opens_with_Enter_and_a_table_without_row_labels_gives_the_column_help()
    {
        await using var browserPage = await OpenSectionThreeAsync();
        var page = browserPage.Page;
        // A screen reader reaches the button in the table; Enter opens it, Esc closes it and focus goes back to it.
        var button = page.Locator($"table#table-apps button[aria-label='{InternalAffairs}']");
        Assert.Equal("-1", await button.GetAttributeAsync("tabindex"));
        var popover = page.Locator("#" + await button.GetAttributeAsync("popovertarget"));
        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await popover.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        await page.Keyboard.PressAsync("Escape");
        await popover.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        Assert.Equal(InternalAffairs, await page.EvaluateAsync<string>("document.activeElement.getAttribute('aria-label')"));

        // 表四 has no row labels: "?" in a cell opens its column's explanation, which says the term is not defined.
        await page.GotoAsync(page.Url.Replace("/s3", "/s4"));
        await page.Locator("#c-lit-all-la_fix").FocusAsync();
        await page.Keyboard.PressAsync("?");
        var fix = page.Locator(".help-popover:popover-open");
        await fix.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        Assert.Contains("复议后起诉结果纠正", await fix.InnerTextAsync());
        Assert.Contains("没有界定", await fix.InnerTextAsync());
        Assert.Equal("", await page.Locator("#c-lit-all-la_fix").InputValueAsync());
        Assert.Empty(browserPage.Errors);
    }

    [Fact]
    public async Task Without_script_a_tap_on_the_column_help_shows_it_and_its_close_button_hides_it()
    {
        await using var browserPage = await OpenSectionThreeAsync(javaScript: false);
        var page = browserPage.Page;
        var button = page.Locator("table#table-apps th button[aria-label='“法律服务机构”的说明']");
        var popover = page.Locator("#" + await button.GetAttributeAsync("popovertarget"));

        await button.ClickAsync();

        await popover.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        Assert.Contains("法律服务机构", await popover.InnerTextAsync());
        await popover.GetByRole(AriaRole.Button, new() { Name = "关闭" }).ClickAsync();
        await popover.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        Assert.Empty(browserPage.Errors);
    }

    [Fact]
    public async Task The_open_template_json_gives_each_cell_its_row_and_column_help_and_the_form_data_block_none()
    {
        var json = JsonNode.Parse(await app.Factory.CreateClient().GetStringAsync("/templates/2021.json"))!;
        var cell = json["cells"]!["apps.r3_5.np"]!;
        Assert.Equal("《政府信息公开条例》第十六条第一款", cell["help"]!["row"]!["source"]!.GetValue<string>());
        Assert.Contains(InternalAffairsWords, cell["help"]!["row"]!["text"]!.GetValue<string>());
        Assert.Equal("《政府信息公开条例》第二十七条", cell["help"]!["column"]!["source"]!.GetValue<string>());
        // Members stay as they were; a cell without help has no help member at all.
        Assert.Equal("三（三）5自然人", cell["label"]!.GetValue<string>());
        Assert.Null(json["cells"]!["apps.r7.tot"]!["help"]);
        Assert.Null(json["cells"]!["lit.all.rv_fix"]!["help"]!["row"]);

        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var clerk = await app.ClientAsync("edu");
        var form = await FormPage.GetAsync(clerk, $"/entry/{id}/s3");
        var block = (await form.SectionRulesAsync(clerk)).Rules.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        Assert.Contains("apps.r3_5.np", block);
        Assert.Contains("三（三）5自然人", block); // the labels are there, in plain text
        Assert.DoesNotContain(InternalAffairsWords, block);
    }

    [Fact]
    public async Task The_published_report_prints_no_help_in_html_or_word()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        await app.PublishViaFormsAsync(id);
        await using var db = app.Db();
        var report = await db.Reports.Include(r => r.Agency).SingleAsync(r => r.Id == id);
        var client = app.Factory.CreateClient();

        var html = await client.GetStringAsync($"/reports/{report.Agency.Code}/{report.Year}");
        Assert.Contains("5.属于三类内部事务信息", html);
        Assert.DoesNotContain(InternalAffairsWords, html);
        Assert.DoesNotContain("第十六条第一款", html);
        Assert.DoesNotContain("popover", html);

        var docx = await client.GetByteArrayAsync($"/reports/{report.Agency.Code}/{report.Year}.docx");
        using var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(docx), false);
        var words = document.MainDocumentPart!.Document.Body!.InnerText;
        Assert.Contains("5.属于三类内部事务信息", words);
        Assert.DoesNotContain(InternalAffairsWords, words);
        Assert.DoesNotContain("第十六条第一款", words);
    }
}
