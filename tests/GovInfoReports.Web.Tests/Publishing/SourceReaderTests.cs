using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using GovInfoReports.Domain.Import;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Publishing.Import;
using Microsoft.Extensions.DependencyInjection;
using GovInfoReports.Web.Tests.Support;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>Reading published reports from files (<see cref="SourceReaders"/>): each kind of file built in the test, its
/// lines and cells typed by hand (cells joined by | here), and every refusal's message.</summary>
public sealed class SourceReaderTests
{
    /// <summary>The lines of a reading, each as its cells joined by |.</summary>
    internal static List<string> Lines(SourceReading reading)
    {
        Assert.True(reading.Error is null, reading.Error);
        return reading.Document!.Lines.Select(l => string.Join("|", l.Cells)).ToList();
    }

    // ---------------------------------------------------------------- HTML

    private const string WordHtml = """
        <html xmlns:o="urn:schemas-microsoft-com:office:office">
        <head><meta http-equiv=Content-Type content="text/html; charset=gb2312"><title>页面标题</title>
        <style>p.MsoNormal { margin: 0 }</style>
        <!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View><w:Zoom>90</w:Zoom></w:WordDocument></xml><![endif]-->
        </head>
        <body lang=ZH-CN>
        <h1>获嘉县测试局2023年政府信息公开工作年度报告</h1>
        <p class=MsoListParagraph><![if !supportLists]><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]>总体情况<o:p></o:p></p>
        <p class=MsoNormal><![if !supportLists]><span style='mso-list:Ignore'>一、<span style='font:7.0pt "Times New Roman"'>&nbsp;</span></span><![endif]>收到和处理政府信息公开申请情况</p>
        <p class=MsoNormal>本机关坚持以公开为常态，
        不公开为例外。<br>第二行&nbsp;&nbsp;<span>文字</span></p>
        <div>网站访问量 12&nbsp;345 次<div>内层段落</div>尾部</div>
        <table border=1 cellspacing=0>
         <tr><td colspan=3 rowspan=2><p>（本列数据的勾稽关系为：第一项加第二项之和，</p><p>等于第三项加第四项之和）</p></td><td colspan=2>申请&#8203;人情况</td></tr>
         <tr><td rowspan=2>自然人</td><td>法人或其他组织</td></tr>
         <tr><td colspan=3>一、本年新收政府信息公开申请数量</td><td>&nbsp;5&nbsp;</td></tr>
         <tr><td rowspan=2>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>3</td><td>1</td></tr>
         <tr><td>（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td>&nbsp;</td></tr>
        </table>
        <script>document.write("<p>脚本</p>");</script>
        <ul><li>第一条</li><li>第二条</li></ul>
        </body></html>
        """;

    [Fact]
    public void A_word_web_page_reads_as_paragraphs_and_a_grid_with_spans_expanded_and_word_markup_dropped()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding("GB18030").GetBytes(WordHtml); // the page declares gb2312
        var reading = SourceReaders.Read("report.htm", bytes);

