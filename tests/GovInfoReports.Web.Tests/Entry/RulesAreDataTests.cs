using System.Text.Json.Nodes;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Tests.Support;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>
/// The app runs on a variant of the 2021 template (Templates:Directory) with one rule removed (C4),
/// one added (Z1) and one severity changed (A1 → warning). The server and the browser both follow,
/// with no code change.
/// </summary>
[Collection("Browser")]
public sealed class RulesAreDataTests(RulesAreDataTests.VariantFixture app) : IClassFixture<RulesAreDataTests.VariantFixture>
{
    public sealed class VariantFixture : KestrelAppFixture
    {
        private readonly Lazy<string> _directory = new(WriteVariant);
        protected override string? TemplateDirectory => _directory.Value;

        private static string WriteVariant()
        {
            var template = JsonNode.Parse(TemplateCatalog.EmbeddedText("2021"))!;
            var rules = template["rules"]!.AsArray();
            rules.Remove(rules.Single(r => r!["id"]!.GetValue<string>() == "C4"));
            rules.Single(r => r!["id"]!.GetValue<string>() == "A1")!["severity"] = "warning";
            rules.Add(JsonNode.Parse("""
                { "id": "Z1", "severity": "warning", "kind": "linear", "table": "apps", "forEach": "column",
                  "lhs": [ "r2" ], "op": "le", "rhs": [ "r1" ], "scope": "{label}列",
                  "message": "{table} {scope}：部分公开{lhs}多于予以公开{rhs}，请核实", "source": "test variant" }
                """));
            var dir = Directory.CreateTempSubdirectory("gir-template-variant").FullName;
            File.WriteAllText(Path.Combine(dir, "2021.json"), template.ToJsonString());
            return dir;
        }
    }

    private static readonly string[] Expected =
    [
        "warning 表三 商业企业列：一（0）＋二（0）＝0，三（七）总计（1）＋四（0）＝1，相差1",
        "warning 表三 商业企业列：部分公开三（二）（1）多于予以公开三（一）（0），请核实",
    ];

    private static async Task<string[]> ListedAsync(IPage page) =>
        (await page.Locator("#violations li").EvaluateAllAsync<string[]>(
            "items => items.map(li => li.className.replace('violation-', '') + ' ' + li.textContent.trim())")).Order().ToArray();

    [Fact]
    public async Task Server_and_browser_both_follow_the_changed_rules()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id, ("apps.r2.biz", 1m), ("a20_1.rules.issued", 1m), ("a20_1.rules.in_force", 1m));

        // Server: what the page renders before any script runs.
        var client = await app.ClientAsync("edu");
        var html = await FormPage.GetAsync(client, $"/entry/{id}/s3");
        Assert.Equal(Expected, html.Document.QuerySelectorAll("#violations li")
            .Select(li => li.ClassName!.Replace("violation-", "") + " " + li.TextContent.Trim()).Order().ToArray());
        var s2 = await FormPage.GetAsync(client, $"/entry/{id}/s2");
        Assert.Empty(s2.Violations()); // C4 is gone: 规章 1 for a county department no longer warns

        // Browser: the live evaluator, from the same data.
        await using var browserPage = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        var page = browserPage.Page;
        await AppFixture.LoginAsync(page, "edu");
        await page.GotoAsync($"/entry/{id}/s3");
        await page.Locator("#c-apps-r1-np").FillAsync("6"); // any input runs the live check
        Assert.Equal(Expected, await ListedAsync(page));
        await page.Locator("#c-apps-r2-biz").FillAsync("0");
        Assert.Empty(await ListedAsync(page));
        Assert.Empty(browserPage.Errors);

        // A1 is now a warning: it no longer blocks submission, but needs a written explanation.
        var overview = await FormPage.GetAsync(client, $"/entry/{id}");
        Assert.Contains("提示（2）", overview.Text);
        var row = overview.Document.QuerySelectorAll("table.overview tbody tr").Single(tr => tr.TextContent.Contains("三、收到和处理政府信息公开申请情况"));
        var counts = row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray();
        Assert.Equal(["144 / 144", "0", "2"], counts);
    }
}
