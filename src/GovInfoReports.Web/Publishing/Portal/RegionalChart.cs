using System.Globalization;
using System.Net;
using System.Text;

namespace GovInfoReports.Web.Publishing;

/// <summary>A server-made horizontal SVG bar chart of one key figure across a region's units (no script, no inline style:
/// presentation attributes only, so the page's CSP holds). The bars are the units with the largest values, at most
/// <see cref="MaxBars"/>; a unit without the figure (未发布, or its report did not state it) has no bar, never a 0. A bar
/// whose report's format words the figure otherwise than the heading is drawn pale and says so in its tooltip.</summary>
public static class RegionalChart
{
    /// <summary>The most bars drawn: a city's or province's hundreds of units are in the table and the CSV, not the chart.</summary>
    public const int MaxBars = 30;

    /// <summary>The units the chart draws, largest value first (ties by the default order).</summary>
    public static IReadOnlyList<RegionalUnit> Charted(IReadOnlyList<RegionalUnit> units, string figure) =>
        units.Where(u => RegionalView.Value(u.Figures, figure) is not null)
            .OrderByDescending(u => RegionalView.Value(u.Figures, figure)).Take(MaxBars).ToList();

    /// <param name="units">The region's units in the default order.</param>
    /// <param name="figure">One of <see cref="RegionalView.ChartFigures"/>.</param>
    /// <param name="labels">The words of the year's format (the heading's).</param>
    public static string Svg(IReadOnlyList<RegionalUnit> units, string figure, IReadOnlyDictionary<string, string> labels)
    {
        var bars = Charted(units, figure);
        var share = figure == "disclosedShare";
        const int width = 640, left = 190, right = 56, top = 28, rowHeight = 22, bottom = 8;
        var height = top + Math.Max(1, bars.Count) * rowHeight + bottom;
        var plotWidth = width - left - right;
        var max = share ? 1m : Math.Max(1m, bars.Select(u => RegionalView.Value(u.Figures, figure)!.Value).DefaultIfEmpty(1).Max());
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        string E(string text) => WebUtility.HtmlEncode(text);
        // Formatted as the table beside it formats them (the request's culture).
        string Text(decimal value) => share ? value.ToString("P1") : $"{value:0.######}件";
        var label = labels[figure];
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"region-chart-title\" class=\"chart region-chart\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"region-chart-title\">各单位{E(label)}{(share ? "" : "件数")}（前{bars.Count}个）</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"14\" font-size=\"11\" fill=\"#444\">{E(label)}{(share ? "（0–100%）" : "（件）")}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top - 6}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"#333\"/>");
        for (var i = 0; i < bars.Count; i++)
        {
            var unit = bars[i];
            var value = RegionalView.Value(unit.Figures, figure)!.Value;
            var y = top + i * rowHeight;
            var w = (double)(value / max) * plotWidth;
            var other = KeyFigureChart.OtherWord(unit.Figures!, figure, labels);
            var word = other ? $"{unit.Figures!.Labels[figure]}（该年度格式的口径，与“{label}”不完全可比）" : label;
            var name = unit.Name.Length > 14 ? unit.Name[..13] + "…" : unit.Name;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{y + 15}\" text-anchor=\"end\" font-size=\"12\" fill=\"#222\">{E(name)}</text>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{left}\" y=\"{y + 3}\" width=\"{F(Math.Max(w, 0))}\" height=\"{rowHeight - 6}\" fill=\"#b3261e\"{(other ? " fill-opacity=\"0.4\" class=\"other-word\"" : "")}><title>{E(unit.Name)} {E(word)}：{Text(value)}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + Math.Max(w, 0) + 4)}\" y=\"{y + 15}\" font-size=\"11\" fill=\"#222\">{E(Text(value))}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }
}