        Assert.Equal(SourceKind.Html, reading.Document?.Kind);
        Assert.Null(reading.Note);
        Assert.Equal(
        [
            "获嘉县测试局2023年政府信息公开工作年度报告",
            "总体情况",
            "一、 收到和处理政府信息公开申请情况",
            "本机关坚持以公开为常态，不公开为例外。",
            "第二行 文字",
            "网站访问量 12 345 次",
            "内层段落",
            "尾部",
            "（本列数据的勾稽关系为：第一项加第二项之和， 等于第三项加第四项之和）|||申请人情况|",
            "|||自然人|法人或其他组织",
            "一、本年新收政府信息公开申请数量||||5",
            "三、本年度办理结果|（一）予以公开||3|1",
            "|（三）不予公开|1.属于国家秘密|0|",
            "第一条",
            "第二条",
        ], Lines(reading));
        Assert.Equal(Enumerable.Range(1, 15), reading.Document!.Lines.Select(l => l.Number));
    }

    [Fact]
    public void A_page_laid_out_in_a_table_reads_its_regions_in_order_and_a_small_table_inside_a_wide_table_cell_is_that_cell_s_text()
    {
        const string html = """
            <!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
            <table width=1000><tr><td>首页 &gt; 政府信息公开</td></tr>
            <tr><td><p>二、主动公开政府信息情况</p>
              <table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
                     <tr><td>规章</td><td><table><tr><td>2</td></tr><tr><td>（其中修订1件）</td></tr></table></td><td>0</td><td>15</td></tr></table>
            </td></tr></table>
            </body></html>
            """;
        Assert.Equal(
        [
            "首页 > 政府信息公开",
            "二、主动公开政府信息情况",
            "信息内容|本年制发件数|本年废止件数|现行有效件数",
            "规章|2 （其中修订1件）|0|15",
        ], Lines(SourceReaders.Read("report.html", Encoding.UTF8.GetBytes(html))));
    }

    [Fact]
    public void A_page_is_read_as_utf8_when_its_bytes_are_utf8_whatever_it_declares_and_else_as_gb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        const string html = "<html><body><p>依申请公开</p></body></html>";
        const string declared = "<html><head><meta charset=gb2312></head><body><p>依申请公开</p></body></html>";
        Assert.Equal(["依申请公开"], Lines(SourceReaders.Read("a.html", Encoding.UTF8.GetBytes(html))));
        Assert.Equal(["依申请公开"], Lines(SourceReaders.Read("a.html", Encoding.GetEncoding("GB18030").GetBytes(html))));
        Assert.Equal(["依申请公开"], Lines(SourceReaders.Read("a.html", Encoding.UTF8.GetBytes(declared))));
    }

    // ---------------------------------------------------------------- DOCX

    [Fact]
    public void A_word_document_reads_numbered_paragraphs_fields_and_a_table_with_grid_span_and_vertical_merge()
    {
        var bytes = Docx(body =>
        {
            // Level 0 by the paragraph's own numbering, level 1 by its style (as Word's heading styles carry it); a
            // level-1 count restarts when level 0 advances.
            body.Append(Numbered("总体情况"), Styled("主动公开"), Styled("依申请公开"), Numbered("主动公开政府信息情况"), Styled("规章"));
            body.Append(new Paragraph(
                new Run(new Text("详见")),
                new Hyperlink(new Run(new Text("门户网站"))) { Id = "rId100" },
                new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }),
                new Run(new FieldCode(" PAGE ")),
                new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }),
                new Run(new Text("第3页")),
                new Run(new FieldChar { FieldCharType = FieldCharValues.End }),
                new Run(new DeletedText("删去的字"))));
            body.Append(new Table(
                new TableGrid(new GridColumn { Width = "2000" }, new GridColumn { Width = "2000" }, new GridColumn { Width = "2000" }),
                new TableRow(
                    Cell("申请人情况", new TableCellProperties(new GridSpan { Val = 2 })),
                    Cell("合计")),
                new TableRow(
                    Cell("三、本年度办理结果", new TableCellProperties(new VerticalMerge { Val = MergedCellValues.Restart })),
                    Cell("（一）予以公开"),
                    Cell("5")),
                new TableRow(
                    new TableCell(new TableCellProperties(new VerticalMerge()), new Paragraph()),
                    new TableCell(new Paragraph(new Run(new Text("（二）部分公开"))), new Paragraph(new Run(new Text("（区分处理的）")))),
                    Cell(" 2 "))));
            body.Append(new Paragraph(new Run(new Text("结束语"))));
        });

        var reading = SourceReaders.Read("报告.docx", bytes);
        Assert.Equal(SourceKind.Docx, reading.Document?.Kind);
        Assert.Equal(
        [
            "一、 总体情况",
            "（一）主动公开",
            "（二）依申请公开",
            "二、 主动公开政府信息情况",
            "（一）规章",
            "详见门户网站第3页",
            "申请人情况||合计",
            "三、本年度办理结果|（一）予以公开|5",
            "|（二）部分公开 （区分处理的）|2",
            "结束语",
        ], Lines(reading));
    }

    private static Paragraph Numbered(string text) => new(
        new ParagraphProperties(new NumberingProperties(new NumberingLevelReference { Val = 0 }, new NumberingId { Val = 1 })),
        new Run(new Text(text)));

    private static Paragraph Styled(string text) => new(
        new ParagraphProperties(new ParagraphStyleId { Val = "Part" }),
        new Run(new Text(text)));

    private static TableCell Cell(string text, TableCellProperties? properties = null)
    {
        var cell = new TableCell();
        if (properties is not null) cell.Append(properties);
        cell.Append(new Paragraph(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve })));
        return cell;
    }

    private static byte[] Docx(Action<Body> fill)
    {
        using var stream = new MemoryStream();
        using (var word = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = word.AddMainDocumentPart();
            var numbering = main.AddNewPart<NumberingDefinitionsPart>();
            numbering.Numbering = new Numbering(
                new AbstractNum(
                    new Level(
                        new StartNumberingValue { Val = 1 },
                        new NumberingFormat { Val = NumberFormatValues.ChineseCounting },
                        new LevelText { Val = "%1、" }) { LevelIndex = 0 },
                    new Level(
                        new StartNumberingValue { Val = 1 },
                        new NumberingFormat { Val = NumberFormatValues.ChineseCounting },
                        new LevelText { Val = "（%2）" },
                        new LevelSuffix { Val = LevelSuffixValues.Nothing }) { LevelIndex = 1 }) { AbstractNumberId = 0 },
                new NumberingInstance(new AbstractNumId { Val = 0 }) { NumberID = 1 });
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new Styles(new Style(
                new StyleName { Val = "Part" },
                new StyleParagraphProperties(new NumberingProperties(new NumberingLevelReference { Val = 1 }, new NumberingId { Val = 1 })))
            { Type = StyleValues.Paragraph, StyleId = "Part" });
            main.AddHyperlinkRelationship(new Uri("https://www.example.gov.cn/"), true, "rId100");
            var body = new Body();
            fill(body);
            main.Document = new Document(body);
        }
        return stream.ToArray();
    }

    // ---------------------------------------------------------------- PDF

    [Fact]
    public void A_pdf_reads_lines_by_baseline_and_cells_by_wide_gaps_and_drops_page_numbers()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        page.AddText("Table 3", 12, new(50, 800), font);
        page.AddText("Received this year", 10, new(50, 770), font);
        page.AddText("5", 10, new(250, 770), font);
        page.AddText("12", 10, new(320, 770.5), font); // a baseline half a point off is the same line
        page.AddText("Carried over", 10, new(50, 755), font);
        page.AddText("0", 10, new(250, 755), font);
        page.AddText("1", 10, new(320, 755), font);
        page.AddText("- 1 -", 9, new(290, 30), font);
        var second = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        second.AddText("Page two", 10, new(50, 800), font);

        var reading = SourceReaders.Read("report.pdf", builder.Build());
        Assert.Equal(SourceKind.Pdf, reading.Document?.Kind);
        Assert.Equal(["Table 3", "Received this year|5|12", "Carried over|0|1", "Page two"], Lines(reading));
    }

    [Fact]
    public void A_table_ruled_with_stroked_lines_reads_by_its_cells_and_a_frame_around_a_paragraph_is_no_table()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        page.AddText("Table 3", 12, new(50, 800), font);
        // Columns at x = 50, 200, 260, 320; rows between y = 790, 770 and 730 (the second row is two lines high).
        foreach (var x in new[] { 50, 200, 260, 320 }) page.DrawLine(new(x, 730), new(x, 790), 0.5);
        foreach (var y in new[] { 790, 770, 730 }) page.DrawLine(new(50, y), new(320, y), 0.5);
        page.AddText("Received", 10, new(55, 776), font);
        page.AddText("5", 10, new(205, 776), font);
        page.AddText("12", 10, new(265, 776), font);
        page.AddText("Carried", 10, new(55, 757), font); // the label wrapped in its cell
        page.AddText("over", 10, new(55, 745), font);
        page.AddText("1", 10, new(265, 752), font); // the middle cell is blank
        page.DrawRectangle(new(45, 650), 280, 40, 0.5); // a frame around a note: one box, not a table
        page.AddText("Note: figures in pieces", 10, new(55, 665), font);
        page.AddText("- 2 -", 9, new(290, 30), font);

        Assert.Equal(["Table 3", "Received|5|12", "Carried over||1", "Note: figures in pieces"],
            Lines(SourceReaders.Read("report.pdf", builder.Build())));
    }

    [Fact]
    public void A_pdf_without_any_text_is_refused_as_a_scan()
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        page.DrawRectangle(new(50, 50), 200, 100); // a drawing, as a scanned page has an image: no text layer
        builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);

        var reading = SourceReaders.Read("report.pdf", builder.Build());
        Assert.Null(reading.Document);
        Assert.Equal("这是扫描件（没有文字层），无法读取数字；请上传可复制文字的PDF、Word或网页版本", reading.Error);
    }

    [Fact]
    public void A_damaged_pdf_is_refused_with_a_message_and_no_exception()
    {
        var reading = SourceReaders.Read("report.pdf", Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage"));
        Assert.Null(reading.Document);
        Assert.Equal("文件已损坏，无法按PDF文件（.pdf）读取：请重新导出或另存后上传", reading.Error);
    }

    /// <summary>A one-page PDF (“Total 8” in Helvetica) encrypted by qpdf 11 with AES-256 and the user password
    /// "secret".</summary>
    private const string PasswordPdf =
        "JVBERi0xLjcKJb/3ov4KMSAwIG9iago8PCAvRXh0ZW5zaW9ucyA8PCAvQURCRSA8PCAvQmFzZVZlcnNpb24gLzEuNyAvRXh0ZW5zaW9uTGV2ZWwgOCA+PiA+" +
        "PiAvUGFnZXMgMiAwIFIgL1R5cGUgL0NhdGFsb2cgPj4KZW5kb2JqCjIgMCBvYmoKPDwgL0NvdW50IDEgL0tpZHMgWyAzIDAgUiBdIC9UeXBlIC9QYWdlcyA+" +
        "PgplbmRvYmoKMyAwIG9iago8PCAvQ29udGVudHMgNCAwIFIgL01lZGlhQm94IFsgMCAwIDIwMCAxMDAgXSAvUGFyZW50IDIgMCBSIC9SZXNvdXJjZXMgPDwg" +
        "L0ZvbnQgPDwgL0YxIDUgMCBSID4+ID4+IC9UeXBlIC9QYWdlID4+CmVuZG9iago0IDAgb2JqCjw8IC9GaWx0ZXIgL0ZsYXRlRGVjb2RlIC9MZW5ndGggNjQg" +
        "Pj4Kc3RyZWFtCmmjszkOS/7eE/Ro7hJnenSZ7GDVlVjsyS1uw51dk3nUjIn6POL+VtiVb7hPBS50C7YuL9xd4bXwYqyGOv9Qw9ZlbmRzdHJlYW0KZW5kb2Jq" +
        "CjUgMCBvYmoKPDwgL0Jhc2VGb250IC9IZWx2ZXRpY2EgL1N1YnR5cGUgL1R5cGUxIC9UeXBlIC9Gb250ID4+CmVuZG9iago2IDAgb2JqCjw8IC9DRiA8PCAv" +
        "U3RkQ0YgPDwgL0F1dGhFdmVudCAvRG9jT3BlbiAvQ0ZNIC9BRVNWMyAvTGVuZ3RoIDMyID4+ID4+IC9GaWx0ZXIgL1N0YW5kYXJkIC9MZW5ndGggMjU2IC9P" +
        "IDxiYzY5NTJiN2Q5OWVlMzM5ZDBjZDhjOGZlNTdiZGNmMzVhOWE5ZjMxZDJmNjI1OTAxMzk4ZWU3OWRmMjRkNzU1OGQ0NGI5YTYyODBjZmE3NmM2M2Y1MDVh" +
        "NzAyZTE5MmY+IC9PRSA8MWJiMDg4ZTJlYjViYzQ5MDY2MWI0NzA5OTJiYmM5YzdhODA0MzM1MGNjNmE2MmM0Mjc0MTUzYWEzOGRmMDMzMD4gL1AgLTQgL1Bl" +
        "cm1zIDxiNWNiMGMyM2VjMjQ4MjVkNTQ0OTkwNzA3YWRhYTQwZD4gL1IgNiAvU3RtRiAvU3RkQ0YgL1N0ckYgL1N0ZENGIC9VIDwxZjE5NzdiNGVmMWU0MDkw" +
        "NDQzYWEwYzExMDY3ZmNlMTU0YTgwZmJmNzczZjJjODdlY2Q1NDMzMGI2YTgwODc5Y2VmMDI5M2UxYzNlNjQyYmQ5NGQ3NjczMzJkN2IwNzM+IC9VRSA8Njk5" +
        "NWEwMjdkODlhN2IwMzcyOTc2NTFlZWI4MGM0NzFiODFiZDNjZjc1N2NiNDI3ZmEwN2Y3NzQ1MzQ1MzZlOD4gL1YgNSA+PgplbmRvYmoKeHJlZgowIDcKMDAw" +
        "MDAwMDAwMCA2NTUzNSBmIAowMDAwMDAwMDE1IDAwMDAwIG4gCjAwMDAwMDAxMzAgMDAwMDAgbiAKMDAwMDAwMDE4OSAwMDAwMCBuIAowMDAwMDAwMzE3IDAw" +
        "MDAwIG4gCjAwMDAwMDA0NTEgMDAwMDAgbiAKMDAwMDAwMDUyMSAwMDAwMCBuIAp0cmFpbGVyIDw8IC9Sb290IDEgMCBSIC9TaXplIDcgL0lEIFs8MWM0N2M3" +
        "OTg0YmJiMjBlNTZlNmViZGZiNTMyNzlkNDQ+PGFjM2IyMjRiZjc2NmYzZWIwMjdkMDg5ODZjYzk0Y2UzPl0gL0VuY3J5cHQgNiAwIFIgPj4Kc3RhcnR4cmVm" +
        "CjEwNjgKJSVFT0YK";

    /// <summary>The same page encrypted with only an owner password (no password to open it, copying restricted).</summary>
    private const string OwnerPasswordPdf =
        "JVBERi0xLjcKJb/3ov4KMSAwIG9iago8PCAvRXh0ZW5zaW9ucyA8PCAvQURCRSA8PCAvQmFzZVZlcnNpb24gLzEuNyAvRXh0ZW5zaW9uTGV2ZWwgOCA+PiA+" +
        "PiAvUGFnZXMgMiAwIFIgL1R5cGUgL0NhdGFsb2cgPj4KZW5kb2JqCjIgMCBvYmoKPDwgL0NvdW50IDEgL0tpZHMgWyAzIDAgUiBdIC9UeXBlIC9QYWdlcyA+" +
        "PgplbmRvYmoKMyAwIG9iago8PCAvQ29udGVudHMgNCAwIFIgL01lZGlhQm94IFsgMCAwIDIwMCAxMDAgXSAvUGFyZW50IDIgMCBSIC9SZXNvdXJjZXMgPDwg" +
        "L0ZvbnQgPDwgL0YxIDUgMCBSID4+ID4+IC9UeXBlIC9QYWdlID4+CmVuZG9iago0IDAgb2JqCjw8IC9GaWx0ZXIgL0ZsYXRlRGVjb2RlIC9MZW5ndGggNjQg" +
        "Pj4Kc3RyZWFtCsN61Vlm2dwldav3dbWVoGujPC2fFuq20lAJZzvTIekfMLmsj5XSdOIrxrE3lHnQ3eTXGiTfU4mGhLL/B13lC35lbmRzdHJlYW0KZW5kb2Jq" +
        "CjUgMCBvYmoKPDwgL0Jhc2VGb250IC9IZWx2ZXRpY2EgL1N1YnR5cGUgL1R5cGUxIC9UeXBlIC9Gb250ID4+CmVuZG9iago2IDAgb2JqCjw8IC9DRiA8PCAv" +
        "U3RkQ0YgPDwgL0F1dGhFdmVudCAvRG9jT3BlbiAvQ0ZNIC9BRVNWMyAvTGVuZ3RoIDMyID4+ID4+IC9GaWx0ZXIgL1N0YW5kYXJkIC9MZW5ndGggMjU2IC9P" +
        "IDxmYWE4ODk0ZWYxMGI4ZjRkYzEyZTc2MzI3NTgyODk0NzVjNGNiMmNjOWFlODBjYzc4YTNmZGE4NGVhZjljNTNmNTNmYjA1MmNmNTlkZWY0OGI3N2FmN2Q5" +
        "YTkxNTQxOWU+IC9PRSA8ZGNiMTA2OWUwODY3NmU5Njk0ZTQ4OTc4NmQ0NDY4ZTdlZTY2YTBiMjZhZTQxZTRhNmYwMTE5ZTk3NmIzZTNmOD4gL1AgLTQgL1Bl" +
        "cm1zIDxlMTgwMTBjOTlhZmJmYWJjMDA4NDFmMWNkNzc1OWE0Nj4gL1IgNiAvU3RtRiAvU3RkQ0YgL1N0ckYgL1N0ZENGIC9VIDxhYzE1YzBhNDEzZGNmZTQ3" +
        "ZjkzZjYxY2VlZGYwZWQzZjNiMTBiYjRiMmM5M2YyOTYwODA4ZTM0ODZiMjEzNjkyODk3NmEwZDRjYWIzZWRiZDY1ZGUzMTMzZGRkMzZmZWI+IC9VRSA8ZGI4" +
        "ODk0YzU2Y2Q4NDUyZDdlMjVlNzUzNzJmYWYxNDhlNmFkN2IyZTFjZjE0OTY0ODQ5OGRhZDk3NTc2YmJmYz4gL1YgNSA+PgplbmRvYmoKeHJlZgowIDcKMDAw" +
        "MDAwMDAwMCA2NTUzNSBmIAowMDAwMDAwMDE1IDAwMDAwIG4gCjAwMDAwMDAxMzAgMDAwMDAgbiAKMDAwMDAwMDE4OSAwMDAwMCBuIAowMDAwMDAwMzE3IDAw" +
        "MDAwIG4gCjAwMDAwMDA0NTEgMDAwMDAgbiAKMDAwMDAwMDUyMSAwMDAwMCBuIAp0cmFpbGVyIDw8IC9Sb290IDEgMCBSIC9TaXplIDcgL0lEIFs8MWM0N2M3" +
        "OTg0YmJiMjBlNTZlNmViZGZiNTMyNzlkNDQ+PDUwMmY5MDRhNWMwYThjNDJkYjVmZTgyN2MxYzU4YzVkPl0gL0VuY3J5cHQgNiAwIFIgPj4Kc3RhcnR4cmVm" +
        "CjEwNjgKJSVFT0YK";

    [Fact]
    public void A_pdf_that_needs_a_password_to_open_is_refused_and_one_with_only_an_owner_password_is_read()
    {
        var locked = SourceReaders.Read("report.pdf", Convert.FromBase64String(PasswordPdf));
        Assert.Null(locked.Document);
        Assert.Equal("这是加密的PDF（需要密码才能打开）：请上传未加密的PDF，或Word、网页版本", locked.Error);

        Assert.Equal(["Total 8"], Lines(SourceReaders.Read("report.pdf", Convert.FromBase64String(OwnerPasswordPdf))));
    }

    // ---------------------------------------------------------------- XLSX

    [Fact]
    public void A_workbook_reads_every_sheet_in_order_with_a_merged_value_at_its_top_left_and_numbers_as_shown()
    {
        var bytes = Xlsx(
            ("表三", [["申请人情况", null, null, "合计"], ["自然人", 8.0, 4.651, 0.30000000000000004], [], [null, "1", 1e-7, 123456789012.0]], "A1:C1"),
            ("说明", [["本表数据截至2023年12月31日"]], null));

        var reading = SourceReaders.Read("报告.xlsx", bytes);
        Assert.Equal(SourceKind.Xlsx, reading.Document?.Kind);
        Assert.Equal(
        [
            "申请人情况|||合计",
            "自然人|8|4.651|0.3",
            "|1|0.0000001|123456789012",
            "本表数据截至2023年12月31日",
        ], Lines(reading));
    }

    [Fact]
    public void A_workbook_saved_by_miniexcel_reads_its_header_and_values()
    {
        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, new[] { new Dictionary<string, object> { ["项目"] = "本年新收", ["数量"] = 8, ["金额"] = 4.5m } });
        Assert.Equal(["项目|数量|金额", "本年新收|8|4.5"], Lines(SourceReaders.Read("a.xlsx", stream.ToArray())));
    }

    /// <summary>A workbook written with OpenXml (MiniExcel writes no merged ranges): each sheet its rows (null = an
    /// absent cell, string = a shared string, double = a number) and an optional merged range.</summary>
    private static byte[] Xlsx(params (string Name, object?[][] Rows, string? Merge)[] sheets)
    {
        using var stream = new MemoryStream();
        using (var book = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = book.AddWorkbookPart();
            workbook.Workbook = new X.Workbook(new X.Sheets());
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new X.SharedStringTable();
            var stringIndex = new List<string>();
            uint id = 1;
            foreach (var (name, rows, merge) in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                var data = new X.SheetData();
                for (var r = 0; r < rows.Length; r++)
                {
                    var row = new X.Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < rows[r].Length; c++)
                    {
                        var reference = $"{(char)('A' + c)}{r + 1}";
                        switch (rows[r][c])
                        {
                            case string s:
                                if (!stringIndex.Contains(s)) { stringIndex.Add(s); strings.SharedStringTable.Append(new X.SharedStringItem(new X.Text(s))); }
                                row.Append(new X.Cell { CellReference = reference, DataType = X.CellValues.SharedString, CellValue = new X.CellValue(stringIndex.IndexOf(s)) });
                                break;
                            case double d:
                                row.Append(new X.Cell { CellReference = reference, CellValue = new X.CellValue(d) });
                                break;
                        }
                    }
                    data.Append(row);
                }
                var worksheet = new X.Worksheet(data);
                if (merge is not null) worksheet.Append(new X.MergeCells(new X.MergeCell { Reference = merge }));
                part.Worksheet = worksheet;
                workbook.Workbook.Sheets!.Append(new X.Sheet { Name = name, SheetId = id, Id = workbook.GetIdOfPart(part) });
                id++;
            }
        }
        return stream.ToArray();
    }

    // ---------------------------------------------------------------- refusals and the choice of reader

    [Fact]
    public void An_empty_file_is_refused()
    {
        var reading = SourceReaders.Read("report.pdf", []);
        Assert.Null(reading.Document);
        Assert.Equal("文件是空的：没有可读取的内容", reading.Error);
    }

    [Fact]
    public void Binary_junk_is_refused_naming_the_supported_files()
    {
        var junk = Enumerable.Range(0, 2000).Select(i => (byte)(i * 37 % 256)).ToArray();
        var reading = SourceReaders.Read("report.bin", junk);
        Assert.Null(reading.Document);
        Assert.Equal("不是可读取的报告文件：内容既不是文字，也不是Word、Excel、PDF或网页；支持 .txt .html .htm .docx .pdf .xlsx", reading.Error);
    }

    [Theory]
    [InlineData("report.doc", "这是旧版Word文档（.doc）或旧版Excel文件（.xls）：请在Word/Excel或WPS中“另存为”.docx或.xlsx后上传")]
    [InlineData("report.xls", "这是旧版Excel文件（.xls）：请在Excel或WPS中“另存为”Excel工作簿（.xlsx）后上传")]
    [InlineData("report.docx", "这是加密（设有打开密码）的Office文件：请去掉密码后另存为.docx再上传")]
    public void A_legacy_office_file_is_refused_asking_for_the_current_format(string name, string error)
    {
        var ole2 = new byte[4096];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(ole2, 0);
        var reading = SourceReaders.Read(name, ole2);
        Assert.Null(reading.Document);
        Assert.Equal(error, reading.Error);
    }

    [Fact]
    public void A_file_over_fifty_megabytes_is_refused_before_it_is_looked_at()
    {
        var reading = SourceReaders.Read("report.txt", new byte[SourceReaders.MaxBytes + 1]);
        Assert.Null(reading.Document);
        Assert.Equal("文件太大（50 MB）：最大 50 MB", reading.Error);
    }

    [Fact]
    public void A_file_whose_extension_names_another_kind_is_read_by_its_content_with_a_note()
    {
        var docx = Docx(body => body.Append(new Paragraph(new Run(new Text("总体情况")))));
        var reading = SourceReaders.Read("report.pdf", docx);
        Assert.Equal(["总体情况"], Lines(reading));
        Assert.Equal("文件扩展名为.pdf，但内容是Word文档（.docx）：已按Word文档（.docx）读取", reading.Note);
    }

    [Fact]
    public void An_image_and_a_zip_that_is_no_office_file_are_refused_saying_what_they_are()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 };
        Assert.Equal("这是图片（PNG），无法读取数字：请上传可复制文字的PDF、Word或网页版本", SourceReaders.Read("scan.png", png).Error);

        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            using (var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open())) writer.Write("x");
        Assert.Equal("这是ZIP压缩包，不是Word（.docx）或Excel（.xlsx）文件：请解压后上传其中的报告文件；支持 .txt .html .htm .docx .pdf .xlsx",
            SourceReaders.Read("report.docx", stream.ToArray()).Error);
    }

    [Fact]
    public void The_fixture_texts_read_as_files_give_the_same_lines_as_the_text_source()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "fixtures"), "*.txt");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var expected = TextSource.Read(TextSource.Decode(bytes)!);
            var reading = SourceReaders.Read("x.txt", bytes);
            Assert.True(reading.Error is null, $"{Path.GetFileName(file)}: {reading.Error}");
            Assert.Equal(SourceKind.Text, reading.Document!.Kind);
            Assert.Equal(expected.Lines.Select(l => (l.Number, l.Text)), reading.Document.Lines.Select(l => (l.Number, l.Text)));
            Assert.True(expected.Lines.Count > 20, $"{Path.GetFileName(file)} read as {expected.Lines.Count} lines");
        }
    }
}

