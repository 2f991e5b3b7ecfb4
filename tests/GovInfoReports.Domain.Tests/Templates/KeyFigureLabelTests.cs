using System.Text.Json.Nodes;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Templates;

/// <summary>The words of the public key-figure chart are the template's, in its format's vocabulary.</summary>
public sealed class KeyFigureLabelTests
{
    [Fact]
    public void The_2021_key_figures_are_named_in_the_2021_vocabulary()
    {
        Assert.Equal(
            new Dictionary<string, string> { ["received"] = "收到申请", ["disclosedShare"] = "予以公开和部分公开占办结比例", ["reviews"] = "行政复议", ["lawsuits"] = "行政诉讼" },
            TestData.Template2021.Definition.KeyFigureLabels);
    }

    [Fact]
    public void A_template_with_key_figures_but_without_their_words_is_refused_at_load()
    {
        var json = JsonNode.Parse(TemplateCatalog.EmbeddedText("2021"))!;
        json["keyFigureLabels"]!.AsObject().Remove("lawsuits");
        var error = Assert.Throws<InvalidDataException>(() => TemplateCompiler.Compile(TemplateDefinition.Parse(json.ToJsonString())));
        Assert.Contains("key figure label lawsuits is missing", error.Message);
    }
}
