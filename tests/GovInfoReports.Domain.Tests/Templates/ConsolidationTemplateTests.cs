using System.Text.Json.Nodes;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Templates;

/// <summary>Which cells a 全辖区 report sums over its units is template data (template-spec §11 汇总): the counts and money
/// of 二, 三 and 四, never a computed total, never a stock the template leaves out.</summary>
public sealed class ConsolidationTemplateTests
{
    [Fact]
    public void The_2021_template_sums_new_applications_but_not_documents_in_force()
    {
        var summable = TestData.Template2021.SummableCells;
        Assert.Contains("apps.new.np", summable);
        Assert.Contains("a20_1.normative.issued", summable);
        Assert.Contains("a20_8.fees.amount", summable);
        Assert.Contains("lit.all.rv_keep", summable);
        Assert.DoesNotContain("a20_1.normative.in_force", summable);
        Assert.DoesNotContain("a20_1.rules.in_force", summable);
        Assert.False(string.IsNullOrWhiteSpace(TestData.Template2021.ConsolidationSource));
    }

    [Fact]
    public void Computed_totals_are_never_summable_they_are_recomputed()
    {
        foreach (var template in new[] { TestData.Template2021, TestData.Template2019 })
        {
            Assert.DoesNotContain("apps.new.tot", template.SummableCells);
            Assert.DoesNotContain("apps.r7.np", template.SummableCells);
            Assert.DoesNotContain("lit.all.rv_tot", template.SummableCells);
            Assert.All(template.SummableCells, id => Assert.True(template.CellsById[id].Enterable, id));
        }
    }

    [Fact]
    public void Every_typed_cell_of_tables_three_and_four_is_summable_in_both_statutory_formats()
    {
        foreach (var template in new[] { TestData.Template2021, TestData.Template2019 })
        {
            var typed = template.Cells.Where(c => c.TableId is "apps" or "lit" && c.Enterable).Select(c => c.Id).ToList();
            Assert.NotEmpty(typed);
            Assert.All(typed, id => Assert.Contains(id, template.SummableCells));
        }
    }

    [Fact]
    public void The_2019_template_sums_the_year_s_work_but_not_last_year_s_item_counts_or_their_change()
    {
        var summable = TestData.Template2019.SummableCells;
        Assert.Contains("a20_1.rules.made", summable);
        Assert.Contains("a20_5.licensing.decisions", summable);
        Assert.Contains("a20_9.procurement.amount", summable);
        Assert.DoesNotContain("a20_5.licensing.prev", summable);
        Assert.DoesNotContain("a20_5.licensing.change", summable);
        Assert.DoesNotContain("a20_1.rules.public_total", summable);
        Assert.DoesNotContain("a20_9.procurement.na", summable);
    }

    [Theory]
    [InlineData("apps.new.tot", "computed total")]
    [InlineData("a20_9.procurement.na", "not-applicable")]
    [InlineData("apps.nothing.*", "matches no cell")]
    [InlineData("apps.new", "is not table.row.column")]
    public void A_consolidation_naming_a_total_a_not_applicable_cell_or_nothing_fails_at_start_up(string cell, string expected)
    {
        var json = JsonNode.Parse(TemplateCatalog.EmbeddedText("2019"))!;
        json["consolidation"]!["cells"]!.AsArray().Add(cell);
        var error = Assert.Throws<InvalidDataException>(() => TemplateCompiler.Compile(TemplateDefinition.Parse(json.ToJsonString())));
        Assert.Contains(expected, error.Message);
    }
}
