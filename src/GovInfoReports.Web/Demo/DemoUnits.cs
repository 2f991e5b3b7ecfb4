using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Web.Demo;

/// <summary>
/// The demo county's units (its 办公室, 教育局 and 太山镇人民政府) for the years whose 全辖区 report the demo consolidates
/// (<see cref="DemoSeeder.ConsolidatedYears"/>, 2021 format): the county government's figures of the year
/// (<see cref="DemoHistory.Cells"/>) split among them so that each unit's report balances on its own (every column of
/// 表三: 新收 + 上年结转 = 办理结果 + 结转下年度), continues its own previous year (its 上年结转 is what it carried out, its
/// 现行有效 its own stock), and the units' sums are exactly the county's figures — which the county then takes through
/// the real 采用汇总值 path. Deterministic.
/// </summary>
public static class DemoUnits
{
    /// <summary>The units in the order the split fills them, with each one's share of new work.</summary>
    public static readonly IReadOnlyList<(string Agency, string Clerk, decimal Share, int NormativeStock)> Units =
    [
        ("获嘉县人民政府办公室", "office", 0.5m, 18),
        ("获嘉县教育局", "edu", 0.3m, 9),
        ("获嘉县太山镇人民政府", "town", 0.2m, 6),
    ];

    /// <summary>
    /// Each unit's values (cell id → value, totals computed; money in 万元) for a year whose county figures are
    /// <paramref name="county"/>, given each unit's report of the previous year (<paramref name="previous"/>, in the order of
    /// <see cref="Units"/>; null where the unit has none): a unit with one carries in what it carried out (blank: 0) and
    /// continues its 现行有效件数; the county's remaining 上年结转 goes to the units without one, by share. Throws when the
    /// county figures cannot be split (a demo bug, never silently unbalanced).
    /// </summary>
    public static IReadOnlyList<Dictionary<string, decimal>> Split(ReportTemplate template, IReadOnlyDictionary<string, decimal> county,
        IReadOnlyList<IReadOnlyDictionary<string, decimal>?> previous)
    {
        var units = Units.Select(_ => template.Cells.Where(c => c.Enterable).ToDictionary(c => c.Id, _ => 0m, StringComparer.Ordinal)).ToList();
        var shares = Units.Select(u => u.Share).ToArray();

        // Work of the year (第二十条 counts and money) by share, the rounding left to the first unit (the 办公室).
        foreach (var id in new[] { "a20_1.normative.issued", "a20_1.normative.repealed", "a20_5.licensing.decisions", "a20_6.penalty.decisions", "a20_6.coercion.decisions" })
            Distribute(county.GetValueOrDefault(id), shares, (k, v) => units[k][id] = v, decimals: 0);
        Distribute(county.GetValueOrDefault("a20_8.fees.amount"), shares, (k, v) => units[k]["a20_8.fees.amount"] = v, decimals: 4);
        for (var k = 0; k < units.Count; k++)
        {
            var before = previous[k] is { } last ? last.GetValueOrDefault("a20_1.normative.in_force") : Units[k].NormativeStock;
            units[k]["a20_1.normative.in_force"] = before + units[k]["a20_1.normative.issued"] - units[k]["a20_1.normative.repealed"];
        }

        // 表三, column by column: each unit takes its carried-in applications (what it carried out last year) and its share
        // of the new ones; the outcomes and what is carried out are then dealt to the units, each up to what it handles.
        var apps = template.Tables["apps"];
        var outcomes = apps.Cells.Where(c => c.Enterable && c.Id.StartsWith("apps.r", StringComparison.Ordinal)).Select(c => c.Id.Split('.')[1]).Distinct().ToList();
        foreach (var column in apps.LeafColumns.Select(c => c.Id!).Where(id => id != "tot"))
        {
            var carriedIn = new decimal[units.Count];
            for (var k = 0; k < units.Count; k++) carriedIn[k] = previous[k]?.GetValueOrDefault($"apps.carry_out.{column}") ?? 0;
            var newcomers = Enumerable.Range(0, units.Count).Where(k => previous[k] is null).ToArray();
            var unclaimed = county[$"apps.carry_in.{column}"] - carriedIn.Sum();
            if (newcomers.Length > 0 && unclaimed >= 0)
                Distribute(unclaimed, newcomers.Select(k => shares[k] / newcomers.Sum(n => shares[n])).ToArray(), (i, v) => carriedIn[newcomers[i]] = v, decimals: 0);
            if (carriedIn.Sum() != county[$"apps.carry_in.{column}"])
                throw new InvalidOperationException($"Demo units: 上年结转 of {column} does not continue the units' previous year.");
            var received = new decimal[units.Count];
            Distribute(county[$"apps.new.{column}"], shares, (k, v) => received[k] = v, decimals: 0);
            var room = received.Zip(carriedIn, (a, b) => a + b).ToArray();
            var slots = outcomes.Select(o => ($"apps.{o}.{column}", county.GetValueOrDefault($"apps.{o}.{column}")))
                .Append(($"apps.carry_out.{column}", county[$"apps.carry_out.{column}"])).ToList();
            // Proportionally first (rounded down), then what is left in order, so no unit ever handles more than it has.
            var total = room.Sum();
            var left = new List<(string Id, decimal Count)>();
            foreach (var (id, count) in slots)
            {
                var given = 0m;
                for (var k = 0; k < units.Count && total > 0; k++)
                {
                    var part = Math.Floor(count * room[k] / total);
                    units[k][id] = part;
                    given += part;
                }
                left.Add((id, count - given));
            }
            var free = room.Select((r, k) => r - slots.Sum(s => units[k][s.Item1])).ToArray();
            var unit = 0;
            foreach (var (id, count) in left)
            {
                var rest = count;
                while (rest > 0)
                {
                    while (free[unit] == 0) unit++;
                    var part = Math.Min(rest, free[unit]);
                    units[unit][id] += part;
                    free[unit] -= part;
                    rest -= part;
                }
            }
            for (var k = 0; k < units.Count; k++)
            {
                units[k][$"apps.new.{column}"] = received[k];
                units[k][$"apps.carry_in.{column}"] = carriedIn[k];
            }
        }

        // 表四: the county's cases are the 办公室's (it answers for the government's own decisions).
        foreach (var cell in template.Tables["lit"].Cells.Where(c => c.Enterable))
            units[0][cell.Id] = county.GetValueOrDefault(cell.Id);

        foreach (var values in units) RuleEvaluator.ComputeTotals(template, values);
        foreach (var id in template.SummableCells)
            if (units.Sum(u => u.GetValueOrDefault(id)) != county.GetValueOrDefault(id))
                throw new InvalidOperationException($"Demo units: {id} does not sum to the county's figure.");
        return units;
    }

