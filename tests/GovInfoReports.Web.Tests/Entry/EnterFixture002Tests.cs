using GovInfoReports.Domain.Tests;
using GovInfoReports.Web.Tests.Support;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>
/// The acceptance path of the entry issue, as a clerk in a browser: create the report, enter fixture 002
/// (获嘉县人民政府办公室 2022, tests/TestData/fixtures) section by section, see zero errors, submit.
/// </summary>
[Collection("Browser")]
public sealed class EnterFixture002Tests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    [Fact]
    public async Task A_clerk_enters_fixture_002_completely_with_zero_errors_and_submits_it()
    {
        var fixture = File.ReadAllText(TestData.PathOf("fixtures/002_02625ab39fea2acd.txt"));
        string Between(string start, string end)
        {
            var from = fixture.IndexOf(start, StringComparison.Ordinal) + start.Length;
            return fixture[from..fixture.IndexOf(end, from, StringComparison.Ordinal)].Trim();
        }

        await using var browserPage = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        var page = browserPage.Page;
        await AppFixture.LoginAsync(page, "edu");
        await page.GotoAsync("/entry");
        await page.Locator("#agency").SelectOptionAsync(new SelectOptionValue { Label = "获嘉县教育局（获嘉县）" });
        await page.Locator("#year").FillAsync("2022");
        await page.GetByRole(AriaRole.Button, new() { Name = "新建" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/entry/\d+$"));
        var reportUrl = page.Url;

        // 一、总体情况: the five sub-parts.
        await page.GotoAsync(reportUrl + "/s1");
        string[] headings = ["(一) 主动公开情况。", "(二) 依申请公开情况。", "(三) 政府信息管理情况", "(四) 政府信息公开平台建设情况", "(五) 监督保障情况"];
        string[] parts = ["s1-active", "s1-request", "s1-management", "s1-platform", "s1-oversight"];
        var overall = Between("一、总体情况", "二、主动公开政府信息情况");
        for (var i = 0; i < parts.Length; i++)
        {
            var from = overall.IndexOf(headings[i], StringComparison.Ordinal) + headings[i].Length;
            var to = i + 1 < headings.Length ? overall.IndexOf(headings[i + 1], StringComparison.Ordinal) : overall.Length;
            await page.Locator($"#c-{parts[i]}").FillAsync(overall[from..to].Trim());
        }
        await SaveAsync(page);

        // 二: the Article 20 tables, as printed in the fixture.
        await page.GotoAsync(reportUrl + "/s2");
        await FillAsync(page, new()
        {
            ["a20_1.rules.issued"] = "0", ["a20_1.rules.repealed"] = "0", ["a20_1.rules.in_force"] = "0",
            ["a20_1.normative.issued"] = "6", ["a20_1.normative.repealed"] = "0", ["a20_1.normative.in_force"] = "23",
            ["a20_5.licensing.decisions"] = "0", ["a20_6.penalty.decisions"] = "0", ["a20_6.coercion.decisions"] = "0",
            ["a20_8.fees.amount"] = "0",
        });
        await SaveAsync(page);

        // 三: the matrix — every typed cell 0 except the fixture's 自然人 column.
        await page.GotoAsync(reportUrl + "/s3");
        var matrix = new Dictionary<string, string>();
        foreach (var id in await page.Locator("input[name^='Input.Cells']").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.cell)"))
            matrix[id] = "0";
        matrix["apps.new.np"] = "8";
        matrix["apps.r1.np"] = "6";
        matrix["apps.r2.np"] = "1";
        matrix["apps.r3_7.np"] = "1";
        await FillAsync(page, matrix);
        Assert.Equal("8", await page.Locator("#c-apps-r7-tot").InputValueAsync());
        Assert.Equal(0, await page.Locator("#violations li").CountAsync());
        await SaveAsync(page);

        // 四: fifteen zeros (three of them computed).
        await page.GotoAsync(reportUrl + "/s4");
        var lit = new Dictionary<string, string>();
        foreach (var id in await page.Locator("input[name^='Input.Cells']").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.cell)"))
            lit[id] = "0";
        await FillAsync(page, lit);
        await SaveAsync(page);

        await page.GotoAsync(reportUrl + "/s5");
        await page.Locator("#c-s5-text").FillAsync(Between("五、存在的主要问题及改进情况", "六、其他需要报告的事项"));
        await SaveAsync(page);
        await page.GotoAsync(reportUrl + "/s6");
        await page.Locator("#c-s6-text").FillAsync(fixture[(fixture.IndexOf("六、其他需要报告的事项", StringComparison.Ordinal) + 11)..].Trim());
        await SaveAsync(page);

        await page.GotoAsync(reportUrl);
        var errorCounts = await page.Locator("table.overview td:nth-child(3)").AllTextContentsAsync();
        Assert.All(errorCounts.Skip(1), c => Assert.Equal("0", c.Trim()));
        await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath("overview-fixture-002"), FullPage = true });
        // Fixture 002 is 获嘉县人民政府办公室's own 2022 report, which the demo holds as that office's draft: typed in again for
        // 获嘉县教育局 of the same county and year, its parts are near copies of a peer's (内容雷同, X5), warnings the clerk
        // explains before submitting, and nothing else.
        var reasons = page.Locator("textarea[name^='Explanations[']");
        Assert.All(await reasons.EvaluateAllAsync<string[]>("els => els.map(e => e.name)"), name => Assert.StartsWith("Explanations[X5:peer:", name));
        for (var i = 0; i < await reasons.CountAsync(); i++)
            await reasons.Nth(i).FillAsync("测试：按获嘉县人民政府办公室2022年度报告原文录入。");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
        await page.WaitForURLAsync(reportUrl);
        Assert.Contains("报告已提交，等待审核", await page.Locator(".notice").First.TextContentAsync());
        Assert.Contains("已提交", await page.Locator(".status").TextContentAsync());
        Assert.Empty(browserPage.Errors);
    }

    private static async Task FillAsync(IPage page, Dictionary<string, string> cells)
    {
        foreach (var (id, value) in cells) await page.Locator($"input[data-cell='{id}']").FillAsync(value);
    }

    private static async Task SaveAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await page.Locator(".notice").WaitForAsync();
        Assert.Contains("已保存", await page.Locator(".notice").TextContentAsync());
    }
}
