using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Tests.Support;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>The statutory document as Word: each published version of the demo history (2016 pre-2019 free form,
/// 2019 and 2020 in the 2019 format, 2024 in the 2021 format and corrected) and a draft preview, opened with
/// DocumentFormat.OpenXml and compared with the HTML page cell by cell: every label, every value as printed, the
/// merged headers as gridSpan/vMerge.</summary>
[Collection("Browser")]
public sealed class DocxTests(PublishedAppFixture app) : IClassFixture<PublishedAppFixture>
{
    private static readonly string Government = UnifiedSocialCreditCode.Complete("11410724MB0000010");
    private const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    [Theory]
    [InlineData(2016, "pre2019")]
    [InlineData(2019, "2019")]
    [InlineData(2020, "2019")]
    [InlineData(2024, "2021")]
    public async Task The_public_docx_carries_every_label_and_every_value_in_the_same_merged_cells_as_the_page(int year, string templateCode)
    {
        var client = app.Factory.CreateClient();
        var page = await FormPage.GetAsync(client, $"/reports/{Government}/{year}");
        var link = page.Document.QuerySelectorAll(".downloads a").Single(a => a.TextContent == "Word 文档");
        Assert.Equal($"/reports/{Government}/{year}.docx", link.GetAttribute("href"));

        var response = await client.GetAsync($"/reports/{Government}/{year}.docx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DocxType, response.Content.Headers.ContentType!.MediaType);
        var json = JsonNode.Parse(await client.GetStringAsync($"/reports/{Government}/{year}.json"))!;
        var version = json["version"]!.GetValue<int>();
        Assert.Equal($"{Government}-{year}-v{version}.docx", response.Content.Headers.ContentDisposition!.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        await File.WriteAllBytesAsync(Path.ChangeExtension(TestBrowser.ScreenshotPath($"docx-{year}"), ".docx"), bytes); // to look at
        using var docx = Open(bytes);
        AssertValid(docx);
        var body = docx.MainDocumentPart!.Document.Body!;
        var paragraphs = body.Elements<Paragraph>().Select(TextOf).ToList();

        // Title, cover lines and version line exactly as the page's cover.
        Assert.Equal(page.Document.QuerySelector("h1")!.TextContent.Trim(), paragraphs[0]);
        var cover = page.Document.QuerySelectorAll(".report-meta > div")
            .Select(d => d.QuerySelector("dt")!.TextContent.Trim() + "\t" + d.QuerySelector("dd")!.TextContent.Trim()).ToList();
        Assert.Equal(cover, paragraphs.Skip(1).Take(cover.Count));
        Assert.Contains(paragraphs, p => p.StartsWith($"版本\t第{version}版，", StringComparison.Ordinal));

        // Every heading and paragraph of the page's document, in order (h2, h3, p): sections, the agency's own
        // headings and its text, the tables' unit notes.
        var article = page.Document.QuerySelector("article.report-document")!;
        var pageTexts = article.QuerySelectorAll("section h2, section h3, section p").Select(e => e.TextContent.Trim()).ToList();
        Assert.NotEmpty(pageTexts);
        Assert.Equal(pageTexts, paragraphs.Skip(1 + cover.Count).Where(p => p.Length > 0));

        // Every template label of every printed section, typed by the template, not read back from the renderer.
        var template = app.Templates.Get(templateCode)!;
        var allText = string.Join("\n", body.Descendants<Paragraph>().Select(TextOf));
        foreach (var label in Labels(template, printed: id => article.QuerySelector($"section#{id}") is not null))
            Assert.Contains(label, allText);

        // Every table of the page, row by row and cell by cell.
        var (values, merged) = AssertSameTables(article, body);
        Assert.True(values > 0);
        if (templateCode != "pre2019") Assert.True(merged > 0); // 表三 and 表四 have merged headers
    }

    [Fact]
    public async Task The_docx_is_valid_a4_with_east_asian_fonts_declared_and_a_paged_footer()
    {
        var bytes = await app.Factory.CreateClient().GetByteArrayAsync($"/reports/{Government}/2024.docx");
        using var docx = Open(bytes);
        AssertValid(docx);

        var section = docx.MainDocumentPart!.Document.Body!.GetFirstChild<SectionProperties>()!;
        var size = section.GetFirstChild<PageSize>()!;
        Assert.Equal((11906u, 16838u), (size.Width!.Value, size.Height!.Value)); // A4 portrait in twips
        var margins = section.GetFirstChild<PageMargin>()!;
        var textWidth = 11906 - (int)margins.Left!.Value - (int)margins.Right!.Value;
        foreach (var table in docx.MainDocumentPart.Document.Body!.Elements<Table>())
        {
            var grid = table.GetFirstChild<TableGrid>()!.Elements<GridColumn>().Sum(c => int.Parse(c.Width!.Value!, CultureInfo.InvariantCulture));
            Assert.InRange(grid, textWidth * 95 / 100, textWidth); // every table fits the page's text width
        }
        var defaults = docx.MainDocumentPart.StyleDefinitionsPart!.Styles!.DocDefaults!.RunPropertiesDefault!.RunPropertiesBaseStyle!;
        Assert.Equal("宋体", defaults.RunFonts!.EastAsia!.Value);
        Assert.Equal("zh-CN", defaults.Languages!.EastAsia!.Value);
        var fonts = docx.MainDocumentPart.FontTablePart!.Fonts!.Elements<Font>().ToDictionary(f => f.Name!.Value!, f => f.AltName?.Val?.Value);
        Assert.Equal("SimSun", fonts["宋体"]);
        Assert.Equal("SimHei", fonts["黑体"]);

        var footer = docx.MainDocumentPart.FooterParts.Single().Footer!;
        Assert.StartsWith("获嘉县人民政府 2024年度 · 第2版", footer.InnerText);
        Assert.Equal([" PAGE ", " NUMPAGES "], footer.Descendants<SimpleField>().Select(f => f.Instruction!.Value!));
    }

    [Fact]
    public async Task A_2019_format_docx_prints_negative_changes_and_the_purchase_amount_in_the_unit_the_agency_chose()
    {
        var client = app.Factory.CreateClient();
        foreach (var year in new[] { 2019, 2020 })
        {
            var json = JsonNode.Parse(await client.GetStringAsync($"/reports/{Government}/{year}.json"))!;
            using var docx = Open(await client.GetByteArrayAsync($"/reports/{Government}/{year}.docx"));
            var cells = docx.MainDocumentPart!.Document.Body!.Descendants<TableCell>().Select(TextOf).ToList();
            var negatives = json["cells"]!.AsObject().Where(c => c.Value!.GetValue<decimal>() < 0).ToList();
            if (year == 2019) Assert.NotEmpty(negatives); // the demo's 2019 has falling 本年增/减
            foreach (var (id, value) in negatives)
                Assert.Contains(value!.GetValue<decimal>().ToString("0.##########", CultureInfo.InvariantCulture), cells);
            if (json["cellUnits"]?["a20_9.procurement.amount"]?.GetValue<string>() == "yuan")
            {
                var wanyuan = json["cells"]!["a20_9.procurement.amount"]!.GetValue<decimal>();
                Assert.Contains((wanyuan * 10000).ToString("0.##########", CultureInfo.InvariantCulture) + "元", cells);
                Assert.Equal(2020, year); // the demo prints 元 in 2020
            }
            else Assert.Equal(2019, year);
        }
    }

    [Fact]
    public async Task Each_version_of_a_corrected_report_has_its_own_docx()
    {
        var client = app.Factory.CreateClient();
        var v1Page = await FormPage.GetAsync(client, $"/reports/{Government}/2024/v1");
        Assert.Equal($"/reports/{Government}/2024/v1.docx", v1Page.Document.QuerySelectorAll(".downloads a").Single(a => a.TextContent == "Word 文档").GetAttribute("href"));
        var v1Response = await client.GetAsync($"/reports/{Government}/2024/v1.docx");
        Assert.Equal($"{Government}-2024-v1.docx", v1Response.Content.Headers.ContentDisposition!.FileNameStar);
        var (v1, v2, latest) = (Texts(await v1Response.Content.ReadAsByteArrayAsync()),
            Texts(await client.GetByteArrayAsync($"/reports/{Government}/2024/v2.docx")),
            Texts(await client.GetByteArrayAsync($"/reports/{Government}/2024.docx")));
        Assert.Equal(v2, latest);
        Assert.NotEqual(v1, v2);
        Assert.Contains(v1, p => p.StartsWith("版本\t第1版，", StringComparison.Ordinal));
        Assert.DoesNotContain(v1, p => p.StartsWith("更正说明", StringComparison.Ordinal));
        Assert.Contains(v2, p => p.StartsWith("版本\t第2版，", StringComparison.Ordinal));
        Assert.Contains(v2, p => p.StartsWith("更正说明\t更正第二十条第（一）项行政规范性文件现行有效件数", StringComparison.Ordinal));

        // The corrected figure: v2's 现行有效件数 is v1's + 2, in each version's own document.
        static int InForce(byte[] bytes)
        {
            using var docx = Open(bytes);
            var row = docx.MainDocumentPart!.Document.Body!.Descendants<TableRow>().Single(r => TextOf(r.Elements<TableCell>().First()) == "行政规范性文件");
            return int.Parse(TextOf(row.Elements<TableCell>().Last()), CultureInfo.InvariantCulture);
        }
        Assert.Equal(InForce(await client.GetByteArrayAsync($"/reports/{Government}/2024/v1.docx")) + 2,
            InForce(await client.GetByteArrayAsync($"/reports/{Government}/2024/v2.docx")));
    }

    [Fact]
    public async Task The_draft_preview_docx_is_for_the_reports_readers_only()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        var preview = await FormPage.GetAsync(await app.ClientAsync("edu"), $"/entry/{id}/preview");
        Assert.Equal($"/entry/{id}/preview?format=docx", preview.Document.QuerySelectorAll(".notice a").Single(a => a.TextContent == "Word 文档").GetAttribute("href"));

        var response = await (await app.ClientAsync("edu")).GetAsync($"/entry/{id}/preview?format=docx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DocxType, response.Content.Headers.ContentType!.MediaType);
        using (var docx = Open(await response.Content.ReadAsByteArrayAsync()))
        {
            AssertValid(docx);
            var body = docx.MainDocumentPart!.Document.Body!;
            Assert.Contains("版本\t预览（未发布）", body.Elements<Paragraph>().Select(TextOf));
            // Fixture 002's figures, cell by cell as the HTML preview prints them (表三's 总计 is 8).
            Assert.Equal("8", preview.Document.QuerySelector("td[data-cell='apps.r7.tot']")!.TextContent);
            var (values, merged) = AssertSameTables(preview.Document.QuerySelector("article.report-document")!, body);
            Assert.True(values > 0 && merged > 0);
        }

        var anonymous = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var refused = await anonymous.GetAsync($"/entry/{id}/preview?format=docx");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/login", refused.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync("town")).GetAsync($"/entry/{id}/preview?format=docx")).StatusCode);
    }

    [Fact]
    public async Task Unknown_reports_and_versions_have_no_docx()
    {
        var client = app.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/reports/{Government}/2031.docx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/reports/{Government}/2024/v9.docx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/reports/{UnifiedSocialCreditCode.Complete("11410724MB0009999")}/2024.docx")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/reports/{Government}/2024/v1.docx")).StatusCode);
    }

    /// <summary>Every table of the page's document against the Word tables, in order, row by row and cell by cell:
    /// the same text, the same column span, each rowspan a vMerge restart with exactly rowspan − 1 continuation cells
    /// below it, a grid table's header rows repeated (tblHeader). Returns the value cells compared and the merged
    /// (rowspan) cells found.</summary>
    private static (int Values, int Merged) AssertSameTables(AngleSharp.Dom.IElement article, Body body)
    {
        var htmlTables = article.QuerySelectorAll("table.statutory-print").Cast<IHtmlTableElement>().ToList();
        var wordTables = body.Elements<Table>().ToList();
        Assert.Equal(htmlTables.Count, wordTables.Count);
        Assert.NotEmpty(wordTables);
        var (values, restarts) = (0, 0);
        for (var t = 0; t < htmlTables.Count; t++)
        {
            var html = htmlTables[t].Rows.ToList();
            var word = wordTables[t].Elements<TableRow>().ToList();
            Assert.Equal(html.Count, word.Count);
            var widths = word.Select(r => r.Elements<TableCell>().Sum(Span)).Distinct().ToList();
            Assert.Single(widths); // every row covers the whole grid
            Assert.Equal(widths[0], wordTables[t].GetFirstChild<TableGrid>()!.Elements<GridColumn>().Count());
            var continues = 0;
            for (var r = 0; r < html.Count; r++)
            {
                var started = word[r].Elements<TableCell>().Where(c => Merge(c) != MergedCellValues.Continue).ToList();
                continues += word[r].Elements<TableCell>().Count(c => Merge(c) == MergedCellValues.Continue);
                var htmlCells = html[r].Cells.ToList();
                Assert.True(started.Count >= htmlCells.Count, $"table {t} row {r}: {started.Count} cells for {htmlCells.Count}");
                for (var c = 0; c < htmlCells.Count; c++)
                {
                    var where = $"table {t} row {r} cell {c}";
                    Assert.True(htmlCells[c].TextContent.Trim() == TextOf(started[c]), $"{where}: '{TextOf(started[c])}' for '{htmlCells[c].TextContent.Trim()}'");
                    Assert.True(htmlCells[c].ColumnSpan == Span(started[c]), $"{where}: gridSpan {Span(started[c])} for colspan {htmlCells[c].ColumnSpan}");
                    Assert.True((htmlCells[c].RowSpan > 1) == (Merge(started[c]) == MergedCellValues.Restart), $"{where}: rowspan {htmlCells[c].RowSpan}");
                    if (htmlCells[c].RowSpan > 1) { restarts++; continues -= htmlCells[c].RowSpan - 1; }
                    if (htmlCells[c].HasAttribute("data-cell")) values++;
                }
                // A block narrower than the shared grid ends in one blank filler cell, nothing else.
                Assert.All(started.Skip(htmlCells.Count), extra => Assert.Equal("", TextOf(extra)));
            }
            Assert.Equal(0, continues);
            // A grid table's header rows repeat on every page; a block's belong to the block.
            Assert.Equal(htmlTables[t].Head?.Rows.Length ?? 0, word.Count(w => w.TableRowProperties?.GetFirstChild<TableHeader>() is not null));
        }
        Assert.Equal(article.QuerySelectorAll("td[data-cell]").Length, values);
        return (values, restarts);
    }

    /// <summary>The package conforms to the Office 2019 schema (element order, attributes), as Word expects.</summary>
    private static void AssertValid(WordprocessingDocument docx)
    {
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(docx).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static WordprocessingDocument Open(byte[] bytes) => WordprocessingDocument.Open(new MemoryStream(bytes), false);

    private static List<string> Texts(byte[] bytes)
    {
        using var docx = Open(bytes);
        return docx.MainDocumentPart!.Document.Body!.Descendants<Paragraph>().Select(TextOf).ToList();
    }

    /// <summary>The text Word shows: the runs' text, a tab as "\t".</summary>
    private static string TextOf(OpenXmlElement element) =>
        string.Concat(element.Descendants().Select(e => e switch { Text t => t.Text, TabChar => "\t", _ => "" })).Trim();

    private static int Span(TableCell cell) => cell.TableCellProperties?.GridSpan?.Val?.Value ?? 1;

    private static MergedCellValues? Merge(TableCell cell) =>
        cell.TableCellProperties?.VerticalMerge is { } merge ? merge.Val?.Value ?? MergedCellValues.Continue : null;

    /// <summary>Every label the template prints for the sections the page shows: headings (when printed), table
    /// titles and notes, column and row labels.</summary>
    private static IEnumerable<string> Labels(ReportTemplate template, Func<string, bool> printed)
    {
        IEnumerable<HeaderNode> Flatten(IEnumerable<HeaderNode> nodes) => nodes.SelectMany(n => Flatten(n.Children).Prepend(n));
        foreach (var section in template.Sections.Where(s => printed(s.Id)))
        {
            if (section.PrintHeading) yield return section.Heading;
            if (section.LabelHeader is not null) yield return section.LabelHeader;
            foreach (var table in section.Tables)
            {
                if (table.Title is not null) yield return table.Title;
                if (table.Note is not null && table.RowLabels) yield return table.Note;
                foreach (var node in Flatten(table.Columns)) yield return node.Label;
                if (table.RowLabels) foreach (var node in Flatten(table.Rows)) yield return node.Label;
            }
        }
    }
}
