using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Web.Demo;

/// <summary>
/// Plausible, fully balanced demo figures for the county government's published years: deterministic per
/// year, with each year's 上年结转 equal to the previous year's 结转下年度 (spec §9 X1).
/// </summary>
public static class DemoHistory
{
    public static Dictionary<string, decimal> Cells(ReportTemplate template, int year, IReadOnlyDictionary<string, decimal>? previous)
    {
        var random = new Random(year);
        var values = template.Cells.Where(c => !c.Computed).ToDictionary(c => c.Id, _ => 0m, StringComparer.Ordinal);
        values["a20_1.normative.issued"] = 8 + random.Next(6);
        values["a20_1.normative.repealed"] = random.Next(3);
        values["a20_1.normative.in_force"] = 40 + (year - 2022) * 5 + random.Next(3);
        values["a20_5.licensing.decisions"] = 1200 + random.Next(400);
        values["a20_6.penalty.decisions"] = 300 + random.Next(100);
        values["a20_6.coercion.decisions"] = 10 + random.Next(10);
        values["a20_8.fees.amount"] = Math.Round(30 + (decimal)random.NextDouble() * 20, 4);

        var apps = template.Tables["apps"];
        var outcomes = new[] { "r1", "r2", "r3_4", "r3_6", "r4_1", "r4_2", "r5_2", "r6_1" };
        var scale = new Dictionary<string, int> { ["np"] = 30, ["biz"] = 6, ["res"] = 1, ["ngo"] = 1, ["law"] = 3, ["oth"] = 1 };
        foreach (var column in apps.LeafColumns.Select(c => c.Id!).Where(id => id != "tot"))
        {
            var received = scale[column] + random.Next(scale[column] + 1) + (year - 2022) * scale[column] / 3;
            var carriedIn = previous?.GetValueOrDefault($"apps.carry_out.{column}") ?? 0;
            var carriedOut = column == "np" ? 1 + random.Next(3) : random.Next(2);
            carriedOut = Math.Min(carriedOut, received + (int)carriedIn);
            var toHandle = received + (int)carriedIn - carriedOut;
            values[$"apps.new.{column}"] = received;
            values[$"apps.carry_in.{column}"] = carriedIn;
            values[$"apps.carry_out.{column}"] = carriedOut;
            // Most applications are disclosed; the rest spread over a few outcomes.
            var left = toHandle;
            foreach (var outcome in outcomes.Skip(1))
            {
                var n = Math.Min(left, random.Next(0, Math.Max(1, toHandle / 6)));
                values[$"apps.{outcome}.{column}"] = n;
                left -= n;
            }
            values[$"apps.r1.{column}"] = left;
        }

        values["lit.all.rv_keep"] = 1 + random.Next(3);
        values["lit.all.rv_fix"] = random.Next(2);
        values["lit.all.rv_pend"] = random.Next(2);
        values["lit.all.ld_keep"] = random.Next(3);
        values["lit.all.ld_pend"] = random.Next(2);
        RuleEvaluator.ComputeTotals(template, values);
        return values;
    }

    public static Dictionary<string, string> Texts(ReportTemplate template, int year, IReadOnlyDictionary<string, decimal> v)
    {
        string N(string id) => Domain.Values.CellValueParser.FormatValue(v[id]);
        return new Dictionary<string, string>
        {
            ["s1.active"] = $"{year}年，县政府坚持以公开为常态、不公开为例外，全年制发行政规范性文件{N("a20_1.normative.issued")}件，通过门户网站及时公开行政许可、行政处罚等信息。",
            ["s1.request"] = $"{year}年共收到政府信息公开申请{N("apps.new.tot")}件，上年结转{N("apps.carry_in.tot")}件，已办结{N("apps.r7.tot")}件，结转下年度继续办理{N("apps.carry_out.tot")}件。",
            ["s1.management"] = "严格落实政府信息公开保密审查制度，动态更新政府信息公开目录。",
            ["s1.platform"] = "持续优化县政府门户网站“政府信息公开”专栏，规范政务新媒体管理。",
            ["s1.oversight"] = "将政务公开纳入年度绩效考核，开展社会评议，落实工作考核、社会评议和责任追究制度。",
            ["s5.text"] = "部分单位主动公开的及时性和解读质量仍需提高。下一步将加强业务培训和督促检查。",
            ["s6.text"] = $"依据《政府信息公开信息处理费管理办法》，{year}年度未收取信息处理费。",
        };
    }
}
