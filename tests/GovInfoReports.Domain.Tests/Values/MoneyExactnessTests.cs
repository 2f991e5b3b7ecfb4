using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Domain.Tests.Values;

/// <summary>万元 exact to the 分 (issue 8 part 5): a money value is kept and printed as the number typed, with up
/// to 6 decimals, never rounded and never padded with zeros.</summary>
public sealed class MoneyExactnessTests
{
    private static readonly ReportTemplate T = TestData.Template2021;
    private static CellKind Money => T.CellsById["a20_8.fees.amount"].Kind;

    [Theory]
    [InlineData("1234.567891", "1234.567891")]
    [InlineData("45.4", "45.4")]
    [InlineData("０．０００００１", "0.000001")]
    [InlineData("21,174,299.12", "21174299.12")]
    public void A_money_value_with_up_to_six_decimals_is_printed_exactly_as_typed(string typed, string printed)
    {
        var parsed = CellValueParser.Parse(typed, Money, T.InputMessages);
        Assert.Null(parsed.Error);
        Assert.Equal(printed, CellValueParser.FormatValue(parsed.Value!.Value));
    }

    [Fact]
    public void A_seventh_decimal_is_refused_with_the_templates_message_instead_of_rounded()
    {
        var parsed = CellValueParser.Parse("1234.5678912", Money, T.InputMessages);
        Assert.Null(parsed.Value);
        Assert.Equal("金额最多保留6位小数（单位：万元）", parsed.Error);
    }

    [Fact]
    public void Formatting_never_rounds_and_never_invents_trailing_zeros()
    {
        Assert.Equal("1234.567891", CellValueParser.FormatValue(1234.567891m));
        // A value stored as numeric(18,4) before this change reads back padded; it prints as it was typed.
        Assert.Equal("45.4", CellValueParser.FormatValue(45.4000m));
        Assert.Equal("0", CellValueParser.FormatValue(0.0000m));
        Assert.Equal("0.1234567890123456789012345678", CellValueParser.FormatValue(0.1234567890123456789012345678m));
        Assert.Equal("-649", CellValueParser.FormatValue(-649m));
    }

    [Fact]
    public void No_cell_kind_of_any_template_may_have_more_decimals_than_the_database_keeps()
    {
        Assert.Equal(6, TemplateCompiler.MaxScale);
        Assert.All(TemplateCatalog.Load().All.SelectMany(t => t.Kinds.Values), k => Assert.InRange(k.Scale, 0, TemplateCompiler.MaxScale));
        var definition = TemplateDefinition.Parse(TemplateCatalog.EmbeddedText("2021"));
        var seven = definition with
        {
            CellKinds = new(definition.CellKinds) { ["money"] = definition.CellKinds["money"] with { Scale = 7 } },
        };
        Assert.Throws<InvalidDataException>(() => TemplateCompiler.Compile(seven));
    }
}
