using System.Net;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Publishing.Import;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>
/// 导入报告 end to end over HTTP on real PostgreSQL: a published report's text pasted or uploaded, the preview with every
/// cell and its source line, nothing stored before confirmation, a draft for the agency's clerk, an archive record
/// published as printed with the 原文数据勾稽不平 marker, the agency always the one chosen, the original kept.
/// </summary>
public sealed class ImportReportTests(ImportReportTests.Fixture app) : IClassFixture<ImportReportTests.Fixture>
{
    public sealed class Fixture : AppFixture;

    private static string FixtureText(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "fixtures", name));
    private const string Text002 = "002_02625ab39fea2acd.txt";
    private const string Text003 = "003_08fe1e56ee831c9d.txt";

    private async Task<int> AgencyIdAsync(string name)
    {
        await using var db = app.Db();
        return await db.Agencies.Where(a => a.Name == name).Select(a => a.Id).SingleAsync();
    }

    /// <summary>Posts the start form with pasted text; returns the response (a redirect to the preview when read).</summary>
    private static async Task<HttpResponseMessage> PasteAsync(HttpClient client, int agencyId, string destination, string text)
    {
        var start = await FormPage.GetAsync(client, "/import");
        var fields = start.Fields();
        fields["Input.AgencyId"] = agencyId.ToString();
        fields["Input.Destination"] = destination;
        fields["Input.Text"] = text;
        return await client.PostAsync("/import", new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task A_pasted_report_previews_every_cell_with_its_source_line_and_stores_nothing_but_the_original()
    {
        var client = await app.ClientAsync("edu");
        var agency = await AgencyIdAsync("获嘉县教育局");
        await using var before = app.Db();
        var reports = await before.Reports.CountAsync();

        var response = await PasteAsync(client, agency, "Draft", FixtureText(Text002));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Matches("^/import/[0-9]+$", location);
        var preview = await FormPage.GetAsync(client, location);
        Assert.Equal("2021", preview.Fields()["Input.Format"]);
        Assert.Equal("2022", preview.Fields()["Input.Year"]);
        Assert.Equal("8", preview.Fields()["Input.Cells[apps.new.np]"]);
        Assert.Equal("23", preview.Fields()["Input.Cells[a20_1.normative.in_force]"]);
        Assert.Equal("0", preview.Fields()["Input.Cells[apps.r6_3.tot]"]);
        var row = preview.Document.QuerySelector("table[data-table=apps] tr[data-row=r1] td.source-line")!;
        Assert.Contains("第", row.TextContent);
        // The numbers printed for the row are marked (here on the line after its label, as the page printed them).
        Assert.Equal(["6", "0", "0", "0", "0", "0", "6"], row.QuerySelectorAll("mark").Select(m => m.TextContent));
        Assert.Equal("获嘉县教育局", preview.Fields()["Input.Metadata.CompilingOffice"]);
        Assert.Equal("(一) 主动公开情况", preview.Fields()["Input.Parts[0].Heading"]);

        await using var db = app.Db();
        Assert.Equal(reports, await db.Reports.CountAsync());
        var id = int.Parse(location["/import/".Length..]);
        var import = await db.ReportImports.SingleAsync(i => i.Id == id);
        Assert.Equal(ImportStatus.Pending, import.Status);
        Assert.Equal(FixtureText(Text002), System.Text.Encoding.UTF8.GetString(import.Content));
        var original = await client.GetAsync($"/import/{id}/original");
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal(import.Content, await original.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Confirmed_as_a_draft_the_report_has_the_cells_texts_and_metadata_and_follows_the_workflow()
    {
        var client = await app.ClientAsync("edu");
        var agency = await AgencyIdAsync("获嘉县教育局");
        var text = FixtureText(Text002).Replace("2022", "2021", StringComparison.Ordinal);
        var preview = await FormPage.ReadAsync(await client.GetAsync((await PasteAsync(client, agency, "Draft", text)).Headers.Location));

        var done = await preview.PostAsync(client, preview.Response.RequestMessage!.RequestUri!.AbsolutePath, new Dictionary<string, string>(), handler: "Confirm");

        Assert.Matches("/entry/[0-9]+$", done.Response.RequestMessage!.RequestUri!.AbsolutePath);
        await using var db = app.Db();
        var report = await db.Reports.Include(r => r.Agency).SingleAsync(r => r.AgencyId == agency && r.Year == 2021);
        Assert.Equal(ReportStatus.Draft, report.Status);
        Assert.Equal("2021", report.TemplateCode);
        var cells = await db.ReportCells.Where(c => c.ReportId == report.Id).ToDictionaryAsync(c => c.CellId, c => c.Value);
        Assert.Equal(8, cells["apps.new.np"]);
        Assert.Equal(6, cells["a20_1.normative.issued"]);
        Assert.Equal(0, cells["apps.carry_out.tot"]);
        Assert.Equal("获嘉县教育局", report.Metadata.CompilingOffice);
        var texts = await db.ReportTexts.Where(t => t.ReportId == report.Id).ToDictionaryAsync(t => t.PartId, t => t.Text);
        Assert.StartsWith("2021年度信息公开申请未向申请人收取任何费用", texts["s6.text"]);
        Assert.Equal(ImportStatus.Confirmed, (await db.ReportImports.SingleAsync(i => i.ReportId == report.Id)).Status);
    }

    [Fact]
    public async Task An_archive_record_keeps_an_unbalanced_report_as_printed_and_publishes_it_with_the_marker()
    {
        var client = await app.ClientAsync("reviewer");
        var agency = await AgencyIdAsync("获嘉县教育局");
        // Fixture 003 with its 总计 row printed as 9 for 8 applications: the identity fails as published.
        var text = FixtureText(Text003).Replace("(七) 总计\t8\t0\t0\t0\t0\t0\t8", "(七) 总计\t9\t0\t0\t0\t0\t0\t9", StringComparison.Ordinal);
        Assert.NotEqual(FixtureText(Text003), text);
        var preview = await FormPage.ReadAsync(await client.GetAsync((await PasteAsync(client, agency, "Archive", text)).Headers.Location));
        Assert.Contains(preview.Document.QuerySelectorAll(".import-findings li.error"), li => li.GetAttribute("data-rule") == "A1");
        var url = preview.Response.RequestMessage!.RequestUri!.AbsolutePath;

        var refused = await preview.PostAsync(client, url, new Dictionary<string, string> { ["Input.PublishedOn"] = "2020-12-01" }, handler: "Confirm");
        const string early = "2020年度报告的统计期到2020年12月31日结束，发布日期不能早于统计期结束（当前为2020年12月1日）";
        Assert.Contains(early, refused.Document.GetElementById("published-on-error")!.TextContent);
        Assert.Contains(early, refused.Document.GetElementById("confirm-problems")!.TextContent);
        var done = await refused.PostAsync(client, url, new Dictionary<string, string>
        {
            ["Input.PublishedOn"] = "2021-01-28", ["Input.SourceUrl"] = "http://www.jiangle.gov.cn/zwgk/2021/report.htm",
        }, handler: "Confirm");

        var code = await CodeAsync(agency);
        Assert.True($"/reports/{code}/2020" == done.Response.RequestMessage!.RequestUri!.AbsolutePath,
            string.Join(" | ", done.Document.QuerySelectorAll(".field-error, #confirm-problems").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0)));
        var page = await FormPage.GetAsync(app.Factory.CreateClient(), $"/reports/{code}/2020");
        var notice = page.Document.QuerySelector(".archive-notice")!.TextContent;
        Assert.Contains("本报告于2021年1月28日在别处发布，按原文数字收录，未作更正", notice);
        Assert.Contains("原文数据勾稽不平", notice);
        Assert.Contains("A1", notice);
        Assert.Contains("http://www.jiangle.gov.cn/zwgk/2021/report.htm", notice);
        // The Word document says the same.
        var docx = await (await app.Factory.CreateClient().GetAsync($"/reports/{code}/2020.docx")).Content.ReadAsByteArrayAsync();
        using (var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(docx), false))
        {
            var words = word.MainDocumentPart!.Document.Body!.InnerText;
            Assert.Contains("本报告于2021年1月28日在别处发布，按原文数字收录，未作更正", words);
            Assert.Contains("原文数据勾稽不平", words);
        }
        await using var db = app.Db();
        var snapshot = await db.Snapshots.Include(s => s.Cells).Include(s => s.Pdf).SingleAsync(s => s.ReportId == db.Reports.Single(r => r.AgencyId == agency && r.Year == 2020).Id);
        Assert.True(snapshot.IsArchive);
        Assert.Equal(9, snapshot.Cells.Single(c => c.CellId == "apps.r7.np").Value);
        Assert.Equal(new DateOnly(2021, 1, 28), snapshot.ArchivePublishedOn);
        Assert.NotNull(snapshot.Pdf);
    }

    [Fact]
    public async Task A_hijacked_page_never_gives_its_spam_as_the_agency_or_the_title()
    {
        var client = await app.ClientAsync("reviewer");
        var agency = await AgencyIdAsync("获嘉县太山镇人民政府");
        var text = FixtureText(Text002).Replace("获嘉县人民政府办公室2022年政府信息公开工作年度报告", "澳门威尼斯人娱乐城2019年政府信息公开工作年度报告", StringComparison.Ordinal)
            .Replace("2022", "2019", StringComparison.Ordinal);
        var preview = await FormPage.ReadAsync(await client.GetAsync((await PasteAsync(client, agency, "Archive", text)).Headers.Location));

        Assert.Contains("可能是被篡改的网页", preview.Text);
        Assert.Equal("获嘉县太山镇人民政府2019年政府信息公开工作年度报告", preview.Fields()["Input.Metadata.Title"]);
        Assert.Equal("获嘉县太山镇人民政府", preview.Fields()["Input.Metadata.CompilingOffice"]);
        Assert.Contains("导入预览：获嘉县太山镇人民政府", preview.Document.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task A_clerk_cannot_make_an_archive_record_and_bad_input_is_answered_at_its_field_with_nothing_stored()
    {
        var client = await app.ClientAsync("edu");
        var agency = await AgencyIdAsync("获嘉县教育局");
        await using var before = app.Db();
        var imports = await before.ReportImports.CountAsync();

        var archive = await FormPage.ReadAsync(await PasteAsync(client, agency, "Archive", FixtureText(Text002)));
        Assert.Contains("请选择您审核范围内的机关", archive.Document.GetElementById("agency-error")!.TextContent);
        Assert.Contains("获嘉县人民政府办公室2022年政府信息公开工作年度报告", archive.Document.GetElementById("text")!.TextContent);

        var empty = await FormPage.ReadAsync(await PasteAsync(client, agency, "Draft", "  "));
        Assert.Equal("请选择文件或粘贴报告的文字", empty.Document.GetElementById("upload-error")!.TextContent.Trim());

        var notReport = await FormPage.ReadAsync(await PasteAsync(client, agency, "Draft", "会议纪要\n今天开会讨论了三件事。"));
        Assert.StartsWith("没有找到报告的章节标题", notReport.Document.GetElementById("read-error")!.TextContent.Replace("无法读取，未保存任何内容", "").Trim());

        var start = await FormPage.GetAsync(client, "/import");
        var form = new MultipartFormDataContent();
        var fields = start.Fields();
        fields["Input.AgencyId"] = agency.ToString();
        fields["Input.Destination"] = "Draft";
        fields["Input.Text"] = "";
        foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
        form.Add(new ByteArrayContent([0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00, 0x7F]), "Upload", "report.txt");
        var binary = await FormPage.ReadAsync(await client.PostAsync("/import", form));
        Assert.NotNull(binary.Document.GetElementById("read-error"));

        await using var db = app.Db();
        Assert.Equal(imports, await db.ReportImports.CountAsync());
    }

    [Fact]
    public async Task A_draft_s_tables_downloaded_as_a_workbook_filled_and_uploaded_back_fill_the_draft()
    {
        var client = await app.ClientAsync("edu");
        var reportId = await app.NewReportAsync(2024);
        var download = await client.GetAsync($"/entry/{reportId}?handler=Workbook");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(GovInfoReports.Web.Entry.TablesWorkbook.ContentType, download.Content.Headers.ContentType!.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();

        // The statutory layout: merged headers, and every total a formula over its cells.
        using (var stream = new MemoryStream())
        {
            stream.Write(bytes);
            using (var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(stream, true))
            {
                var part = Sheet(workbook, "三、收到和处理政府信息公开申请情况");
                var sheet = part.Worksheet;
                Assert.NotEmpty(sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.MergeCell>());
                var newRow = RowOf(sheet, "一、本年新收政府信息公开申请数量");
                var cells = newRow.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().ToList();
                // Three label columns (A–C), then 自然人 … 其他 (D–I) and 总计 (J) = SUM(D:I of the row).
                Assert.Equal($"SUM(D{newRow.RowIndex},E{newRow.RowIndex},F{newRow.RowIndex},G{newRow.RowIndex},H{newRow.RowIndex},I{newRow.RowIndex})",
                    cells.Single(c => c.CellReference == $"J{newRow.RowIndex}").CellFormula!.Text);
                // Filled in as a clerk would in Excel: 3 applications of 自然人, 2 予以公开, 1 carried over.
                SetNumber(cells.Single(c => c.CellReference == $"D{newRow.RowIndex}"), "3");
                var r1 = RowOf(sheet, "（一）予以公开");
                SetNumber(r1.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Single(c => c.CellReference == $"D{r1.RowIndex}"), "2");
                var carry = RowOf(sheet, "四、结转下年度继续办理");
                SetNumber(carry.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Single(c => c.CellReference == $"D{carry.RowIndex}"), "1");
                sheet.Save();
            }
            bytes = stream.ToArray();
        }

        var start = await FormPage.GetAsync(client, $"/entry/{reportId}");
        var form = new MultipartFormDataContent();
        var fields = start.Fields("form.inline-upload");
        foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
        form.Add(new ByteArrayContent(bytes), "Upload", "filled.xlsx");
        var response = await client.PostAsync("/import", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var preview = await FormPage.GetAsync(client, response.Headers.Location!.ToString());
        Assert.Contains("填入草稿", preview.Document.QuerySelector("h1")!.TextContent);
        Assert.Equal("3", preview.Fields()["Input.Cells[apps.new.np]"]);
        Assert.Null(preview.Document.GetElementById("h-s1"));

        var done = await preview.PostAsync(client, response.Headers.Location!.ToString(), new Dictionary<string, string>(), handler: "Confirm");
        Assert.Equal($"/entry/{reportId}", done.Response.RequestMessage!.RequestUri!.AbsolutePath);
        await using var db = app.Db();
        var values = await db.ReportCells.Where(c => c.ReportId == reportId).ToDictionaryAsync(c => c.CellId, c => c.Value);
        Assert.Equal(3, values["apps.new.np"]);
        Assert.Equal(3, values["apps.new.tot"]);
        Assert.Equal(2, values["apps.r1.np"]);
        Assert.Equal(2, values["apps.r7.np"]);
        Assert.Equal(1, values["apps.carry_out.np"]);
        Assert.False(values.ContainsKey("apps.r2.np"));
        Assert.Contains(await db.AuditEntries.Where(a => a.ReportId == reportId).ToListAsync(), a => a.Key == "apps.new.np");
    }

    private static DocumentFormat.OpenXml.Packaging.WorksheetPart Sheet(DocumentFormat.OpenXml.Packaging.SpreadsheetDocument workbook, string name)
    {
        var sheet = workbook.WorkbookPart!.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == name);
        return (DocumentFormat.OpenXml.Packaging.WorksheetPart)workbook.WorkbookPart.GetPartById(sheet.Id!);
    }

    private static DocumentFormat.OpenXml.Spreadsheet.Row RowOf(DocumentFormat.OpenXml.Spreadsheet.Worksheet sheet, string label) =>
        sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().First(r => r.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Any(c => c.InnerText == label));

    private static void SetNumber(DocumentFormat.OpenXml.Spreadsheet.Cell cell, string value)
    {
        cell.DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.Number;
        cell.CellValue = new DocumentFormat.OpenXml.Spreadsheet.CellValue(value);
    }

    private async Task<string> CodeAsync(int agencyId)
    {
        await using var db = app.Db();
        return await db.Agencies.Where(a => a.Id == agencyId).Select(a => a.Code).SingleAsync();
    }
}
