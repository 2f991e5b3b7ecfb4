using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Entry;
using GovInfoReports.Web.Tests.Support;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>Issue 13: the entry form's rules are serialized once per template, section and rule context, served as a
/// script browsers keep, and each page adds only last year's values. Together they must be exactly the whole block.</summary>
public sealed class ClientTemplatesTests
{
    private static readonly TemplateCatalog Catalog = TemplateCatalog.Load();

    internal static IEnumerable<Dictionary<string, bool>> Contexts() =>
        new[] { new Dictionary<string, bool>() }.Concat(
            from rules in new[] { false, true }
            from government in new[] { false, true }
            select new Dictionary<string, bool> { ["mayMakeRules"] = rules, ["isPeoplesGovernment"] = government });

    [Fact]
    public void Every_sections_shared_script_and_the_pages_own_part_make_the_whole_block()
    {
        var blocks = new ClientTemplates();
        var checkedBlocks = 0;
        foreach (var template in Catalog.All)
        {
            // Last year's values of every cell (the page keeps those the section's cross-year rules read), with a "<" in
            // its description, which must not reach the page as it is.
            var previous = new PreviousYear(2024, template.Code, template.Cells.Select((c, i) => (c.Id, Value: (decimal)i + 0.5m))
                .ToDictionary(c => c.Id, c => c.Value, StringComparer.Ordinal), "2024年度报告（已发布的第2版）</script>");
            foreach (var section in template.Sections)
            foreach (var context in Contexts())
            foreach (var last in new[] { null, previous })
            {
                // Twice: the first builds the shared part, the second reads it back.
                for (var round = 0; round < 2; round++)
                {
                    var shared = JsonNode.Parse(blocks.Json(template, context, section.Id))!.AsObject();
                    var (script, version) = blocks.Script(template, context, section.Id);
                    Assert.Equal(blocks.Json(template, context, section.Id), JsonSerializer.Deserialize<string>(script["window.GovInfoSectionRules = ".Length..^2]));
                    Assert.EndsWith($"&v={version}", blocks.ScriptUrl(template, context, section.Id));
                    var own = blocks.PreviousJson(template, context, section.Id, last);
                    Assert.Equal(last is null, own is null);
                    if (own is not null)
                    {
                        Assert.DoesNotContain("<", own);
                        shared["previous"] = JsonNode.Parse(own);
                    }
                    var whole = JsonSerializer.Serialize(ClientTemplate.For(template, context, section.Id, last), TemplateDefinition.JsonOptions);
                    Assert.True(JsonNode.DeepEquals(JsonNode.Parse(whole), shared),
                        $"{template.Code} {section.Id} {string.Join(",", context)} previous={last is not null}: the block differs");
                    Assert.True(ClientTemplates.TryParseContext(ClientTemplates.ContextText(context), out var back));
                    Assert.Equal(context, back);
                    checkedBlocks++;
                }
            }
        }
        Assert.True(checkedBlocks >= 100, $"only {checkedBlocks} blocks checked");
    }

    [Fact]
    public void Last_years_values_are_those_the_sections_cross_year_rules_read_and_differ_per_page()
    {
        var template = Catalog.All.Single(t => t.Code == "2021");
        var blocks = new ClientTemplates();
        var context = Contexts().Last();
        PreviousYear Last(decimal carried) => new(2024, "2021", new Dictionary<string, decimal> { ["apps.carry_out.np"] = carried, ["apps.new.np"] = 99 },
            "2024年度报告（已发布的第1版）");

        var first = JsonNode.Parse(blocks.PreviousJson(template, context, "s3", Last(2))!)!;
        var second = JsonNode.Parse(blocks.PreviousJson(template, context, "s3", Last(7))!)!;

        Assert.Equal("2", (string?)first["values"]!["apps.carry_out.np"]);
        Assert.Equal("7", (string?)second["values"]!["apps.carry_out.np"]);
        // 一、本年新收 is read by no cross-year rule: not sent.
        Assert.Null(first["values"]!["apps.new.np"]);
        Assert.Null(blocks.PreviousJson(template, context, "s3", null));
    }

    [Theory]
    [InlineData("isAdmin:true")]
    [InlineData("mayMakeRules:yes")]
    [InlineData("mayMakeRules:true,mayMakeRules:false")]
    [InlineData("mayMakeRules")]
    public void A_context_other_than_the_agencies_flags_is_refused(string text) =>
        Assert.False(ClientTemplates.TryParseContext(text, out _));
}

/// <summary>The section rules script over HTTP, as the entry page links to it.</summary>
public sealed class SectionRulesScriptTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_page_links_a_script_browsers_keep_and_a_stale_or_unknown_address_is_not_kept_or_not_found()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var clerk = await app.ClientAsync("edu");
        var page = await FormPage.GetAsync(clerk, $"/entry/{id}/s3");
        var (rules, cacheControl) = await page.SectionRulesAsync(clerk);
        Assert.Equal("public, max-age=31536000, immutable", cacheControl);
        Assert.Equal("2021", (string?)rules["code"]);
        Assert.NotNull(rules["cells"]!["apps.new.np"]);
        Assert.Null(rules["cells"]!["lit.all.rv_keep"]); // 表四's cells belong to its own section's script
        // The rules are no longer in the page itself.
        Assert.True(page.Html.Length < 180_000, $"the page is {page.Html.Length:N0} characters");

        var src = page.Document.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!).Single(s => s.StartsWith("/templates/", StringComparison.Ordinal));
        var anonymous = app.Factory.CreateClient();
        using var stale = await anonymous.GetAsync(src[..src.IndexOf("&v=", StringComparison.Ordinal)] + "&v=0000");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal("no-cache", stale.Headers.CacheControl?.ToString());
        Assert.Equal("text/javascript", stale.Content.Headers.ContentType?.MediaType);
        foreach (var bad in new[] { "/templates/2021/s9.js", "/templates/1999/s3.js", "/templates/2021/s3.js?context=isAdmin:true" })
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(bad)).StatusCode);
    }
}
