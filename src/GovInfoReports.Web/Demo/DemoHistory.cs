using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Web.Demo;

/// <summary>
/// Plausible, fully balanced demo figures for the county government's published years: deterministic per
/// year, with each year's 上年结转 equal to the previous year's 结转下年度 (spec §9 X1), also across the change of
/// format between 2020 (2019 format) and 2021 (2021 format), whose 表三 columns share their cell ids. Every rule
/// of the year's template passes, warnings included, so the demo publishes without a 说明.
/// </summary>
public static class DemoHistory
{
    /// <summary>The 2019 format's 采购总金额 unit the demo prints each year in (the agency's choice of 元 or 万元).</summary>
    private const string Amount2019 = "a20_9.procurement.amount";

    /// <summary>Values of every enterable cell and every total of <paramref name="template"/> (the 2021 or the 2019
    /// format) for <paramref name="year"/>; money in 万元.</summary>
    /// <param name="previous">The previous year's values (its 结转下年度 becomes this year's 上年结转; in the 2019 format its
    /// 上一年项目数量 + 本年增/减 becomes this year's 上一年项目数量); null for the first year.</param>
    /// <param name="next">The next year's values when that year is already published (a demo seeded before this
    /// year was added): this year's 结转下年度 is then its 上年结转, so the chain still holds.</param>
    public static Dictionary<string, decimal> Cells(ReportTemplate template, int year, IReadOnlyDictionary<string, decimal>? previous,
        IReadOnlyDictionary<string, decimal>? next = null)
    {
        var random = new Random(year);
        var values = template.Cells.Where(c => c.Enterable).ToDictionary(c => c.Id, _ => 0m, StringComparer.Ordinal);
        if (template.Code == "2019") ActiveDisclosure2019(values, random, year, previous);
        else
        {
            var issued = 8 + random.Next(6);
            var repealed = random.Next(3);
            values["a20_1.normative.issued"] = issued;
            values["a20_1.normative.repealed"] = repealed;
            // 现行有效 continues last year's (spec §9 X2): last year's + 本年制发 − 本年废止; the first 2021-format year starts from 33.
            var inForceBefore = previous?.GetValueOrDefault("a20_1.normative.in_force") is { } before and > 0 ? before : 33;
            values["a20_1.normative.in_force"] = inForceBefore + issued - repealed;
            values["a20_5.licensing.decisions"] = 1200 + random.Next(400);
            values["a20_6.penalty.decisions"] = 300 + random.Next(100);
            values["a20_6.coercion.decisions"] = 10 + random.Next(10);
            values["a20_8.fees.amount"] = Math.Round(30 + (decimal)random.NextDouble() * 20, 4);
        }

        var apps = template.Tables["apps"];
        // 三（六）其他处理 is one row in the 2019 format (r6) and split in the 2021 format (r6_1 …).
        var outcomes = new[] { "r1", "r2", "r3_4", "r3_6", "r4_1", "r4_2", "r5_2", "r6_1", "r6" }
            .Where(o => template.CellsById.TryGetValue($"apps.{o}.np", out var cell) && cell.Enterable).ToArray();
        var scale = new Dictionary<string, int> { ["np"] = 30, ["biz"] = 6, ["res"] = 1, ["ngo"] = 1, ["law"] = 3, ["oth"] = 1 };
        // Fewer applications before 2022: the county's yearly growth, bounded so early years stay plausible.
        var growth = Math.Max(year - 2022, -1);
        foreach (var column in apps.LeafColumns.Select(c => c.Id!).Where(id => id != "tot"))
        {
            var received = scale[column] + random.Next(scale[column] + 1) + growth * scale[column] / 3;
            var carriedIn = previous?.GetValueOrDefault($"apps.carry_out.{column}") ?? 0;
            var carriedOut = column == "np" ? 1 + random.Next(3) : random.Next(2);
            if (next is not null) carriedOut = (int)next.GetValueOrDefault($"apps.carry_in.{column}");
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

    /// <summary>二、主动公开政府信息情况 in the 2019 format (国办公开办函〔2019〕60号): item counts carried from the
    /// previous year (上一年项目数量 = last year's 上一年项目数量 + 本年增/减), some of them falling (本年增/减 negative,
    /// as licensing items and fees were cut back), and 采购总金额.</summary>
    private static void ActiveDisclosure2019(Dictionary<string, decimal> values, Random random, int year, IReadOnlyDictionary<string, decimal>? previous)
    {
        // The county government makes no 规章 (C4): its 规章 row stays 0.
        var made = 7 + random.Next(5);
        values["a20_1.normative.made"] = made;
        values["a20_1.normative.published"] = made;
        values["a20_1.normative.public_total"] = (previous?.GetValueOrDefault("a20_1.normative.public_total") ?? 31) + made;

        decimal Prev(string row, decimal first) =>
            previous is not null && previous.TryGetValue($"{row}.prev", out var p) ? p + previous[$"{row}.change"] : first;
        (string Row, decimal First, int Change)[] items =
        [
            ("a20_5.licensing", 286, year == 2019 ? -37 : 2 + random.Next(4)),
            ("a20_5.other_services", 64, 1 + random.Next(5)),
            ("a20_6.penalty", 1129, 8 + random.Next(20)),
            ("a20_6.coercion", 15, -random.Next(3)),
            ("a20_8.fees", 9, year == 2019 ? -3 : 0),
        ];
        foreach (var (row, first, change) in items)
        {
            values[$"{row}.prev"] = Prev(row, first);
            values[$"{row}.change"] = change;
        }
        values["a20_5.licensing.decisions"] = 1100 + random.Next(300);
        values["a20_5.other_services.decisions"] = 2400 + random.Next(600);
        values["a20_6.penalty.decisions"] = 280 + random.Next(100);
        values["a20_6.coercion.decisions"] = 8 + random.Next(8);
        values["a20_9.procurement.items"] = 36 + random.Next(20);
        // Exact to the 分 (元 with 2 decimals is 万元 with 6): 2020 prints it in 元 to the 分, 2019 in 万元 to 2 decimals.
        var fen = 120_000_000 + random.Next(80_000_000);
        values[Amount2019] = year == 2020 ? fen / 1_000_000m : Math.Round(fen / 1_000_000m, 2);
    }

    /// <summary>The unit each cell was printed in, for cells with a choice of units: the demo's 2019 report prints
    /// 采购总金额 in 万元, its 2020 report in 元 (the 2019 format lets the agency choose).</summary>
    public static Dictionary<string, string> Units(ReportTemplate template, int year) =>
        template.CellsById.ContainsKey(Amount2019)
            ? new Dictionary<string, string> { [Amount2019] = year == 2020 ? "yuan" : "wanyuan" }
            : [];

    public static Dictionary<string, string> Texts(ReportTemplate template, int year, IReadOnlyDictionary<string, decimal> v)
    {
        string N(string id) => Domain.Values.CellValueParser.FormatValue(v[id]);
        if (template.Code == "2019")
            return new Dictionary<string, string>
            {
                ["s1.active"] = $"{year}年，县政府认真贯彻新修订的《中华人民共和国政府信息公开条例》，全年新制作并公开规范性文件{N("a20_1.normative.published")}件，"
                    + $"对外公开规范性文件总数达到{N("a20_1.normative.public_total")}件；深化“放管服”改革，行政许可事项本年增/减{N("a20_5.licensing.change")}项，及时公开权责清单调整情况。",
                ["s1.request"] = $"{year}年共新收政府信息公开申请{N("apps.new.tot")}件，上年结转{N("apps.carry_in.tot")}件，办结{N("apps.r7.tot")}件，结转下年度继续办理{N("apps.carry_out.tot")}件，均在法定期限内答复。",
                ["s1.management"] = "按照新条例要求重新编制政府信息公开指南和目录，落实公开前保密审查和公开属性源头认定。",
                ["s1.platform"] = year == 2019
                    ? "完成县政府门户网站“政府信息公开”专栏改版，按新条例第二十条设置法定主动公开内容栏目。"
                    : "依托县政府门户网站和政务新媒体集中发布疫情防控、复工复产政策及解读。",
                ["s1.oversight"] = "将政务公开纳入年度目标考核，邀请群众代表开展社会评议，开展政务公开专题培训，落实责任追究制度。",
                ["s5.text"] = year == 2019
                    ? "部分单位对新条例理解不够，依申请公开答复文书不够规范。下一步将组织专题培训，统一答复文书格式。"
                    : "个别单位主动公开更新不及时，政策解读形式单一。下一步将加强督促检查，推行图解、视频等多种解读方式。",
                ["s6.text"] = $"{year}年度未收取信息处理费。",
            };
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

    /// <summary>The demo's one pre-2019 archive year (2016, 《条例》（国务院令第492号）第三十一条、第三十二条).</summary>
    public const int ArchiveYear = 2016;

    /// <summary>The archive report's key-figure sheet, as a 2016 report printed it (K1–K4 hold: the answers add up
    /// to the 21 handled, 2 of the 23 received still open; 复议 and 诉讼 split into their outcomes).</summary>
    public static Dictionary<string, decimal> ArchiveCells() => new(StringComparer.Ordinal)
    {
        ["k_apps.received.count"] = 23, ["k_apps.handled.count"] = 21, ["k_apps.already_public.count"] = 1,
        ["k_apps.granted.count"] = 13, ["k_apps.partly_granted.count"] = 2, ["k_apps.refused.count"] = 1,
        ["k_apps.not_ours.count"] = 2, ["k_apps.not_exist.count"] = 1, ["k_apps.repeated.count"] = 0,
        ["k_apps.amend.count"] = 1, ["k_apps.other_channel.count"] = 0,
        ["k_lit.review.total"] = 2, ["k_lit.review.upheld"] = 1, ["k_lit.review.corrected"] = 0, ["k_lit.review.other"] = 1,
        ["k_lit.lawsuit.total"] = 1, ["k_lit.lawsuit.upheld"] = 1, ["k_lit.lawsuit.corrected"] = 0, ["k_lit.lawsuit.other"] = 0,
        ["k_fees.fees.amount"] = 0,
    };

    /// <summary>The archive report's text under the six customary headings of the time (the template's default
    /// outline), worded as county reports of 2016 were.</summary>
    public static Dictionary<string, string> ArchiveTexts() => new(StringComparer.Ordinal)
    {
        ["s1.opening"] = "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由获嘉县人民政府办公室编制。全文包括概述，主动公开政府信息情况，"
            + "政府信息依申请公开情况，政府信息公开收费及减免情况，因政府信息公开申请提起行政复议、行政诉讼情况，存在的主要问题和改进措施。"
            + "本报告中所列数据的统计期限自2016年1月1日起至2016年12月31日止。如对本报告有任何疑问，请与获嘉县人民政府办公室联系。",
        ["s1.overview"] = "2016年，县政府认真贯彻落实中共中央办公厅、国务院办公厅《关于全面推进政务公开工作的意见》，调整充实县政务公开领导小组，"
            + "把政务公开工作纳入县直单位和乡镇年度目标考核，推进决策、执行、管理、服务、结果公开。",
        ["s1.active"] = "全年通过县政府门户网站主动公开政府信息3126条，其中政府文件86条、财政预决算和“三公”经费信息52条、行政权力运行信息1204条；"
            + "召开新闻发布会6次，在县电视台、《获嘉通讯》等媒体刊发政务信息430余条。",
        ["s1.request"] = "2016年共受理政府信息公开申请23件，均为网上申请和当面申请。办结21件，其中属于已主动公开范围1件，同意公开13件，同意部分公开2件，"
            + "不同意公开1件，不属于本行政机关公开职责权限范围2件，申请信息不存在1件，告知作出更改补充1件；2件正在办理中。",
        ["s1.fees"] = "2016年度未收取政府信息公开检索、复制、邮寄等费用，也没有减免收费的情况。",
        ["s1.appeals"] = "2016年，因政府信息公开申请提起行政复议2件，其中维持具体行政行为1件，申请人撤回申请1件；提起行政诉讼1件，经法院审理维持具体行政行为。",
        ["s1.problems"] = "一是部分单位对政府信息公开工作重视不够，信息更新不够及时；二是依申请公开答复的规范性有待提高。"
            + "2017年，我们将进一步健全工作机制，加强业务培训和督导检查，推动政府信息公开工作规范化、制度化。",
    };
}
