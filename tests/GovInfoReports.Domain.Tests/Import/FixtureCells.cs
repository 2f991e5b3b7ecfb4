using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Import;

/// <summary>
/// What fixtures 000, 002 and 003 print, typed by hand from the texts in tests/TestData/fixtures (never produced by
/// the parser): every non-zero cell; every other cell of the format (not-applicable ones aside) is printed as 0.
/// </summary>
public static class FixtureCells
{
    public const string File000 = "fixtures/000_5e7b7750513ba6ef.txt";
    public const string File002 = "fixtures/002_02625ab39fea2acd.txt";
    public const string File003 = "fixtures/003_08fe1e56ee831c9d.txt";

    /// <summary>蓬溪县政府办公室 2019 (2019 format): 采购总金额 printed "4.651万元" inside the cell.</summary>
    public static readonly Dictionary<string, decimal> NonZero000 = new()
    {
        ["a20_1.normative.made"] = 2, ["a20_1.normative.published"] = 2, ["a20_1.normative.public_total"] = 8,
        ["a20_9.procurement.items"] = 9, ["a20_9.procurement.amount"] = 4.651m,
    };

    /// <summary>获嘉县人民政府办公室 2022 (2021 format): 8 applications of 自然人; 6 予以公开, 1 部分公开, 1 行政执法案卷.</summary>
    public static readonly Dictionary<string, decimal> NonZero002 = new()
    {
        ["a20_1.normative.issued"] = 6, ["a20_1.normative.in_force"] = 23,
        ["apps.new.np"] = 8, ["apps.new.tot"] = 8,
        ["apps.r1.np"] = 6, ["apps.r1.tot"] = 6,
        ["apps.r2.np"] = 1, ["apps.r2.tot"] = 1,
        ["apps.r3_7.np"] = 1, ["apps.r3_7.tot"] = 1,
        ["apps.r7.np"] = 8, ["apps.r7.tot"] = 8,
    };

    /// <summary>将乐县 2020 (2019 format, consolidated): negative 本年增/减, 采购总金额（元） 21174299 = 2117.4299 万元.</summary>
    public static readonly Dictionary<string, decimal> NonZero003 = new()
    {
        ["a20_1.normative.made"] = 140, ["a20_1.normative.published"] = 140, ["a20_1.normative.public_total"] = 432,
        ["a20_5.licensing.prev"] = 4791, ["a20_5.licensing.change"] = -649, ["a20_5.licensing.decisions"] = 4142,
        ["a20_5.other_services.prev"] = 1754, ["a20_5.other_services.change"] = 1264, ["a20_5.other_services.decisions"] = 3018,
        ["a20_6.penalty.prev"] = 221, ["a20_6.penalty.change"] = 33, ["a20_6.penalty.decisions"] = 254,
        ["a20_6.coercion.prev"] = 47, ["a20_6.coercion.change"] = -4, ["a20_6.coercion.decisions"] = 43,
        ["a20_8.fees.change"] = 1,
        ["a20_9.procurement.items"] = 458, ["a20_9.procurement.amount"] = 2117.4299m,
        ["apps.new.np"] = 8, ["apps.new.tot"] = 8,
        ["apps.r1.np"] = 5, ["apps.r1.tot"] = 5,
        ["apps.r3_5.np"] = 1, ["apps.r3_5.tot"] = 1,
        ["apps.r4_1.np"] = 2, ["apps.r4_1.tot"] = 2,
        ["apps.r7.np"] = 8, ["apps.r7.tot"] = 8,
    };

    /// <summary>Every applicable cell of <paramref name="template"/>: the non-zero ones as given, all others 0.</summary>
    public static Dictionary<string, decimal> All(ReportTemplate template, Dictionary<string, decimal> nonZero)
    {
        foreach (var id in nonZero.Keys) Assert.True(template.CellsById.ContainsKey(id), $"{id} is not a cell of {template.Code}");
        return template.Cells.Where(c => !c.NotApplicable).ToDictionary(c => c.Id, c => nonZero.GetValueOrDefault(c.Id), StringComparer.Ordinal);
    }
}