/// <summary>A table printed to PDF by Chromium, as the product prints its reports (and as many agencies publish them),
/// read back by its borders as the same grid the HTML gives, wrapped labels joined.</summary>
[Collection("Browser")]
public sealed class SourceReaderChromiumPdfTests
{
    [Fact]
    public async Task A_ruled_table_printed_by_chromium_reads_back_as_the_grid_of_its_html_with_wrapped_labels_whole()
    {
        await using var browser = await TestBrowser.NewPageAsync(new Uri("http://127.0.0.1/"));
        await browser.Page.SetContentAsync("""
            <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
            body { font-family: "Noto Serif CJK SC", serif; font-size: 10.5pt }
            table { border-collapse: collapse; width: 100%; font-size: 8.5pt }
            th, td { border: 1px solid #000; padding: .15rem .3rem; vertical-align: middle }
            td.label { width: 8em }
            </style></head><body>
            <p>三、收到和处理政府信息公开申请情况</p>
            <table>
             <tr><th colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th><th colspan="7">申请人情况</th></tr>
             <tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr>
             <tr><th>商业企业</th><th>科研机构</th><th>社会公益组织</th><th>法律服务机构</th><th>其他</th></tr>
             <tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>8</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>8</td></tr>
             <tr><td rowspan="3">三、本年度办理结果</td><td colspan="2" class="label">（一）予以公开</td><td>5</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>5</td></tr>
             <tr><td colspan="2" class="label">（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
             <tr><td>（三）不予公开</td><td>1.属于国家秘密</td><td></td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>12</td></tr>
            </table>
            <p>四、政府信息公开行政复议、行政诉讼情况</p>
            </body></html>
            """);
        var pdf = await browser.Page.PdfAsync(new() { Format = "A4" });

        var reading = SourceReaders.Read("report.pdf", pdf);
        Assert.Equal(
        [
            "三、收到和处理政府信息公开申请情况",
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|||申请人情况||||||",
            "|||自然人|法人或其他组织|||||总计",
            "||||商业企业|科研机构|社会公益组织|法律服务机构|其他|",
            "一、本年新收政府信息公开申请数量|||8|0|0|0|0|0|8",
            "三、本年度办理结果|（一）予以公开||5|0|0|0|0|0|5",
            "|（二）部分公开（区分处理的，只计这一情形，不计其他情形）||1|0|0|0|0|0|1",
            "|（三）不予公开|1.属于国家秘密||0|0|0|0|0|12",
            "四、政府信息公开行政复议、行政诉讼情况",
        ], SourceReaderTests.Lines(reading));
        // The long label is printed on more than one line, so the test covers joining a wrapped cell.
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        // (部 and 形 occur on the page only in that label.)
        var letters = document.GetPage(1).Letters;
        var first = letters.Single(l => l.Value == "部").StartBaseLine.Y;
        var last = letters.Where(l => l.Value == "形").Min(l => l.StartBaseLine.Y);
        Assert.True(last < first - 5, "the label did not wrap");
    }
}

