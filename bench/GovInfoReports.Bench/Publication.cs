using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace GovInfoReports.Bench;

/// <summary>
/// Issue 13: the real publication path, timed as a supervisor experiences it. Each run first prepares a correction of the
/// demo county's 2024 report through the app's own forms (the clerk <c>county</c> starts it and submits it, <c>reviewer</c>
/// approves it), then times the click on 确认发布 (the POST with its antiforgery token: the version frozen, its PDF
/// rendered in Chromium and stored, the public cache evicted) until the public permalink's PDF is the new version, and
/// the review page that the click lands on.
/// </summary>
public static partial class Publication
{
    /// <summary>Runs <paramref name="runs"/> timed publications after <paramref name="warmup"/>; prints mean / p95 against
    /// the goal (≤ 1,000 ms from click to public PDF, warm) and the PDF's page count.</summary>
    public static async Task RunAsync(string app, string agencyCode, int year, int reportId, int warmup = 2, int runs = 8)
    {
        using var county = await BenchBrowser.SignInAsync(app, "county", "County#2026demo", followRedirects: false);
        using var reviewer = await BenchBrowser.SignInAsync(app, "reviewer", "Review#2026demo", followRedirects: false);
        using var reader = new HttpClient { BaseAddress = new Uri(app) };
        var clicks = new List<double>();
        var posts = new List<double>();
        var landings = new List<double>();
        var pages = 0;
        var first = 0.0;
        for (var run = 0; run < warmup + runs; run++)
        {
            var version = await PrepareCorrectionAsync(county, reviewer, reportId, run);
            var review = await BenchBrowser.FormAsync(reviewer, $"/review/{reportId}", "form[action*='handler=Publish']");
            review["Confirmed"] = "true";
            var start = Stopwatch.GetTimestamp();
            var response = await reviewer.PostAsync($"/review/{reportId}?handler=Publish", new FormUrlEncodedContent(review));
            var posted = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Redirect)
                throw new InvalidOperationException($"Publication refused: {BenchBrowser.Problems(await response.Content.ReadAsStringAsync())}");
            var pdf = await reader.GetAsync($"/reports/{agencyCode}/{year}.pdf");
            var name = pdf.Content.Headers.ContentDisposition?.FileName?.Trim('"');
            var bytes = await pdf.Content.ReadAsByteArrayAsync();
            var click = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (name != $"{agencyCode}-{year}-v{version}.pdf") throw new InvalidOperationException($"The public PDF is {name}, not version {version}.");
            var landing = Stopwatch.GetTimestamp();
            (await reviewer.GetAsync(response.Headers.Location)).EnsureSuccessStatusCode();
            var landed = Stopwatch.GetElapsedTime(landing).TotalMilliseconds;
            pages = PageObject().Count(System.Text.Encoding.Latin1.GetString(bytes));
            if (run == 0) first = click;
            if (run < warmup) continue;
            clicks.Add(click);
            posts.Add(posted);
            landings.Add(landed);
        }
        Print($"publication: click → public PDF ({pages}-page report)", clicks, 1000);
        Print("  of which the POST (freeze, render, store, evict)", posts, null);
        Print("  then the review page it lands on", landings, null);
        // The app's first publication since it started (bench/run.sh: minutes after the start, other benchmarks in
        // between; the PDF renderer warms itself up 3 s after the start unless Pdf:WarmUpAtStart is false).
        Console.WriteLine($"{"  the first click of this app (not in the figures above)",-52} {first,12:F0} ms");
    }

    /// <summary>county starts a correction (更正说明 typed), submits it (with the 说明 of its warnings as they stand),
    /// reviewer approves it. Returns the version the publication will create.</summary>
    private static async Task<int> PrepareCorrectionAsync(HttpClient county, HttpClient reviewer, int reportId, int run)
    {
        var page = await BenchBrowser.GetAsync(county, $"/entry/{reportId}");
        // (A run stopped half-way leaves a correction open: it is taken as it is.)
        if (page.QuerySelector("form[action$='handler=Correct']") is not null)
        {
            var correct = BenchBrowser.Fields(page, "form[action$='handler=Correct']");
            correct["CorrectionNote"] = $"基准测试：第{run + 1}次更正发布。";
            await BenchBrowser.PostAsync(county, $"/entry/{reportId}?handler=Correct", correct);
        }
        var overview = await BenchBrowser.GetAsync(county, $"/entry/{reportId}");
        var submit = BenchBrowser.Fields(overview, overview.QuerySelector("#explain-form") is null ? "form.submit-form" : "#explain-form");
        // A warning not yet explained gets its 说明, as the clerk must write one before submitting.
        foreach (var key in submit.Where(f => f.Key.StartsWith("Explanations[", StringComparison.Ordinal) && f.Value.Trim().Length == 0).Select(f => f.Key).ToList())
            submit[key] = "经核对，以表格数字为准（基准测试）。";
        await BenchBrowser.PostAsync(county, $"/entry/{reportId}?handler=Submit", submit);
        var approve = await BenchBrowser.FormAsync(reviewer, $"/review/{reportId}", "form[action*='handler=Approve']");
        approve["Confirmed"] = "true";
        await BenchBrowser.PostAsync(reviewer, $"/review/{reportId}?handler=Approve", approve);
        // The approved report's review page names the version its publication will create: 第 N 版（/reports/…/vN）.
        var next = NextVersion().Match((await BenchBrowser.GetAsync(reviewer, $"/review/{reportId}")).Body!.TextContent);
        if (!next.Success) throw new InvalidOperationException("The review page does not name the version to be published.");
        return int.Parse(next.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Print(string name, List<double> times, double? goal)
    {
        var sorted = times.Order().ToArray();
        var p95 = sorted[(int)Math.Ceiling(sorted.Length * 0.95) - 1];
        var verdict = goal is { } g ? $"{"≤ " + g + " ms",10} {(p95 <= g ? "ok" : "MISSED")}" : "";
        Console.WriteLine($"{name,-52} {times.Average(),9:F0} ms {p95,9:F0} ms {verdict}");
    }

    [GeneratedRegex(@"/Type\s*/Page\b(?!s)")]
    private static partial Regex PageObject();

    [GeneratedRegex(@"第 (\d+) 版（/reports/")]
    private static partial Regex NextVersion();
}
