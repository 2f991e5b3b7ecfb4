using System.Diagnostics;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>The PDF: every label, every row's values in order (pdftotext -layout), CJK fonts embedded,
/// 第 N 页 共 M 页; and publication refused, with nothing half-done, when rendering fails.</summary>
[Collection("Browser")]
public sealed class PdfTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Every_row_shows_its_distinct_values_in_order_and_every_label_is_there()
    {
        var template = app.Templates.Get("2021")!;
        // Every cell a distinct value (1000 + its position), so a value found on a line identifies its cell.
        var values = template.Cells.Select((c, i) => (c.Id, Value: 1000m + i)).ToDictionary(x => x.Id, x => x.Value);
        var texts = template.NarrativeParts.Keys.ToDictionary(id => id, id => $"段落{id}。");
        var document = new ReportDocument(template, "获嘉县测试局", "11410724MB0000010X", 2024,
            new ReportMetadata("获嘉县测试局2024年政府信息公开工作年度报告", "获嘉县测试局", null, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), null, null),
            values, texts, 3, new DateTimeOffset(2025, 1, 20, 2, 0, 0, TimeSpan.Zero), null);
        var renderer = app.Factory.Services.GetRequiredService<PdfRenderer>();
        var started = Stopwatch.StartNew();
        var pdf = await renderer.RenderAsync(document, CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), $"gir-pdf-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var text = await ExternalTool.RunAsync("pdftotext", "-layout", path, "-");
            var lines = text.Split('\n');
            foreach (var section in template.Sections.Where(s => s.Kind == SectionKind.Tables))
            foreach (var table in section.Tables)
            foreach (var row in table.LeafRows)
            {
                var expected = table.Cells.Where(c => c.RowId == row.Id).Select(c => CellValue(values[c.Id])).ToList();
                var line = lines.FirstOrDefault(l => l.Contains(expected[0], StringComparison.Ordinal));
                Assert.True(line is not null, $"{table.Id}.{row.Id}: {expected[0]} not found");
                var positions = expected.Select(v => line!.IndexOf(v, StringComparison.Ordinal)).ToList();
                Assert.True(positions.All(p => p >= 0), $"{table.Id}.{row.Id}: not all values on one line: {line}");
                Assert.Equal(positions.Order(), positions); // in column order
            }
            // Labels in reading order (-raw): a wrapped header cell would be interleaved with its neighbours in -layout.
            var raw = await ExternalTool.RunAsync("pdftotext", "-raw", path, "-");
            var flat = string.Concat(raw.Where(ch => !char.IsWhiteSpace(ch)));
            foreach (var label in Labels(template)) Assert.Contains(string.Concat(label.Where(ch => !char.IsWhiteSpace(ch))), flat);
            Assert.Contains("第1页共", flat);
            Assert.Contains("第3版", flat);

            // Every font is embedded and maps to Unicode. (Chromium embeds the CFF-based Noto CJK faces as
            // Type 3 glyph programs; the text stays extractable, as the checks above show.)
            var fonts = (await ExternalTool.RunAsync("pdffonts", path)).Split('\n').Skip(2).Where(l => l.Trim().Length > 0).ToList();
            Assert.NotEmpty(fonts);
            Assert.All(fonts, l => Assert.Matches(@"\s(yes)\s+(yes|no)\s+yes\s", l));

            // Pages as PNG, to look at.
            await ExternalTool.RunAsync("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", path, TestBrowser.ScreenshotPath("pdf-page")[..^4]);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.True(started.Elapsed < TimeSpan.FromMinutes(1)); // sanity, not a performance target (see bench/)
    }

    [Theory]
    [InlineData("2021")]
    [InlineData("2019")]
    public async Task No_page_ends_with_a_heading_or_a_table_title_whatever_the_length_of_the_text_above_it(string format)
    {
        var template = app.Templates.Get(format)!;
        var headings = template.Sections.Select(s => s.Heading)
            .Concat(template.Sections.SelectMany(s => s.Parts).Select(p => p.Heading).OfType<string>())
            .Concat(template.Sections.SelectMany(s => s.Tables).Select(t => t.Title).OfType<string>())
            .Select(Squeeze).ToHashSet(StringComparer.Ordinal);
        var values = template.Cells.Where(c => !c.NotApplicable).ToDictionary(c => c.Id, _ => 1m);
        var renderer = app.Factory.Services.GetRequiredService<PdfRenderer>();
        var orphans = new List<string>();
        // The opening grows a line at a time, so each heading and table title below it meets the foot of a page.
        for (var lines = 0; lines < 40; lines += 4)
        {
            var texts = template.NarrativeParts.Keys.ToDictionary(id => id, id => $"段落{id}。");
            texts["s1.opening"] = string.Join("\n", Enumerable.Range(1, lines).Select(i => $"第{i}段：本机关坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开。"));
            var document = new ReportDocument(template, "获嘉县测试局", "11410724MB0000010X", 2024,
                new ReportMetadata("获嘉县测试局2024年政府信息公开工作年度报告", "获嘉县测试局", null, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), null, null),
                values, texts, 1, new DateTimeOffset(2025, 1, 20, 2, 0, 0, TimeSpan.Zero), null);
            var path = Path.Combine(Path.GetTempPath(), $"gir-pdf-{Guid.NewGuid():N}.pdf");
            await File.WriteAllBytesAsync(path, await renderer.RenderAsync(document, CancellationToken.None));
            try
            {
                var pages = (await ExternalTool.RunAsync("pdftotext", "-layout", path, "-")).Split('\f').Where(p => p.Trim().Length > 0).ToList();
                foreach (var (page, number) in pages.Select((p, i) => (p, i + 1)).SkipLast(1))
                {
                    // The last line above the footer (第 N 页 共 M 页).
                    var last = page.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(l, @"第\s*\d+\s*页\s*共\s*\d+\s*页")).Last();
                    if (headings.Contains(Squeeze(last))) orphans.Add($"{lines} lines of opening: page {number} ends with “{last}”");
                }
            }
            finally
            {
                File.Delete(path);
            }
        }
        Assert.True(orphans.Count == 0, string.Join("\n", orphans));
    }

    private static string Squeeze(string text) => string.Concat(text.Where(ch => !char.IsWhiteSpace(ch)));

    private static string CellValue(decimal v) => Domain.Values.CellValueParser.FormatValue(v);

    private static IEnumerable<string> Labels(ReportTemplate template)
    {
        IEnumerable<HeaderNode> Flatten(IEnumerable<HeaderNode> nodes) => nodes.SelectMany(n => Flatten(n.Children).Prepend(n));
        foreach (var section in template.Sections)
        {
            yield return section.Heading;
            foreach (var part in section.Parts.Where(p => p.Heading is not null)) yield return part.Heading!;
            foreach (var table in section.Tables)
            {
                if (table.Title is not null) yield return table.Title;
                if (table.Note is not null) yield return table.Note;
                foreach (var node in Flatten(table.Columns)) yield return node.Label;
                if (table.RowLabels) foreach (var node in Flatten(table.Rows)) yield return node.Label;
            }
        }
    }

    /// <summary>Issue 13: the first publication after a start does not wait for Chromium and its fonts.</summary>
    [Fact]
    public async Task After_start_the_renderer_readies_a_page_by_itself_and_the_first_pdf_uses_it()
    {
        await using var warmed = new AppFactory(app.ConnectionString) { PdfWarmUpAtStart = true };
        warmed.CreateClient(); // starts the app
        var renderer = warmed.Services.GetRequiredService<PdfRenderer>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!renderer.Warm && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(100);
        Assert.True(renderer.Warm, "no page was readied within a minute of the start");
        Assert.True(waited.Elapsed >= PdfWarmUp.Delay - TimeSpan.FromMilliseconds(200), "the warm-up must not compete with the start itself");

        var template = app.Templates.Get("2021")!;
        var document = new ReportDocument(template, "获嘉县测试局", "11410724MB0000010X", 2024,
            new ReportMetadata("获嘉县测试局2024年政府信息公开工作年度报告", "获嘉县测试局", null, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), null, null),
            template.Cells.Where(c => !c.Computed).ToDictionary(c => c.Id, _ => 1m), new Dictionary<string, string>(), 1, DateTimeOffset.UtcNow, null);
        var pdf = await renderer.RenderAsync(document, CancellationToken.None);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        Assert.True(renderer.Warm, "the readied page goes back to wait for the next document");

        // Off (as the other test apps run): nothing is started until a document is printed.
        await using var cold = new AppFactory(app.ConnectionString);
        cold.CreateClient();
        await Task.Delay(PdfWarmUp.Delay + TimeSpan.FromSeconds(2));
        Assert.False(cold.Services.GetRequiredService<PdfRenderer>().Warm);
    }

    [Fact]
    public async Task A_warm_up_that_cannot_start_chromium_leaves_the_app_serving()
    {
        await using var broken = new AppFactory(app.ConnectionString) { ChromiumPath = "/nonexistent/chromium", PdfWarmUpAtStart = true };
        var client = broken.CreateClient();
        await Task.Delay(PdfWarmUp.Delay + TimeSpan.FromSeconds(1));
        Assert.Equal(200, (int)(await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(200, (int)(await client.GetAsync("/")).StatusCode);
        Assert.False(broken.Services.GetRequiredService<PdfRenderer>().Warm);
    }

    [Fact]
    public async Task Publication_is_refused_and_nothing_changes_when_the_pdf_cannot_be_rendered()
    {
        await using var broken = new AppFactory(app.ConnectionString) { ChromiumPath = "/nonexistent/chromium" };
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        await using (var db = app.Db())
        {
            var report = await db.Reports.Include(r => r.Cells).Include(r => r.Texts).Include(r => r.Explanations).SingleAsync(r => r.Id == id);
            var clerk = await db.Users.Where(u => u.UserName == "edu").Select(u => u.Id).SingleAsync();
            var reviewer = await db.Users.Where(u => u.UserName == "reviewer").Select(u => u.Id).SingleAsync();
            report.Submit(clerk, DateTimeOffset.UtcNow);
            report.Approve(reviewer, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        var client = broken.CreateClient(new() { AllowAutoRedirect = false });
        var login = await FormPage.GetAsync(client, "/account/login");
        await login.PostAsync(client, "/account/login", new Dictionary<string, string> { ["Input.UserName"] = "reviewer", ["Input.Password"] = AppFixture.PasswordOf("reviewer") });
        var review = await FormPage.GetAsync(client, $"/review/{id}");
        var result = await review.PostAsync(client, $"/review/{id}", new Dictionary<string, string> { ["Confirmed"] = "true" }, "form[action*='handler=Publish']", "Publish");
        Assert.Contains("PDF生成失败，报告未发布", result.Text);
        await using var check = app.Db();
        var after = await check.Reports.SingleAsync(r => r.Id == id);
        Assert.Equal(ReportStatus.Approved, after.Status);
        Assert.Equal(0, after.PublishedVersions);
        Assert.False(await check.Snapshots.AnyAsync(s => s.ReportId == id && s.Kind == SnapshotKind.Publication));
    }

    [Fact]
    public async Task A_draft_can_be_previewed_as_html_and_pdf_by_its_readers_only()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        var clerk = await app.ClientAsync("edu");
        var html = await FormPage.GetAsync(clerk, $"/entry/{id}/preview");
        Assert.Contains("预览（未发布）", html.Document.QuerySelector(".report-meta")!.TextContent);
        Assert.Equal("8", html.Document.QuerySelector("td[data-cell='apps.r7.tot']")!.TextContent);
        var pdf = await clerk.GetAsync($"/entry/{id}/preview?format=pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await (await app.ClientAsync("town")).GetAsync($"/entry/{id}/preview?format=pdf")).StatusCode);
    }
}