/// <summary>The product's own published PDF (PdfRenderer, 2021 format) read back: the statutory tables come out as the
/// grids of their HTML, the running footer (agency, version, 第 N 页 共 M 页) is gone, and no radical stands in for a
/// character.</summary>
[Collection("Browser")]
public sealed class SourceReaderProductPdfTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_product_s_own_pdf_reads_back_with_its_statutory_tables_as_grids_and_without_its_running_footer()
    {
        var pdf = await app.Factory.Services.GetRequiredService<PdfRenderer>().RenderAsync(Document(app.Templates.Get("2021")!), CancellationToken.None);

        var lines = SourceReaderTests.Lines(SourceReaders.Read("获嘉县测试局2024.pdf", pdf));
        AssertStatutoryTables(lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("获嘉县测试局 2024年度", StringComparison.Ordinal)); // the footer
        Assert.DoesNotContain(lines, l => l.Any(c => c is >= '\u2E80' and <= '\u2FDF'));
    }

    [Fact]
    public void The_product_s_own_docx_reads_back_with_the_same_statutory_grids_as_its_pdf()
    {
        var lines = SourceReaderTests.Lines(SourceReaders.Read("获嘉县测试局2024.docx", DocxRenderer.Render(Document(app.Templates.Get("2021")!))));
        AssertStatutoryTables(lines);
    }

    [Fact]
    public async Task The_product_s_own_printed_html_reads_back_with_the_same_statutory_grids_as_its_pdf()
    {
        var html = await app.Factory.Services.GetRequiredService<PdfRenderer>().PrintHtmlAsync(Document(app.Templates.Get("2021")!));
        var reading = SourceReaders.Read("report.html", Encoding.UTF8.GetBytes(html));
        Assert.Equal(SourceKind.Html, reading.Document?.Kind);
        AssertStatutoryTables(SourceReaderTests.Lines(reading));
    }

    /// <summary>A 2021-format report whose every cell has a distinct value (1000 + its position in the template), as
    /// PdfTests uses.</summary>
    private static ReportDocument Document(GovInfoReports.Domain.Templates.ReportTemplate template) => new(template, "获嘉县测试局", "11410724MB0000010X", 2024,
        new ReportMetadata("获嘉县测试局2024年政府信息公开工作年度报告", "获嘉县测试局", null, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), null, null),
        template.Cells.Select((c, i) => (c.Id, Value: 1000m + i)).ToDictionary(x => x.Id, x => x.Value),
        template.NarrativeParts.Keys.ToDictionary(id => id, id => $"段落{id}。"), 3, new DateTimeOffset(2025, 1, 20, 2, 0, 0, TimeSpan.Zero), null);

    private static void AssertStatutoryTables(List<string> lines)
    {
        Assert.Equal("获嘉县测试局2024年政府信息公开工作年度报告", lines[0]);
        AssertBlock(lines,
            "三、收到和处理政府信息公开申请情况",
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|||申请人情况||||||",
            "|||自然人|法人或其他组织|||||总计",
            "||||商业企业|科研机构|社会公益组织|法律服务机构|其他|",
            "一、本年新收政府信息公开申请数量|||1010|1011|1012|1013|1014|1015|1016",
            "二、上年结转政府信息公开申请数量|||1017|1018|1019|1020|1021|1022|1023",
            "三、本年度办理结果|（一）予以公开||1024|1025|1026|1027|1028|1029|1030",
            "|（二）部分公开（区分处理的，只计这一情形，不计其他情形）||1031|1032|1033|1034|1035|1036|1037",
            "|（三）不予公开|1.属于国家秘密|1038|1039|1040|1041|1042|1043|1044");
        AssertBlock(lines,
            "|（六）其他处理|1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请|1150|1151|1152|1153|1154|1155|1156",
            "||2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请|1157|1158|1159|1160|1161|1162|1163",
            "||3.其他|1164|1165|1166|1167|1168|1169|1170",
            "|（七）总计||1171|1172|1173|1174|1175|1176|1177",
            "四、结转下年度继续办理|||1178|1179|1180|1181|1182|1183|1184");
        AssertBlock(lines,
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议|||||行政诉讼|||||||||",
            "结果维持|结果纠正|其他结果|尚未审结|总计|未经复议直接起诉|||||复议后起诉||||",
            "|||||结果维持|结果纠正|其他结果|尚未审结|总计|结果维持|结果纠正|其他结果|尚未审结|总计",
            "1185|1186|1187|1188|1189|1190|1191|1192|1193|1194|1195|1196|1197|1198|1199",
            "五、存在的主要问题及改进情况");
    }

    private static void AssertBlock(List<string> lines, params string[] block)
    {
        var start = lines.IndexOf(block[0]);
        Assert.True(start >= 0, $"not found: {block[0]}");
        Assert.Equal(block, lines.Skip(start).Take(block.Length));
    }
}
