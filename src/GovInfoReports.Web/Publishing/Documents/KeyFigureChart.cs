using System.Globalization;
using System.Net;
using System.Text;

namespace GovInfoReports.Web.Publishing;

/// <summary>A server-made SVG bar chart of an agency's key figures by year (no script, no inline style:
/// presentation attributes only, so the page's CSP holds). The same figures are in a table beside it.
/// Years span formats: each bar is the year's own figure under its own template's word (a pre-2019 report's
/// 申请总数 is not the later formats' 收到申请), a figure the year did not state has no bar (not a 0), and a bar
/// whose word differs from the legend's is drawn pale and says so in its tooltip.</summary>
public static class KeyFigureChart
{
    private static readonly (string Key, string Color, Func<KeyFigures, decimal?> Value)[] Bars =
    [
        ("received", "#b3261e", f => f.Received),
        ("reviews", "#0b57a4", f => f.Reviews),
        ("lawsuits", "#8a5a00", f => f.Lawsuits),
    ];

    /// <summary>Whether the year's template names the figure otherwise than the legend (another vocabulary).</summary>
    public static bool OtherWord(KeyFigures year, string key, IReadOnlyDictionary<string, string> labels) =>
        year.Labels.GetValueOrDefault(key) is { } own && own != labels[key];

    /// <param name="years">The figures, oldest first.</param>
    /// <param name="labels">The words of the legend: the latest year's template (<see cref="Domain.Templates.TemplateDefinition.KeyFigureLabels"/>).</param>
    public static string Svg(IReadOnlyList<KeyFigures> years, IReadOnlyDictionary<string, string> labels)
    {
        var series = Bars.Select(b => (b.Key, Label: labels[b.Key], b.Color, b.Value)).ToArray();
        const int width = 640, height = 280, left = 48, bottom = 40, top = 30, right = 44;
        var hasShare = years.Any(y => y.DisclosedShare is not null);
        var max = Math.Max(1m, years.SelectMany(y => series.Select(s => s.Value(y) ?? 0)).DefaultIfEmpty(1).Max());
        var plotHeight = height - top - bottom;
        var plotRight = width - (hasShare ? right : 10);
        var groupWidth = (plotRight - left) / (double)Math.Max(1, years.Count);
        var barWidth = groupWidth / (series.Length + 1);
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        string E(string text) => WebUtility.HtmlEncode(text);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"chart-title\" class=\"chart\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"chart-title\">历年{E(labels["received"])}、{E(labels["reviews"])}和{E(labels["lawsuits"])}件数</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{plotRight}\" y2=\"{height - bottom}\" stroke=\"#333\"/>");
        // The left axis: counts of 件 (the bars).
        svg.Append(CultureInfo.InvariantCulture, $"<g class=\"axis-left\"><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"#333\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{top - 14}\" text-anchor=\"end\" font-size=\"11\" fill=\"#444\">件</text></g>");
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = max * tick / 4;
            var y = height - bottom - plotHeight * tick / 4.0;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{F(y)}\" x2=\"{plotRight}\" y2=\"{F(y)}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\" font-size=\"11\" fill=\"#444\">{Math.Round(value):0}</text>");
        }
        for (var i = 0; i < years.Count; i++)
        {
            var x0 = left + groupWidth * i + barWidth / 2;
            for (var s = 0; s < series.Length; s++)
            {
                if (series[s].Value(years[i]) is not { } value) continue;
                var h = (double)(value / max) * plotHeight;
                var other = OtherWord(years[i], series[s].Key, labels);
                var word = other ? $"{years[i].Labels[series[s].Key]}（该年度格式的口径，与“{series[s].Label}”不完全可比）" : series[s].Label;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{F(x0 + barWidth * s)}\" y=\"{F(height - bottom - h)}\" width=\"{F(barWidth - 2)}\" height=\"{F(h)}\" fill=\"{series[s].Color}\"{(other ? " fill-opacity=\"0.4\" class=\"other-word\"" : "")}><title>{years[i].Year}年 {E(word)}：{value:0}件</title></rect>");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x0 + barWidth * series.Length / 2)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#222\">{years[i].Year}</text>");
        }
        for (var s = 0; s < series.Length; s++)
        {
            var x = left + s * 110;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{series[s].Color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 16}\" y=\"18\" font-size=\"12\" fill=\"#222\">{E(series[s].Label)}</text>");
        }
        // The share disclosed (予以公开 + 部分公开 of those handled) as a line on its own 0–100 % scale; the line
        // is broken where the word changes (a pre-2019 report counts 同意公开 and 同意部分公开 of its 办结数).
        var points = years.Select((y, i) => (y, i)).Where(p => p.y.DisclosedShare is not null)
            .Select(p => (X: left + groupWidth * p.i + barWidth / 2 + barWidth * series.Length / 2, Y: height - bottom - (double)p.y.DisclosedShare!.Value * plotHeight, p.y,
                Word: p.y.Labels.GetValueOrDefault("disclosedShare") ?? labels["disclosedShare"]))
            .ToList();
        if (points.Count > 0)
        {
            var runs = new List<List<(double X, double Y, KeyFigures y, string Word)>>();
            foreach (var p in points)
                if (runs.Count > 0 && runs[^1][^1].Word == p.Word) runs[^1].Add(p);
                else runs.Add([p]);
            foreach (var run in runs.Where(r => r.Count > 1))
                svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{string.Join(" ", run.Select(p => $"{F(p.X)},{F(p.Y)}"))}\" fill=\"none\" stroke=\"#1e6b3a\" stroke-width=\"2\"/>");
            foreach (var p in points)
            {
                var other = p.Word != labels["disclosedShare"];
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{F(p.X)}\" cy=\"{F(p.Y)}\" r=\"4\" fill=\"{(other ? "#fff" : "#1e6b3a")}\" stroke=\"#1e6b3a\" stroke-width=\"2\"><title>{p.y.Year}年 {E(p.Word)}：{p.y.DisclosedShare:P1}</title></circle>");
            }
            // The right axis the legend names: the share's 0–100 % scale, drawn with its ticks.
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"axis-right\"><line x1=\"{plotRight}\" y1=\"{top}\" x2=\"{plotRight}\" y2=\"{height - bottom}\" stroke=\"#1e6b3a\"/>");
            for (var tick = 0; tick <= 4; tick++)
            {
                var y = height - bottom - plotHeight * tick / 4.0;
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{plotRight}\" y1=\"{F(y)}\" x2=\"{plotRight + 4}\" y2=\"{F(y)}\" stroke=\"#1e6b3a\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{plotRight + 6}\" y=\"{F(y + 4)}\" font-size=\"11\" fill=\"#1e6b3a\">{tick * 25}%</text>");
            }
            svg.Append("</g>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - 2}\" y=\"{top - 14}\" text-anchor=\"end\" font-size=\"11\" fill=\"#1e6b3a\">公开比例（线，右轴0–100%）</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }
}