    /// <summary>Splits <paramref name="value"/> by <paramref name="shares"/>, rounded down to <paramref name="decimals"/>,
    /// the remainder to the first.</summary>
    private static void Distribute(decimal value, decimal[] shares, Action<int, decimal> set, int decimals)
    {
        var scale = (decimal)Math.Pow(10, decimals);
        var parts = shares.Select(s => Math.Floor(value * s * scale) / scale).ToArray();
        parts[0] += value - parts.Sum();
        for (var k = 0; k < parts.Length; k++) set(k, parts[k]);
    }

    /// <summary>Each unit's narrative of the year: short, its own, without figures (so no narrative check has a number to
    /// compare), naming 考核, 评议 and 责任追究 as a 人民政府's report must.</summary>
    public static Dictionary<string, string> Texts(int unit, int year)
    {
        var (name, focus, platform, problem) = unit switch
        {
            0 => ("县政府办公室", year % 2 == 0 ? "政府常务会议议定事项和政策文件解读" : "重大决策预公开和建议提案办理结果", "“政府文件”", "政策解读的形式还比较单一"),
            1 => ("县教育局", year % 2 == 0 ? "义务教育招生入学和学生资助政策" : "教育收费标准和校园安全信息", "“义务教育”", "学校信息公开的及时性还有差距"),
            _ => ("太山镇政府", year % 2 == 0 ? "惠民惠农补贴发放和村级财务" : "农村低保救助和宅基地审批", "“乡镇动态”", "村务公开栏更新还不够规范"),
        };
        var measure = year % 2 == 0 ? "加强业务培训，规范发布流程" : "完善公开目录，加强督促检查";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["s1.active"] = $"{year}年，{name}重点公开{focus}等信息。",
            ["s1.request"] = $"{name}依法受理政府信息公开申请，均在法定期限内答复。",
            ["s1.management"] = $"{name}落实公开前保密审查，{(year % 2 == 0 ? "动态更新公开目录" : "规范公开属性认定")}。",
            ["s1.platform"] = $"{name}通过县政府门户网站{platform}栏目发布信息。",
            ["s1.oversight"] = $"{name}将政务公开纳入年度考核，开展社会评议，落实责任追究。",
            ["s5.text"] = $"{name}{problem}。下一步将{measure}。",
            ["s6.text"] = $"{year}年度{name}未收取信息处理费。",
        };
    }
}
