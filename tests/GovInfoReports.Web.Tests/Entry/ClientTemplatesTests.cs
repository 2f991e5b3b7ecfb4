using System.Text.Json;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Entry;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>Issue 13: the entry form's rules block is serialized once per template, section and rule context and kept;
/// each page adds last year's values. What a page embeds must be exactly what serializing the whole block would give.</summary>
public sealed class ClientTemplatesTests
{
    private static readonly TemplateCatalog Catalog = TemplateCatalog.Load();

    private static IEnumerable<Dictionary<string, bool>> Contexts() =>
        from rules in new[] { false, true }
        from government in new[] { false, true }
        select new Dictionary<string, bool> { ["mayMakeRules"] = rules, ["isPeoplesGovernment"] = government };

    [Fact]
    public void Every_sections_block_with_or_without_last_year_is_the_whole_block_serialized_and_closes_no_script()
    {
        var cached = new ClientTemplates();
        var checkedBlocks = 0;
        foreach (var template in Catalog.All)
        {
            // Last year's values of every cell (the block keeps those the section's cross-year rules read), one of them
            // with a "<" in its description, which must not reach the page as it is.
            var previous = new PreviousYear(2024, template.Code, template.Cells.Select((c, i) => (c.Id, Value: (decimal)i + 0.5m))
                .ToDictionary(c => c.Id, c => c.Value, StringComparer.Ordinal), "2024年度报告（已发布的第2版）</script>");
            foreach (var section in template.Sections)
            foreach (var context in Contexts())
            foreach (var last in new[] { null, previous })
            {
                // Twice: the first builds the shared part, the second reads it back.
                for (var round = 0; round < 2; round++)
                {
                    var (head, tail) = cached.Json(template, context, section.Id, last);
                    var embedded = head + tail;
                    Assert.DoesNotContain("<", embedded);
                    var whole = JsonSerializer.Serialize(ClientTemplate.For(template, context, section.Id, last), TemplateDefinition.JsonOptions);
                    Assert.True(JsonNode.DeepEquals(JsonNode.Parse(whole), JsonNode.Parse(embedded)),
                        $"{template.Code} {section.Id} {string.Join(",", context)} previous={last is not null}: the embedded block differs");
                    checkedBlocks++;
                }
            }
        }
        Assert.True(checkedBlocks >= 100, $"only {checkedBlocks} blocks checked");
    }

    private static string Whole((string Head, string Tail) block) => block.Head + block.Tail;

    [Fact]
    public void Last_years_values_are_those_the_sections_cross_year_rules_read_and_differ_per_page()
    {
        var template = Catalog.All.Single(t => t.Code == "2021");
        var cached = new ClientTemplates();
        var context = Contexts().First();
        PreviousYear Last(decimal carried) => new(2024, "2021", new Dictionary<string, decimal> { ["apps.carry_out.np"] = carried, ["apps.new.np"] = 99 },
            "2024年度报告（已发布的第1版）");

        var first = JsonNode.Parse(Whole(cached.Json(template, context, "s3", Last(2))))!;
        var second = JsonNode.Parse(Whole(cached.Json(template, context, "s3", Last(7))))!;

        Assert.Equal("2", (string?)first["previous"]!["values"]!["apps.carry_out.np"]);
        Assert.Equal("7", (string?)second["previous"]!["values"]!["apps.carry_out.np"]);
        // 一、本年新收 is read by no cross-year rule: not sent.
        Assert.Null(first["previous"]!["values"]!["apps.new.np"]);
        Assert.Null(JsonNode.Parse(Whole(cached.Json(template, context, "s3", null)))!["previous"]);
    }
}
