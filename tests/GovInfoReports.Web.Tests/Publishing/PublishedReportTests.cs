using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>The public side of publication: permalinks, versions, PDF with its SHA-256, JSON and CSV.</summary>
[Collection("Browser")]
public sealed class PublishedReportTests(PublishedAppFixture app) : IClassFixture<PublishedAppFixture>
{
    private static readonly string Government = UnifiedSocialCreditCode.Complete("11410724MB0000010");

    [Fact]
    public async Task The_permalink_shows_the_latest_version_with_its_history_and_downloads()
    {
        var client = app.Factory.CreateClient();
        var page = await FormPage.GetAsync(client, $"/reports/{Government}/2024");
        Assert.Equal(HttpStatusCode.OK, page.Response.StatusCode);
        Assert.Equal("获嘉县人民政府2024年政府信息公开工作年度报告", page.Document.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("第2版", page.Document.QuerySelector(".report-meta")!.TextContent);
        Assert.Contains("更正第二十条第（一）项行政规范性文件现行有效件数", page.Document.QuerySelector(".report-meta")!.TextContent);
        var versions = page.Document.QuerySelectorAll(".versions li").Select(li => li.TextContent).ToList();
        Assert.Equal(2, versions.Count);
        Assert.Contains("更正说明", versions[1]);
        Assert.Equal("zh-CN", page.Document.DocumentElement.GetAttribute("lang"));

        var v1 = await FormPage.GetAsync(client, $"/reports/{Government}/2024/v1");
        Assert.Contains("这是第1版", v1.Text);
        var v1Value = v1.Document.QuerySelector("td[data-cell='a20_1.normative.in_force']")!.TextContent;
        var v2Value = page.Document.QuerySelector("td[data-cell='a20_1.normative.in_force']")!.TextContent;
        Assert.Equal(int.Parse(v1Value) + 2, int.Parse(v2Value)); // the correction changed v2 only

        // The PDF stored at publication, with the SHA-256 shown beside its link.
        var pdf = await client.GetAsync($"/reports/{Government}/2024.pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(page.Document.QuerySelector(".downloads code")!.TextContent, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var v1Pdf = await client.GetByteArrayAsync($"/reports/{Government}/2024/v1.pdf");
        Assert.NotEqual(bytes, v1Pdf);

        var json = JsonNode.Parse(await client.GetStringAsync($"/reports/{Government}/2024.json"))!;
        Assert.Equal(2, json["version"]!.GetValue<int>());
        Assert.Equal(int.Parse(v2Value), json["cells"]!["a20_1.normative.in_force"]!.GetValue<int>());

        var csv = await client.GetByteArrayAsync($"/reports/{Government}/2024/v1.csv");
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var lines = Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("agency_code,year,version,cell_id,section,row_label,column_label,value,unit", lines[0]);
        Assert.Equal(200, lines.Length - 1); // every cell of the 2021 template, one row each
        Assert.Contains(lines, l => l.StartsWith($"{Government},2024,1,a20_1.normative.in_force,二、主动公开政府信息情况,行政规范性文件,现行有效件数,{v1Value},件", StringComparison.Ordinal));
    }

    /// <summary>Issue 13: a version's page, open data and bulk CSV read its content, never its ~0.6 MB PDF, which is read
    /// alone for its download.</summary>
    [Fact]
    public async Task A_versions_content_is_read_without_its_pdf_and_the_pdf_alone_is_exactly_the_one_stored()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var reports = scope.ServiceProvider.GetRequiredService<GovInfoReports.Web.Publishing.PublicReports>();
        var found = await reports.FindAsync(Government, 2024, null, CancellationToken.None);
        Assert.NotNull(found);
        Assert.Null(found.Snapshot.Pdf); // not loaded
        Assert.Matches("^[0-9a-f]{64}$", found.Snapshot.PdfSha256);
        Assert.NotEmpty(found.Snapshot.Cells);
        var bytes = await reports.PdfAsync(found.Snapshot.Id, CancellationToken.None);
        Assert.NotNull(bytes);
        Assert.Equal(found.Snapshot.PdfSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.All(await reports.AllOfYearAsync(2024, CancellationToken.None), r => Assert.Null(r.Snapshot.Pdf));
        // A version without a PDF rendered yet has no bytes to give.
        Assert.Null(await reports.PdfAsync(long.MaxValue, CancellationToken.None));
    }

    [Fact]
    public async Task Consecutive_years_carry_over_and_unknown_reports_are_404()
    {
        var client = app.Factory.CreateClient();
        JsonNode Year(int y) => JsonNode.Parse(client.GetStringAsync($"/reports/{Government}/{y}.json").Result)!;
        foreach (var (last, next) in new[] { (2019, 2020), (2020, 2021), (2021, 2022), (2022, 2023), (2023, 2024) })
            foreach (var column in new[] { "np", "biz", "res", "ngo", "law", "oth" })
                Assert.Equal(Year(last)["cells"]![$"apps.carry_out.{column}"]!.GetValue<decimal>(), Year(next)["cells"]![$"apps.carry_in.{column}"]!.GetValue<decimal>());
        // The demo publishes 2016 and 2019–2024: 2018 has no report.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/reports/{Government}/2018")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/reports/{Government}/2024/v3")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/reports/{Government}/2024.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/reports/nope/2024.pdf")).StatusCode);
    }

    [Fact]
    public async Task Drafts_returned_and_approved_reports_never_appear_on_any_public_route()
    {
        // One report per unpublished state, each of a different year of 获嘉县教育局.
        var states = new Dictionary<string, int>();
        var clerk = await app.ClientAsync("edu");
        var reviewer = await app.ClientAsync("reviewer");
        async Task<int> NewFilledAsync(int year) { var id = await app.NewReportAsync(year); await app.FillFixture002Async(id); return id; }
        Task PostAsync(HttpClient c, string url, string handler, Dictionary<string, string>? fields = null) => FormPage.PostHandlerAsync(c, url, handler, fields);
        states["draft"] = await NewFilledAsync(2031);
        states["submitted"] = await NewFilledAsync(2035);
        await PostAsync(clerk, $"/entry/{states["submitted"]}", "Submit");
        states["returned"] = await NewFilledAsync(2033);
        await PostAsync(clerk, $"/entry/{states["returned"]}", "Submit");
        await PostAsync(reviewer, $"/review/{states["returned"]}", "Return", new() { ["Reason"] = "请核对" });
        states["approved"] = await NewFilledAsync(2037);
        await PostAsync(clerk, $"/entry/{states["approved"]}", "Submit");
        await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{states["approved"]}", "Approve");

        await using var db = app.Db();
        var code = await db.Agencies.Where(a => a.Name == "获嘉县教育局").Select(a => a.Code).SingleAsync();
        var anonymous = app.Factory.CreateClient();
        foreach (var (state, id) in states)
        {
            var year = await db.Reports.Where(r => r.Id == id).Select(r => r.Year).SingleAsync();
            foreach (var suffix in new[] { "", ".pdf", ".json", ".csv", "/v1", "/v1.pdf", "/v1.json", "/v1.csv" })
                Assert.True(HttpStatusCode.NotFound == (await anonymous.GetAsync($"/reports/{code}/{year}{suffix}")).StatusCode, $"{state} {suffix}");
        }
        var home = await FormPage.GetAsync(anonymous, "/");
        var links = home.Document.QuerySelectorAll("a").Select(a => a.GetAttribute("href") ?? "").ToList();
        foreach (var year in new[] { 2031, 2035, 2033, 2037 }) Assert.DoesNotContain(links, l => l.Contains($"/{code}/{year}", StringComparison.Ordinal));
        var search = await FormPage.GetAsync(anonymous, "/search?q=" + Uri.EscapeDataString("获嘉县教育局"));
        Assert.DoesNotContain(search.Document.QuerySelectorAll(".search-results a"), a => a.GetAttribute("href")!.EndsWith("/2031", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fee_of_six_decimals_of_wanyuan_typed_in_the_form_is_published_exactly_as_typed_everywhere()
    {
        var id = await app.NewReportAsync(2045);
        await app.FillFixture002Async(id);
        var clerk = await app.ClientAsync("edu");
        var form = await FormPage.GetAsync(clerk, $"/entry/{id}/s2");
        await form.PostAsync(clerk, $"/entry/{id}/s2", new Dictionary<string, string> { [FormPage.Cell("a20_8.fees.amount")] = "1234.567891" });
        await app.PublishViaFormsAsync(id);

        await using var db = app.Db();
        var code = await db.Agencies.Where(a => a.Name == "获嘉县教育局").Select(a => a.Code).SingleAsync();
        var client = app.Factory.CreateClient();
        var page = await FormPage.GetAsync(client, $"/reports/{code}/2045");
        Assert.Equal("1234.567891", page.Document.QuerySelector("td[data-cell='a20_8.fees.amount']")!.TextContent.Trim());
        var json = await client.GetStringAsync($"/reports/{code}/2045.json");
        Assert.Contains("\"a20_8.fees.amount\": 1234.567891", json);
        var csv = Encoding.UTF8.GetString(await client.GetByteArrayAsync($"/reports/{code}/2045.csv"));
        Assert.Contains(",a20_8.fees.amount,二、主动公开政府信息情况,行政事业性收费,本年收费金额（单位：万元）,1234.567891,万元\r\n", csv);
        using (var docx = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(await client.GetByteArrayAsync($"/reports/{code}/2045.docx")), false))
        {
            var feeRow = docx.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.TableRow>()
                .Single(r => r.Elements<DocumentFormat.OpenXml.Wordprocessing.TableCell>().First().InnerText == "行政事业性收费");
            Assert.Equal(["行政事业性收费", "1234.567891"], feeRow.Elements<DocumentFormat.OpenXml.Wordprocessing.TableCell>().Select(c => c.InnerText));
        }
        var path = Path.Combine(Path.GetTempPath(), $"fee-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, await client.GetByteArrayAsync($"/reports/{code}/2045.pdf"));
        try
        {
            var text = await ExternalTool.RunAsync("pdftotext", "-layout", path, "-");
            Assert.Matches(@"行政事业性收费\s+1234\.567891\s", text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Narrative_text_is_always_encoded_never_raw_html()
    {
        var id = await app.NewReportAsync(2040);
        await app.FillFixture002Async(id);
        await using (var db = app.Db())
        {
            var report = await db.Reports.Include(r => r.Texts).SingleAsync(r => r.Id == id);
            report.SetText("s6.text", "<script>alert('x')</script><a href=\"http://spam.example/casino\">博彩</a>", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        await app.PublishViaFormsAsync(id);
        await using var db2 = app.Db();
        var code = await db2.Agencies.Where(a => a.Name == "获嘉县教育局").Select(a => a.Code).SingleAsync();
        var html = await app.Factory.CreateClient().GetStringAsync($"/reports/{code}/2040");
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<a href=\"http://spam.example", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Fact]
    public async Task A_new_report_takes_its_carry_in_from_last_years_published_carry_out()
    {
        var county = await app.ClientAsync("county");
        var page = await FormPage.GetAsync(county, "/entry");
        await using var db = app.Db();
        var government = await db.Agencies.SingleAsync(a => a.Code == Government);
        var created = await page.PostAsync(county, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = government.Id.ToString(), ["Input.Year"] = "2025" });
        Assert.Contains("已从2024年度报告带入“二、上年结转”（6格），请核对", created.Text);

        var last = JsonNode.Parse(await app.Factory.CreateClient().GetStringAsync($"/reports/{Government}/2024.json"))!["cells"]!;
        var report = await db.Reports.Include(r => r.Cells).SingleAsync(r => r.AgencyId == government.Id && r.Year == 2025);
        var cells = report.CellValues();
        foreach (var column in new[] { "np", "biz", "res", "ngo", "law", "oth", "tot" })
            Assert.Equal(last[$"apps.carry_out.{column}"]!.GetValue<decimal>(), cells[$"apps.carry_in.{column}"]);
        Assert.False(cells.ContainsKey("apps.new.np")); // nothing else is invented
    }
}
