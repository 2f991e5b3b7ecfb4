using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Tests;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>
/// Issue 8's acceptance path for the 2019 format (国办公开办函〔2019〕60号), in headless Chromium: a clerk types
/// fixture 000 (蓬溪县政府办公室 2019) or 003 (将乐县 2020, 全辖区; negative 本年增/减, 采购总金额 in 元) completely
/// into the forms — metadata, every printed figure, every paragraph — with zero errors while typing and on the
/// server; submits it; a reviewer approves and publishes it; and an anonymous reader finds every printed value in
/// the public HTML, the PDF (pdftotext), the JSON and the CSV. Every figure is read from the fixture's text
/// (<see cref="PrintedReport2019"/>), none is written here.
/// </summary>
[Collection("Browser")]
public sealed class EnterFixtures2019Tests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    private sealed record Place(string ProvinceCode, string Province, string CityCode, string City, string CountyCode, string County);

    [Fact]
    public Task A_clerk_types_fixture_000_completely_and_every_printed_value_is_published_in_html_pdf_json_and_csv() =>
        EnterAndPublishAsync("fixtures/000_5e7b7750513ba6ef.txt", 2019, "蓬溪县政府办公室", AgencyKind.Department, "11510921MB0000000",
            new Place("510000", "四川省", "510900", "遂宁市", "510921", "蓬溪县"));

    [Fact]
    public Task A_clerk_types_fixture_003_with_negative_changes_and_an_amount_in_yuan_and_every_printed_value_is_published() =>
        EnterAndPublishAsync("fixtures/003_08fe1e56ee831c9d.txt", 2020, "将乐县人民政府", AgencyKind.Government, "11350428MB0000000",
            new Place("350000", "福建省", "350400", "三明市", "350428", "将乐县"));

    private async Task EnterAndPublishAsync(string fixturePath, int year, string agencyName, AgencyKind kind, string code17, Place place)
    {
        var template = app.Templates.Get("2019")!;
        var printed = PrintedReport2019.Read(File.ReadAllText(TestData.PathOf(fixturePath)), template);
        var agencyCode = await NewAgencyAsync(agencyName, kind, code17, place);
        var purpose = "f" + year;
        var clerkUser = await app.NewUserAsync(purpose + "clerk", (AppRole.Clerk, agencyName));
        var reviewerUser = await app.NewUserAsync(purpose + "review", (AppRole.Supervisor, agencyName));

        await using var clerkBrowser = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        var page = clerkBrowser.Page;
        // Some 400 fills, saves and page loads in one test: on a loaded two-core machine one page load has taken over 30 s.
        page.SetDefaultTimeout(60_000);
        await AppFixture.LoginAsync(page, clerkUser.UserName, clerkUser.Password);
        await page.GotoAsync("/entry");
        await page.Locator("#agency").SelectOptionAsync(new SelectOptionValue { Label = $"{agencyName}（{place.County}）" });
        await page.Locator("#year").FillAsync(year.ToString(CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "新建" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/entry/\d+$"));
        var reportUrl = page.Url;
        var reportId = int.Parse(reportUrl[(reportUrl.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);

        // 报告信息, as the preamble states it.
        await page.GotoAsync(reportUrl + "/meta");
        foreach (var (field, value) in printed.Metadata)
            await page.Locator($"#m-{char.ToUpperInvariant(field[0])}{field[1..]}").FillAsync(value);
        await SaveAsync(page);

        // 一: the opening, then each numbered part under the heading the agency printed (000: "(一)主动公开信息情况。"
        // for the recommended "（一）主动公开"; 003: three parts of its own). A recommended part the agency did not
        // use loses its heading and stays empty, so nothing is printed for it.
        await page.GotoAsync(reportUrl + "/s1");
        await page.Locator("#c-s1-opening").FillAsync(printed.Opening);
        var recommended = template.Sections.Single(s => s.Id == "s1").Parts;
        Assert.True(printed.Parts.Count <= recommended.Count, $"一 has {printed.Parts.Count} parts");
        for (var i = 0; i < recommended.Count; i++)
        {
            var domId = "c-" + recommended[i].Id.Replace('.', '-');
            var (heading, text) = i < printed.Parts.Count ? printed.Parts[i] : ("", "");
            await page.Locator("#h-" + domId).FillAsync(heading);
            await page.Locator("#" + domId).FillAsync(text);
        }
        await SaveAsync(page);

        // 二, 三, 四: every typed figure as printed, each typed into its cell (one input event per cell, as a clerk's
        // typing fires); the computed totals must come out as printed.
        foreach (var sectionId in new[] { "s2", "s3", "s4" })
        {
            await page.GotoAsync($"{reportUrl}/{sectionId}");
            var cells = template.Sections.Single(s => s.Id == sectionId).Tables.SelectMany(t => t.Cells).ToList();
            foreach (var cell in cells.Where(c => c.Enterable))
            {
                var input = page.Locator($"input[data-cell='{cell.Id}']");
                await input.FillAsync(printed.Cells[cell.Id]);
                if (printed.Units.TryGetValue(cell.Id, out var unit))
                    await page.Locator($"select[data-unit-for='{cell.Id}']").SelectOptionAsync(unit);
            }
            foreach (var cell in cells.Where(c => c.Computed))
                Assert.Equal(printed.Cells[cell.Id], await page.Locator($"input[data-cell='{cell.Id}']").InputValueAsync());
            Assert.Equal(0, await page.Locator("#violations li").CountAsync());
            Assert.All(await page.Locator("#section-form .field-error").AllTextContentsAsync(), e => Assert.Equal("", e.Trim()));
            await SaveAsync(page);
            Assert.Equal(0, await page.Locator("#violations li").CountAsync()); // the server's checks, after the save
            foreach (var cell in cells.Where(c => !c.NotApplicable))
                Assert.Equal(printed.Cells[cell.Id], await page.Locator($"input[data-cell='{cell.Id}']").InputValueAsync());
        }

        await page.GotoAsync(reportUrl + "/s5");
        await page.Locator("#c-s5-text").FillAsync(printed.Problems);
        await SaveAsync(page);
        await page.GotoAsync(reportUrl + "/s6");
        await page.Locator("#c-s6-text").FillAsync(printed.Other);
        await SaveAsync(page);

        // The server's check list of the whole report: no error in any part, and no warning, except that a 人民政府's report
        // must also cover 工作考核、社会评议和责任追究 (条例 art. 50(四), rule N10): fixture 003 (将乐县人民政府) mentions only
        // 考核, so its 一、总体情况 carries that one warning, which the clerk explains before submitting.
        await page.GotoAsync(reportUrl);
        // (The first row, 报告信息, counts no rule; its fields were saved without a message above.)
        Assert.All((await page.Locator("table.overview tbody tr td:nth-child(3)").AllTextContentsAsync()).Skip(1), c => Assert.Equal("0", c.Trim()));
        var warnings = (await page.Locator("table.overview tbody tr td:nth-child(4)").AllTextContentsAsync()).Skip(1).Select(c => c.Trim()).ToList();
        Assert.Equal(kind == AgencyKind.Government ? 1 : 0, warnings.Sum(int.Parse));
        if (kind == AgencyKind.Government)
        {
            var n10 = page.Locator("textarea[name='Explanations[N10:s1]']");
            await n10.FillAsync("本年度报告按当时的格式编写，工作考核、社会评议和责任追究情况另见县政府年度绩效考核通报。");
        }
        await page.ScreenshotAsync(new() { Path = TestBrowser.ScreenshotPath($"overview-fixture-{year}"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
        await page.WaitForURLAsync(reportUrl);
        Assert.Contains("报告已提交，等待审核", await page.Locator(".notice").First.TextContentAsync());
        Assert.Empty(clerkBrowser.Errors);

        // A different user, the agency's 审核员, approves and publishes.
        await using (var reviewerBrowser = await TestBrowser.NewPageAsync(app.Factory.ServerAddress))
        {
            var reviewer = reviewerBrowser.Page;
            reviewer.SetDefaultTimeout(60_000);
            await AppFixture.LoginAsync(reviewer, reviewerUser.UserName, reviewerUser.Password);
            await reviewer.GotoAsync($"/review/{reportId}");
            await AppFixture.ConfirmReviewActionAsync(reviewer, "Approve");
            // Publishing prints the PDF in Chromium: on a loaded two-core machine that alone has taken over 30 s.
            await AppFixture.ConfirmReviewActionAsync(reviewer, "Publish", 120_000);
            Assert.Contains("已发布", await reviewer.Locator(".status").TextContentAsync());
            Assert.Empty(reviewerBrowser.Errors);
        }
        await using (var db = app.Db())
        {
            var transitions = await db.ReportTransitions.Where(t => t.ReportId == reportId).OrderBy(t => t.Id).Select(t => new { t.To, t.UserId }).ToListAsync();
            var submitter = transitions.Single(t => t.To == Domain.Reports.ReportStatus.Submitted).UserId;
            Assert.NotEqual(submitter, transitions.Single(t => t.To == Domain.Reports.ReportStatus.Published).UserId);
        }

        // An anonymous reader: the permalink's HTML, PDF, JSON and CSV.
        using var citizen = new HttpClient { BaseAddress = app.Factory.ServerAddress };
        var permalink = $"/reports/{agencyCode}/{year}";
        await AssertHtmlAsync(citizen, permalink, template, printed);
        await AssertPdfAsync(citizen, permalink, template, printed);
        await AssertJsonAsync(citizen, permalink, template, printed);
        await AssertCsvAsync(citizen, permalink, template, printed);
    }

    private async Task<string> NewAgencyAsync(string name, AgencyKind kind, string code17, Place place)
    {
        await using var db = app.Db();
        var province = new Region(place.ProvinceCode, place.Province, RegionLevel.Province, null);
        var city = new Region(place.CityCode, place.City, RegionLevel.City, province);
        var county = new Region(place.CountyCode, place.County, RegionLevel.County, city);
        var agency = new Agency(UnifiedSocialCreditCode.Complete(code17), name, kind, county, null, mayMakeRules: false);
        db.Regions.AddRange(province, city, county);
        db.Agencies.Add(agency);
        await db.SaveChangesAsync();
        return agency.Code;
    }

    private static async Task SaveAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await page.Locator(".notice").WaitForAsync();
        Assert.Contains("已保存", await page.Locator(".notice").TextContentAsync());
    }

    /// <summary>A cell as the document prints it: the value as printed, then the unit the agency chose (元, 万元).</summary>
    private static string AsPrinted(ReportTemplate template, PrintedReport2019 printed, string cellId) =>
        printed.Cells[cellId] + (printed.Units.TryGetValue(cellId, out var unit) ? template.CellsById[cellId].Kind.FindUnit(unit)!.Label : "");

    private static string Squeeze(string text) => Regex.Replace(text, @"\s+", "");

    /// <summary>Every paragraph the agency wrote and every part heading it used, each without whitespace.</summary>
    private static IEnumerable<string> Writing(PrintedReport2019 printed) =>
        new[] { printed.Opening, printed.Problems, printed.Other }.Concat(printed.Parts.SelectMany(p => new[] { p.Heading, p.Text }))
            .SelectMany(t => t.Split('\n')).Where(p => p.Length > 0).Select(Squeeze);

    /// <summary>一、总体情况 exactly as printed, headings included, and nothing else (no recommended heading the
    /// agency did not use), each paragraph without whitespace.</summary>
    private static string Overview(PrintedReport2019 printed) =>
        Squeeze("一、总体情况" + printed.Opening + string.Concat(printed.Parts.Select(p => p.Heading + p.Text)) + "二、主动公开政府信息情况");

    private static async Task AssertHtmlAsync(HttpClient client, string permalink, ReportTemplate template, PrintedReport2019 printed)
    {
        var document = new HtmlParser().ParseDocument(await client.GetStringAsync(permalink));
        var article = document.QuerySelector("article.report-document")!;
        foreach (var cell in template.Cells.Where(c => c.SectionId is "s2" or "s3" or "s4"))
        {
            if (cell.NotApplicable)
            {
                Assert.Equal("", article.QuerySelector($"td[data-na='{cell.Id}']")!.TextContent.Trim());
                continue;
            }
            Assert.Equal(AsPrinted(template, printed, cell.Id), article.QuerySelector($"td[data-cell='{cell.Id}']")?.TextContent.Trim());
        }
        var text = Squeeze(article.TextContent);
        foreach (var paragraph in Writing(printed)) Assert.Contains(paragraph, text);
        Assert.Contains(Overview(printed), text);
        foreach (var value in printed.Metadata.Values.Where(v => !Regex.IsMatch(v, @"^\d{4}-"))) Assert.Contains(Squeeze(value), text);
        // The period as the cover prints it: "2019年1月1日至2019年12月31日".
        string Day(string field) => DateOnly.ParseExact(printed.Metadata[field], "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
        Assert.Contains($"{Day("periodStart")}至{Day("periodEnd")}", text);
    }

    /// <summary>The PDF as text: each row's printed values side by side on one line, in column order, the rows in
    /// the order the fixture prints them (pdftotext -layout); every paragraph in reading order (-raw).</summary>
    private static async Task AssertPdfAsync(HttpClient client, string permalink, ReportTemplate template, PrintedReport2019 printed)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fixture-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, await client.GetByteArrayAsync(permalink + ".pdf"));
        try
        {
            var lines = (await ExternalTool.RunAsync("pdftotext", "-layout", path, "-")).Split('\n').Select(l => Regex.Split(l.Trim(), @"\s+")).ToList();
            var at = 0;
            foreach (var table in template.Sections.Where(s => s.Kind == SectionKind.Tables).SelectMany(s => s.Tables))
            foreach (var row in table.LeafRows)
            {
                var expected = table.Cells.Where(c => c.RowId == row.Id && !c.NotApplicable).Select(c => AsPrinted(template, printed, c.Id)).ToList();
                var found = lines.FindIndex(at, tokens => Enumerable.Range(0, Math.Max(0, tokens.Length - expected.Count + 1))
                    .Any(start => tokens.Skip(start).Take(expected.Count).SequenceEqual(expected)));
                Assert.True(found >= 0, $"PDF: {table.Id}.{row.Id} “{string.Join(" ", expected)}” not found after line {at}");
                at = found + 1;
            }
            // A paragraph may run across a page break: the running footer (agency, year, version, 第 N 页 共 M 页)
            // comes between its halves in the text, so it is left out.
            var raw = Squeeze(string.Join("\n", (await ExternalTool.RunAsync("pdftotext", "-raw", path, "-")).Split('\n')
                .Where(l => !Regex.IsMatch(l, @"第\s*\d+\s*页\s*共\s*\d+\s*页|年度\s*·"))));
            foreach (var paragraph in Writing(printed)) Assert.Contains(paragraph, raw);
            Assert.Contains(Overview(printed), raw);
            Assert.Contains(Squeeze(printed.Metadata["title"]), raw);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task AssertJsonAsync(HttpClient client, string permalink, ReportTemplate template, PrintedReport2019 printed)
    {
        var json = JsonNode.Parse(await client.GetStringAsync(permalink + ".json"))!.AsObject();
        Assert.Equal("2019", json["template"]!.GetValue<string>());
        var cells = json["cells"]!.AsObject();
        foreach (var cell in template.Cells.Where(c => c.SectionId is "s2" or "s3" or "s4"))
        {
            if (cell.NotApplicable) { Assert.False(cells.ContainsKey(cell.Id), cell.Id); continue; }
            var value = decimal.Parse(printed.Cells[cell.Id], CultureInfo.InvariantCulture);
            // Money in the JSON is always in 万元, with the unit the agency printed in cellUnits (21174299 元 → 2117.4299).
            if (printed.Units.TryGetValue(cell.Id, out var unit))
            {
                for (var i = 0; i < cell.Kind.FindUnit(unit)!.Shift; i++) value /= 10;
                Assert.Equal(unit, json["cellUnits"]![cell.Id]!.GetValue<string>());
            }
            Assert.True(cells[cell.Id]?.GetValue<decimal>() == value, $"JSON {cell.Id}: {cells[cell.Id]?.ToJsonString()}, expected {value}");
        }
        Assert.Equal(printed.Units.Count, json["cellUnits"]!.AsObject().Count);
        // The texts exactly as typed, and the outline of 一 with the agency's headings (none for the opening and
        // for the recommended parts it did not use).
        var texts = json["texts"]!.AsObject().ToDictionary(t => t.Key, t => t.Value!.GetValue<string>());
        var recommended = template.Sections.Single(s => s.Id == "s1").Parts;
        var expected = new Dictionary<string, string> { ["s1.opening"] = printed.Opening, ["s5.text"] = printed.Problems, ["s6.text"] = printed.Other };
        for (var i = 0; i < printed.Parts.Count; i++) expected[recommended[i].Id] = printed.Parts[i].Text;
        Assert.Equal(expected.OrderBy(t => t.Key, StringComparer.Ordinal), texts.OrderBy(t => t.Key, StringComparer.Ordinal));
        var headings = json["parts"]!.AsArray().Where(p => p!["section"]!.GetValue<string>() == "s1").Select(p => p!["heading"]?.GetValue<string>()).ToList();
        Assert.Equal([null, .. printed.Parts.Select(p => p.Heading), .. Enumerable.Repeat<string?>(null, recommended.Count - printed.Parts.Count)], headings);
        foreach (var (field, value) in printed.Metadata) Assert.Equal(value, json["metadata"]![field]!.GetValue<string>());
    }

    private static async Task AssertCsvAsync(HttpClient client, string permalink, ReportTemplate template, PrintedReport2019 printed)
    {
        var csv = Encoding.UTF8.GetString(await client.GetByteArrayAsync(permalink + ".csv")).Split("\r\n");
        foreach (var cell in template.Cells.Where(c => c.SectionId is "s2" or "s3" or "s4"))
        {
            var rows = csv.Where(l => l.Contains($",{cell.Id},", StringComparison.Ordinal)).ToList();
            if (cell.NotApplicable) { Assert.Empty(rows); continue; }
            var unit = printed.Units.TryGetValue(cell.Id, out var code) ? cell.Kind.FindUnit(code)!.Label : cell.Kind.Unit;
            var row = Assert.Single(rows);
            Assert.True(row.EndsWith($",{printed.Cells[cell.Id]},{unit}", StringComparison.Ordinal), $"CSV {cell.Id}: {row}");
        }
    }
}
