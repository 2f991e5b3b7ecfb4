using System.Globalization;
using System.Net;
using System.Text;

namespace GovInfoReports.Web.Publishing;

/// <summary>A server-made SVG bar chart of an agency's key figures by year (no script, no inline style:
/// presentation attributes only, so the page's CSP holds). The same figures are in a table beside it.</summary>
public static class KeyFigureChart
{
    private static readonly (string Label, string Color, Func<KeyFigures, decimal> Value)[] Series =
    [
        ("收到申请", "#b3261e", f => f.Received),
        ("行政复议", "#0b57a4", f => f.Reviews),
        ("行政诉讼", "#8a5a00", f => f.Lawsuits),
    ];

    public static string Svg(IReadOnlyList<KeyFigures> years)
    {
        const int width = 640, height = 280, left = 48, bottom = 40, top = 30;
        var max = Math.Max(1m, years.SelectMany(y => Series.Select(s => s.Value(y))).DefaultIfEmpty(1).Max());
        var plotHeight = height - top - bottom;
        var groupWidth = (width - left - 10) / (double)Math.Max(1, years.Count);
        var barWidth = groupWidth / (Series.Length + 1);
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"chart-title\" class=\"chart\">");
        svg.Append("<title id=\"chart-title\">历年收到申请、行政复议和行政诉讼件数</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - 10}\" y2=\"{height - bottom}\" stroke=\"#333\"/>");
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = max * tick / 4;
            var y = height - bottom - plotHeight * tick / 4.0;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{F(y)}\" x2=\"{width - 10}\" y2=\"{F(y)}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\" font-size=\"11\" fill=\"#444\">{Math.Round(value):0}</text>");
        }
        for (var i = 0; i < years.Count; i++)
        {
            var x0 = left + groupWidth * i + barWidth / 2;
            for (var s = 0; s < Series.Length; s++)
            {
                var value = Series[s].Value(years[i]);
                var h = (double)(value / max) * plotHeight;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{F(x0 + barWidth * s)}\" y=\"{F(height - bottom - h)}\" width=\"{F(barWidth - 2)}\" height=\"{F(h)}\" fill=\"{Series[s].Color}\"><title>{years[i].Year}年 {Series[s].Label}：{value:0}件</title></rect>");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x0 + barWidth * Series.Length / 2)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#222\">{years[i].Year}</text>");
        }
        for (var s = 0; s < Series.Length; s++)
        {
            var x = left + s * 110;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{Series[s].Color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 16}\" y=\"18\" font-size=\"12\" fill=\"#222\">{WebUtility.HtmlEncode(Series[s].Label)}</text>");
        }
        // The share disclosed (予以公开 + 部分公开 of those handled) as a line on its own 0–100 % scale.
        var points = years.Select((y, i) => (y, i)).Where(p => p.y.DisclosedShare is not null)
            .Select(p => (X: left + groupWidth * p.i + barWidth / 2 + barWidth * Series.Length / 2, Y: height - bottom - (double)p.y.DisclosedShare!.Value * plotHeight, p.y))
            .ToList();
        if (points.Count > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{string.Join(" ", points.Select(p => $"{F(p.X)},{F(p.Y)}"))}\" fill=\"none\" stroke=\"#1e6b3a\" stroke-width=\"2\"/>");
            foreach (var p in points)
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{F(p.X)}\" cy=\"{F(p.Y)}\" r=\"4\" fill=\"#1e6b3a\"><title>{p.y.Year}年 予以公开和部分公开占办结：{p.y.DisclosedShare:P1}</title></circle>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - 12}\" y=\"{top - 4}\" text-anchor=\"end\" font-size=\"11\" fill=\"#1e6b3a\">公开比例（线，右轴0–100%）</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }
}
