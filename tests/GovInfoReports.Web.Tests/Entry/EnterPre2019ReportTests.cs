using System.Text.Json.Nodes;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Tests.Support;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>
/// A report of the pre-2019 free form (issue 8 part 2), as people do it in a browser: a clerk creates the 2011 report,
/// writes its six customary parts under the agency's own headings (one renamed, one added), fills the optional
/// key-figure sheet with the soft checks K1–K4 passing, and submits; a reviewer approves and publishes; a citizen
/// reads exactly those headings, texts and figures in the public HTML, PDF and JSON.
/// </summary>
[Collection("Browser")]
public sealed class EnterPre2019ReportTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    private static readonly string Education = UnifiedSocialCreditCode.Complete("11410724MB0000037");

    private static readonly (string Heading, string Text)[] Written =
    [
        ("一、概述", "2011年，我局认真贯彻《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。"),
        ("二、主动公开政府信息情况", "全年主动公开政府信息156条，其中通过门户网站公开132条。"),
        ("三、政府信息依申请公开情况", "全年共受理政府信息公开申请12件，均已按期答复。"),
        ("四、收费及减免情况", "本年度未收取任何费用。"),
        ("五、行政复议和行政诉讼情况", "因政府信息公开申请行政复议1件，维持原具体行政行为；未发生行政诉讼。"),
        ("六、存在的主要问题和改进措施", "公开内容不够全面，将进一步完善公开目录。"),
        ("七、其他需要报告的事项", "无。"),
    ];

    private static readonly Dictionary<string, string> KeyFigures = new()
    {
        ["k_apps.received.count"] = "12", ["k_apps.handled.count"] = "12", ["k_apps.already_public.count"] = "1",
        ["k_apps.granted.count"] = "7", ["k_apps.partly_granted.count"] = "2", ["k_apps.refused.count"] = "0",
        ["k_apps.not_ours.count"] = "1", ["k_apps.not_exist.count"] = "1", ["k_apps.repeated.count"] = "0",
        ["k_apps.amend.count"] = "0", ["k_apps.other_channel.count"] = "0",
        ["k_lit.review.total"] = "1", ["k_lit.review.upheld"] = "1", ["k_lit.review.corrected"] = "0", ["k_lit.review.other"] = "0",
        ["k_lit.lawsuit.total"] = "0", ["k_lit.lawsuit.upheld"] = "0", ["k_lit.lawsuit.corrected"] = "0", ["k_lit.lawsuit.other"] = "0",
        ["k_fees.fees.amount"] = "0",
    };

    [Fact]
    public async Task A_2011_report_in_the_free_form_is_written_under_its_own_headings_with_key_figures_and_published_as_written()
    {
        string reportUrl;
        await using (var clerk = await TestBrowser.NewPageAsync(app.Factory.ServerAddress))
        {
            var page = clerk.Page;
            page.Dialog += (_, dialog) => dialog.AcceptAsync();
            await AppFixture.LoginAsync(page, "edu");
            await page.GotoAsync("/entry");
            await page.Locator("#agency").SelectOptionAsync(new SelectOptionValue { Label = "获嘉县教育局（获嘉县）" });
            await page.Locator("#year").FillAsync("2011");
            await page.GetByRole(AriaRole.Button, new() { Name = "新建" }).ClickAsync();
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/entry/\d+$"));
            reportUrl = page.Url;
            Assert.Contains("2019年以前的年度报告（自由格式）", await page.Locator("main").TextContentAsync());

            // The text: the opening part is not used here, so it is removed; then one part is added at the end.
            await page.GotoAsync(reportUrl + "/s1");
            Assert.Equal(7, await page.Locator("input.part-heading-input").CountAsync()); // opening + the six customary parts
            // Each outline button saves the page and comes back to the part it concerns.
            await page.GetByRole(AriaRole.Button, new() { Name = "删除第1部分" }).ClickAsync();
            await page.WaitForURLAsync(reportUrl + "/s1#part-0");
            await page.GetByRole(AriaRole.Button, new() { Name = "添加一个部分" }).ClickAsync();
            await page.WaitForURLAsync(reportUrl + "/s1#part-6");
            var headings = page.Locator("input.part-heading-input");
            var texts = page.Locator("textarea[data-part]");
            Assert.Equal(Written.Length, await headings.CountAsync());
            for (var i = 0; i < Written.Length; i++)
            {
                await headings.Nth(i).FillAsync(Written[i].Heading);
                await texts.Nth(i).FillAsync(Written[i].Text);
            }
            await SaveAsync(page);
            Assert.Equal(Written.Select(w => w.Heading), await headings.EvaluateAllAsync<string[]>("els => els.map(e => e.value)"));
            await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("section-pre2019-outline"), FullPage = true });

            // The key-figure sheet, typed cell by cell; the soft checks K1–K4 stay quiet.
            await page.GotoAsync(reportUrl + "/s2");
            foreach (var (id, value) in KeyFigures) await page.Locator($"input[data-cell='{id}']").FillAsync(value);
            Assert.Equal(0, await page.Locator("#violations li").CountAsync());
            await SaveAsync(page);

            await page.GotoAsync(reportUrl);
            var counts = await page.Locator("table.overview td:nth-child(3)").AllTextContentsAsync();
            Assert.All(counts.Skip(1), c => Assert.Equal("0", c.Trim()));
            await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("overview-pre2019-2011"), FullPage = true });
            await page.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
            await page.WaitForURLAsync(reportUrl);
            Assert.Contains("报告已提交，等待审核", await page.Locator(".notice").First.TextContentAsync());
            Assert.Empty(clerk.Errors);
        }

        await using (var reviewer = await TestBrowser.NewPageAsync(app.Factory.ServerAddress))
        {
            var page = reviewer.Page;
            await AppFixture.LoginAsync(page, "reviewer");
            var reviewUrl = reportUrl.Replace("/entry/", "/review/");
            await page.GotoAsync(reviewUrl);
            await AppFixture.ConfirmReviewActionAsync(page, "Approve");
            await AppFixture.ConfirmReviewActionAsync(page, "Publish");
            await page.Locator(".notice", new() { HasText = "已发布" }).WaitForAsync();
            Assert.Contains("已发布", await page.Locator("main").TextContentAsync());
            Assert.Empty(reviewer.Errors);
        }

        var client = app.Factory.CreateClient();
        var html = await FormPage.GetAsync(client, $"/reports/{Education}/2011");
        var printed = System.Text.RegularExpressions.Regex.Replace(html.Document.QuerySelector("article.report-document")!.TextContent, @"\s+", "");
        Assert.Contains(string.Concat(Written.Select(w => w.Heading + w.Text)), printed);
        Assert.DoesNotContain("四、政府信息公开收费及减免情况", printed);
        foreach (var (id, value) in KeyFigures)
            Assert.Equal(value, html.Document.QuerySelector($"td[data-cell='{id}']")!.TextContent.Trim());

        var json = JsonNode.Parse(await client.GetStringAsync($"/reports/{Education}/2011.json"))!.AsObject();
        Assert.Equal("pre2019", (string?)json["template"]);
        Assert.Equal(Written.Select(w => w.Heading), json["parts"]!.AsArray().Select(p => (string?)p!["heading"]));
        Assert.Equal(Written.Select(w => w.Text), json["texts"]!.AsObject().Select(t => (string?)t.Value));
        foreach (var (id, value) in KeyFigures) Assert.Equal(value, json["cells"]![id]!.ToJsonString());

        var path = Path.Combine(Path.GetTempPath(), $"pre2019-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, await client.GetByteArrayAsync($"/reports/{Education}/2011.pdf"));
        try
        {
            var text = System.Text.RegularExpressions.Regex.Replace(await ExternalTool.RunAsync("pdftotext", path, "-"), @"\s+", "");
            foreach (var (heading, written) in Written)
            {
                Assert.Contains(heading, text);
                Assert.Contains(written, text);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task SaveAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await page.Locator(".notice").WaitForAsync();
        Assert.Contains("已保存", await page.Locator(".notice").TextContentAsync());
    }
}
