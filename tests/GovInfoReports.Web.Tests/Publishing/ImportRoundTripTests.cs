using GovInfoReports.Domain.Import;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Tests.Import;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Publishing.Import;
using GovInfoReports.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>
/// Fixtures 000, 002 and 003 as web pages (rowspan/colspan), Word documents and text PDFs made by the product's own
/// exports, read back through <see cref="SourceReaders"/> and <see cref="PublishedReportParser"/>: every cell exact
/// against the values typed by hand in <see cref="FixtureCells"/>.
/// </summary>
public sealed class ImportRoundTripTests(AppFixture app) : IClassFixture<AppFixture>
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "000", "html" }, { "000", "docx" }, { "000", "pdf" },
        { "002", "html" }, { "002", "docx" }, { "002", "pdf" },
        { "003", "html" }, { "003", "docx" }, { "003", "pdf" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_report_exported_by_the_product_reads_back_with_every_cell_exact(string fixture, string kind)
    {
        var (template, year, nonZero, units) = fixture switch
        {
            "000" => (app.Templates.Get("2019")!, 2019, FixtureCells.NonZero000, new Dictionary<string, string> { ["a20_9.procurement.amount"] = "wanyuan" }),
            "002" => (app.Templates.Get("2021")!, 2022, FixtureCells.NonZero002, new Dictionary<string, string>()),
            _ => (app.Templates.Get("2019")!, 2020, FixtureCells.NonZero003, new Dictionary<string, string> { ["a20_9.procurement.amount"] = "yuan" }),
        };
        var expected = FixtureCells.All(template, nonZero);
        var document = new ReportDocument(template, "获嘉县测试局", "11410724MB0000010X", year,
            new ReportMetadata($"获嘉县测试局{year}年政府信息公开工作年度报告", "获嘉县测试局", null, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), null, null),
            expected, template.NarrativeParts.Keys.ToDictionary(id => id, id => $"这是{id}的文字，写明本年度的情况、存在的问题和下一步的改进措施。"), 1, new DateTimeOffset(year + 1, 1, 20, 2, 0, 0, TimeSpan.Zero), null)
        { Units = units };
        var pdf = app.Factory.Services.GetRequiredService<PdfRenderer>();
        var bytes = kind switch
        {
            "html" => System.Text.Encoding.UTF8.GetBytes(await pdf.PrintHtmlAsync(document)),
            "docx" => DocxRenderer.Render(document),
            _ => await pdf.RenderAsync(document, CancellationToken.None),
        };

        var source = SourceReaders.Read($"report.{kind}", bytes);
        Assert.True(source.Document is not null, source.Error);
        var parse = new PublishedReportParser(app.Templates).Parse(source.Document!);
        Assert.True(parse.Reading is not null, parse.Error);
        var reading = parse.Reading!;

        Assert.Equal(template.Code, reading.Format);
        Assert.Equal(year, reading.Year);
        var wrong = expected.Where(e => reading.Cells[e.Key].Value != e.Value)
            .Select(e => $"{e.Key}: expected {e.Value}, read {reading.Cells[e.Key].Value?.ToString() ?? "blank"} ({reading.Cells[e.Key].Origin})").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {expected.Count} cells differ:\n{string.Join("\n", wrong)}\nproblems: {string.Join(" | ", reading.Problems.Select(p => p.Message))}");
        foreach (var (id, unit) in units) Assert.Equal(unit, reading.Cells[id].Unit);
        Assert.DoesNotContain(reading.Problems, p => p.Severity == GovInfoReports.Domain.Templates.Severity.Error);
        Assert.Empty(reading.Violations);
    }
}
