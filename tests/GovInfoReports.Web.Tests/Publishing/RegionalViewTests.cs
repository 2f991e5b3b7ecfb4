using System.Net;
using System.Text;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Tests.Consolidation;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>The public regional view (/regions/{code}/{year}, issue 12 part 4): each unit's published key figures, the
/// sort, the completeness of publication with a late unit, the CSV, the cache evicted by a publication, and 404s.</summary>
[Collection("Browser")]
public sealed class RegionalViewTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static int _regions;
    private static int _codes;

    /// <summary>A county of its own under 新乡市 with a town below it, stored directly (the workflow's domain moves and
    /// publication snapshots, without PDFs), for one year: 县政府 published on time (3月31日 deadline), 办公室 on time,
    /// 教育局 late (after 1月31日), a 镇政府 in the town published on time and then corrected (v2 counts, its first
    /// publication dates it), 某局 approved and 草稿局 a draft (neither published), 无报告局 without a report.</summary>
    private sealed record County(string Code, string TownCode, int Year, int OtherYear, IReadOnlyDictionary<string, string> Codes);

    private const string Government = "甲县人民政府", Office = "甲县人民政府办公室", Education = "甲县教育局", Town = "甲县某镇人民政府",
        Approved = "甲县某局", Draft = "甲县草稿局", NoReport = "甲县无报告局";

    private async Task<County> CountyAsync()
    {
        var n = Interlocked.Increment(ref _regions);
        var year = AppFixture.UniqueYear();
        var otherYear = AppFixture.UniqueYear();
        var t2021 = app.Templates.Get("2021")!;
        await using var db = app.Db();
        var city = await db.Regions.SingleAsync(r => r.Code == "410700");
        var county = new Region($"4107{80 + n}", $"甲县{n}", RegionLevel.County, city);
        var town = new Region($"4107{80 + n}101", $"某镇{n}", RegionLevel.Township, county);
        db.Regions.AddRange(county, town);
        var agencies = new Dictionary<string, Agency>();
        void New(string name, AgencyKind kind, Region region)
        {
            var code = UnifiedSocialCreditCode.Complete($"1141078{n}MD{Interlocked.Increment(ref _codes):D7}");
            agencies[name] = new Agency(code, name + n, kind, region, null, mayMakeRules: false);
            db.Agencies.Add(agencies[name]);
        }
        New(Government, AgencyKind.Government, county);
        New(Office, AgencyKind.Department, county);
        New(Education, AgencyKind.Department, county);
        New(Town, AgencyKind.Township, town);
        New(Approved, AgencyKind.Department, county);
        New(Draft, AgencyKind.Department, county);
        New(NoReport, AgencyKind.Department, county);
        await db.SaveChangesAsync();

        var created = DateTimeOffset.UtcNow;
        DateTimeOffset On(int month, int day) => BeijingTime.StartOf(new DateOnly(year + 1, month, day)).AddHours(10);
        Report NewReport(string unit, int reportYear, params (string, decimal)[] values)
        {
            var report = new Report(agencies[unit], reportYear, t2021, created);
            foreach (var (cell, value) in ConsolidationTree.Values(t2021, values)) report.SetCell(cell, value, created);
            db.Reports.Add(report);
            return report;
        }
        void Publish(Report report, DateTimeOffset at)
        {
            report.Submit("regional-clerk", at);
            report.Approve("regional-reviewer", at);
            var version = report.Publish("regional-reviewer", at);
            db.Snapshots.Add(ReportSnapshot.Of(report, SnapshotKind.Publication, version, "regional-reviewer", at));
        }
        var government = NewReport(Government, year, ("apps.new.np", 30m), ("apps.r1.np", 30m), ("lit.all.rv_keep", 3m));
        var governmentOther = NewReport(Government, otherYear, ("apps.new.np", 40m), ("apps.r1.np", 40m));
        var office = NewReport(Office, year, ("apps.new.np", 8m), ("apps.r1.np", 6m), ("apps.r2.np", 1m), ("apps.r3_7.np", 1m), ("lit.all.rv_keep", 1m));
        var education = NewReport(Education, year, ("apps.new.np", 12m), ("apps.r1.np", 12m));
        var townReport = NewReport(Town, year, ("apps.new.np", 20m), ("apps.r1.np", 20m));
        var approved = NewReport(Approved, year, ("apps.new.np", 500m), ("apps.r1.np", 500m));
        NewReport(Draft, year, ("apps.new.np", 700m), ("apps.r1.np", 700m));
        await db.SaveChangesAsync();

        Publish(government, On(3, 20));
        Publish(governmentOther, BeijingTime.StartOf(new DateOnly(otherYear + 1, 3, 1)));
        Publish(office, On(1, 20));
        Publish(education, On(2, 15)); // after 1月31日: late
        Publish(townReport, On(3, 1));
        approved.Submit("regional-clerk", On(1, 10));
        approved.Approve("regional-reviewer", On(1, 10));
        await db.SaveChangesAsync();
        // The town corrects its report: v2 (25 received) is what counts; v1's day says when it was first published.
        townReport.StartCorrection("regional-clerk", "更正表三。", On(6, 1));
        foreach (var (cell, value) in ConsolidationTree.Values(t2021, ("apps.new.np", 25m), ("apps.r1.np", 25m))) townReport.SetCell(cell, value, On(6, 1));
        await db.SaveChangesAsync();
        Publish(townReport, On(6, 2));
        await db.SaveChangesAsync();

        return new County(county.Code, town.Code, year, otherYear, agencies.ToDictionary(a => a.Key, a => a.Value.Code));
    }

    private static IReadOnlyList<string> RowCodes(FormPage page) =>
        page.Document.QuerySelectorAll("#units tbody tr").Select(r => r.GetAttribute("data-code")!).ToList();

    private static AngleSharp.Dom.IElement Row(FormPage page, string code) =>
        page.Document.QuerySelectorAll("#units tbody tr").Single(r => r.GetAttribute("data-code") == code);

    private static string Count(FormPage page, string key) =>
        page.Document.QuerySelector($"#completeness dd[data-count='{key}']")!.TextContent.Trim();

    [Fact]
    public async Task Each_unit_of_the_subtree_shows_its_latest_published_figures_and_unpublished_ones_say_so()
    {
        var county = await CountyAsync();
        var client = app.Factory.CreateClient();
        var page = await FormPage.GetAsync(client, $"/regions/{county.Code}/{county.Year}");
        Assert.Equal(HttpStatusCode.OK, page.Response.StatusCode);

        // The whole subtree: the town's 镇政府 too, with its region named; 7 units.
        Assert.Equal(7, RowCodes(page).Count);
        var town = Row(page, county.Codes[Town]);
        var townFigures = town.QuerySelectorAll("td.num").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["25", "0", "0"], [townFigures[0], townFigures[2], townFigures[3]]);
        Assert.StartsWith("100", townFigures[1]);
        Assert.StartsWith("某镇", town.QuerySelectorAll("td")[0].TextContent);
        Assert.Equal($"/reports/{county.Codes[Town]}/{county.Year}", town.QuerySelector("th a")!.GetAttribute("href"));

        // The same figures as the agency's own page shows for that year.
        var office = Row(page, county.Codes[Office]).QuerySelectorAll("td.num").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal("8", office[0]);
        Assert.Equal("1", office[2]);
        var agencyPage = await FormPage.GetAsync(client, $"/agencies/{county.Codes[Office]}");
        var agencyRow = agencyPage.Document.QuerySelectorAll("#figures tbody tr").Single(r => r.QuerySelector("th")!.TextContent == county.Year.ToString());
        Assert.Equal(agencyRow.QuerySelectorAll("td").Select(td => td.TextContent.Trim()), office);

        // Approved, draft and no report: 未发布, never a number (the approved 500 and the draft 700 appear nowhere).
        foreach (var unit in new[] { Approved, Draft, NoReport })
        {
            var row = Row(page, county.Codes[unit]);
            Assert.Equal("未发布", row.QuerySelector("td.not-published")!.TextContent.Trim());
            Assert.Empty(row.QuerySelectorAll("td.num"));
        }
        Assert.DoesNotContain("500", page.Document.GetElementById("units")!.TextContent);
        Assert.DoesNotContain("700", page.Document.GetElementById("units")!.TextContent);

        // The chart draws the four published units' 收到申请, largest first; no bar for the unpublished.
        var bars = page.Document.QuerySelectorAll("svg.region-chart rect title").Select(t => t.TextContent).ToList();
        Assert.Equal(4, bars.Count);
        Assert.EndsWith("：30件", bars[0]);
        Assert.Contains(bars, b => b.Contains(Town, StringComparison.Ordinal) && b.EndsWith("：25件", StringComparison.Ordinal));

        // The 全辖区 report (the county's 人民政府) year over year, this year marked; the town's region page links this year.
        var years = page.Document.QuerySelectorAll("#government-years tbody tr").Select(r => r.QuerySelector("th")!.TextContent.Trim()).ToList();
        Assert.Equal([county.Year.ToString(), county.OtherYear.ToString()], years);
        Assert.Equal("30", page.Document.QuerySelector("#government-years tr.current-year td")!.TextContent);
        var regionPage = await FormPage.GetAsync(client, $"/regions/{county.Code}");
        Assert.Contains($"/regions/{county.Code}/{county.Year}", regionPage.Document.QuerySelectorAll(".year-links a").Select(a => a.GetAttribute("href")));
        var townPage = await FormPage.GetAsync(client, $"/regions/{county.TownCode}/{county.Year}");
        Assert.Equal([county.Codes[Town]], RowCodes(townPage));
        Assert.Contains("没有登记本级人民政府", townPage.Text);
    }

    [Fact]
    public async Task Completeness_counts_published_late_and_unpublished_units()
    {
        var county = await CountyAsync();
        var page = await FormPage.GetAsync(app.Factory.CreateClient(), $"/regions/{county.Code}/{county.Year}");
        Assert.Equal("7", Count(page, "units"));
        Assert.Equal("4", Count(page, "published"));
        Assert.Equal("3", Count(page, "on-time"));
        Assert.Equal("1", Count(page, "late")); // 教育局, 2月15日 after 1月31日
        Assert.Equal("3", Count(page, "not-published"));
        Assert.Equal("0", Count(page, "overdue")); // the year's deadlines are still ahead
        Assert.Equal($"逾期发布{county.Year + 1}年2月15日首次发布期限{county.Year + 1}年1月31日", Row(page, county.Codes[Education]).QuerySelector("td.status-cell")!.TextContent.Trim());
        Assert.Contains($"部门 {county.Year + 1}年1月31日（", page.Document.GetElementById("deadlines")!.TextContent);
        // The town was first published on 3月1日 (its correction came later): on time for a 乡镇 (3月31日).
        Assert.Equal($"按期发布{county.Year + 1}年3月1日首次发布", Row(page, county.Codes[Town]).QuerySelector("td.status-cell")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_local_deadline_of_a_region_above_judges_the_units_below_it()
    {
        var county = await CountyAsync();
        await using (var db = app.Db())
        {
            // The county asks its 乡镇 to publish by 2月20日: the town, first published on 3月1日, is late.
            var region = await db.Regions.SingleAsync(r => r.Code == county.Code);
            db.DeadlineOverrides.Add(new DeadlineOverride(region, AgencyKind.Township, 2, 20, "甲县规定"));
            await db.SaveChangesAsync();
        }
        var page = await FormPage.GetAsync(app.Factory.CreateClient(), $"/regions/{county.Code}/{county.Year}");
        Assert.Equal("2", Count(page, "late"));
        Assert.StartsWith("逾期发布", Row(page, county.Codes[Town]).QuerySelector("td.status-cell")!.TextContent.Trim());
        Assert.Contains($"乡镇 {county.Year + 1}年2月20日（甲县规定）", page.Document.GetElementById("deadlines")!.TextContent);
    }

    [Fact]
    public async Task An_archive_record_is_dated_by_its_original_publication_not_by_its_import()
    {
        var county = await CountyAsync();
        string code;
        await using (var db = app.Db())
        {
            // Imported on 1月10日 (before the 部门 deadline), originally published on 3月5日: late.
            var region = await db.Regions.SingleAsync(r => r.Code == county.Code);
            code = UnifiedSocialCreditCode.Complete($"11410789MD{Interlocked.Increment(ref _codes):D7}");
            var agency = new Agency(code, "甲县档案局" + county.Code, AgencyKind.Department, region, null, mayMakeRules: false);
            db.Agencies.Add(agency);
            var template = app.Templates.Get("2021")!;
            var imported = BeijingTime.StartOf(new DateOnly(county.Year + 1, 1, 10));
            var import = new Web.Publishing.Import.ReportImport(agency, Web.Publishing.Import.ImportDestination.Archive, "report.txt", "text",
                Encoding.UTF8.GetBytes("原文"), null, imported);
            db.ReportImports.Add(import);
            var report = new Report(agency, county.Year, template, imported);
            foreach (var (cell, value) in ConsolidationTree.Values(template, ("apps.new.np", 4m), ("apps.r1.np", 4m))) report.SetCell(cell, value, imported);
            db.Reports.Add(report);
            await db.SaveChangesAsync();
            report.Submit("regional-clerk", imported);
            report.Approve("regional-reviewer", imported);
            var snapshot = ReportSnapshot.Of(report, SnapshotKind.Publication, report.Publish("regional-reviewer", imported), "regional-reviewer", imported);
            snapshot.MarkArchive(import.Id, null, new DateOnly(county.Year + 1, 3, 5));
            db.Snapshots.Add(snapshot);
            await db.SaveChangesAsync();
        }
        var page = await FormPage.GetAsync(app.Factory.CreateClient(), $"/regions/{county.Code}/{county.Year}");
        Assert.Equal("2", Count(page, "late")); // 教育局 and the archive
        Assert.StartsWith($"逾期发布{county.Year + 1}年3月5日首次发布", Row(page, code).QuerySelector("td.status-cell")!.TextContent.Trim());
        Assert.Equal("4", Row(page, code).QuerySelector("td.num")!.TextContent);
    }

    [Fact]
    public void A_unit_not_published_after_its_deadline_is_overdue_and_one_published_after_it_is_late()
    {
        var deadline = new Deadline(new DateOnly(2025, 1, 31), "条例");
        var figures = new Web.Publishing.KeyFigures(2024, 1, "2021", 1, null, null, null, new Dictionary<string, string>());
        var unpublished = new Web.Publishing.RegionalUnit("C", "某局", AgencyKind.Department, "1", "某县", null, null, deadline);
        Assert.True(unpublished.Overdue(new DateOnly(2025, 2, 1)));
        Assert.False(unpublished.Overdue(new DateOnly(2025, 1, 31)));
        Assert.Equal("未发布（已逾期）", Web.Publishing.RegionalView.Status(unpublished, new DateOnly(2025, 2, 1)));
        Assert.True((unpublished with { Figures = figures, FirstPublishedOn = new DateOnly(2025, 2, 1) }).Late);
        Assert.False((unpublished with { Figures = figures, FirstPublishedOn = new DateOnly(2025, 1, 31) }).Late);
    }

    [Fact]
    public async Task Columns_sort_on_the_server_with_unpublished_units_last_either_way()
    {
        var county = await CountyAsync();
        var client = app.Factory.CreateClient();
        var c = county.Codes;
        var unpublished = new[] { c[Approved], c[Draft], c[NoReport] };

        var descending = await FormPage.GetAsync(client, $"/regions/{county.Code}/{county.Year}?sort=received&order=desc");
        Assert.Equal([c[Government], c[Town], c[Education], c[Office]], RowCodes(descending).Take(4));
        Assert.Equal(unpublished.Order(), RowCodes(descending).Skip(4).Order());
        Assert.Equal("descending", descending.Document.QuerySelectorAll("#units thead th")[3].GetAttribute("aria-sort"));

        var ascending = await FormPage.GetAsync(client, $"/regions/{county.Code}/{county.Year}?sort=received");
        Assert.Equal([c[Office], c[Education], c[Town], c[Government]], RowCodes(ascending).Take(4));
        Assert.Equal(unpublished.Order(), RowCodes(ascending).Skip(4).Order());
        // The head of the sorted column turns the order round.
        Assert.Equal($"/regions/{county.Code}/{county.Year}?sort=received&order=desc",
            ascending.Document.QuerySelectorAll("#units thead th")[3].QuerySelector("a")!.GetAttribute("href"));

        var byName = await FormPage.GetAsync(client, $"/regions/{county.Code}/{county.Year}?sort=name&order=desc");
        var names = byName.Document.QuerySelectorAll("#units tbody th").Select(th => th.TextContent.Trim()).ToList();
        Assert.Equal(names.OrderDescending(Web.Publishing.RegionalView.NameOrder), names); // zh-CN (pinyin) order
        Assert.NotEqual(names.OrderDescending(StringComparer.Ordinal), names);

        // Another chart figure: the 行政复议 bars, the 县政府's 3 first.
        var reviews = await FormPage.GetAsync(client, $"/regions/{county.Code}/{county.Year}?chart=reviews");
        Assert.Equal("page", reviews.Document.QuerySelector(".section-tabs a[aria-current]")!.GetAttribute("aria-current"));
        Assert.EndsWith("：3件", reviews.Document.QuerySelectorAll("svg.region-chart rect title")[0].TextContent);
    }

    [Fact]
    public async Task The_csv_has_the_same_rows_with_chinese_headers_and_no_zero_for_unpublished_units()
    {
        var county = await CountyAsync();
        var response = await app.Factory.CreateClient().GetAsync($"/regions/{county.Code}/{county.Year}.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        Assert.Equal(["单位名称", "统一社会信用代码", "类别", "地区", "行政区划代码", "发布状态", "首次发布日期", "发布期限", "最新版本", "报告格式",
            "收到申请（件）", "予以公开和部分公开占办结比例（%）", "行政复议（件）", "行政诉讼（件）"], lines[0]);
        Assert.Equal(8, lines.Count);
        string[] Line(string unit) => lines.Single(l => l[1] == county.Codes[unit]);
        Assert.Equal(["逾期发布", $"{county.Year + 1}-02-15", $"{county.Year + 1}-01-31", "1", "2021", "12", "100.0", "0", "0"], Line(Education)[5..]);
        Assert.Equal(["按期发布", $"{county.Year + 1}-03-01", $"{county.Year + 1}-03-31", "2", "2021", "25"], Line(Town)[5..11]);
        Assert.Equal("乡镇", Line(Town)[2]);
        foreach (var unit in new[] { Approved, Draft, NoReport })
            Assert.Equal(["未发布", "", $"{county.Year + 1}-01-31", "", "", "", "", "", ""], Line(unit)[5..]);
    }

    [Fact]
    public async Task The_view_is_cached_and_a_publication_in_the_region_shows_at_once()
    {
        // 获嘉县 (the demo): its 办公室 published directly for a year of this test; 教育局's report then goes through the forms.
        var year = AppFixture.UniqueYear();
        var office = await app.NewReportAsync(year, "获嘉县人民政府办公室");
        await using (var db = app.Db())
        {
            var report = await db.Reports.Include(r => r.Cells).Include(r => r.Texts).Include(r => r.Agency).ThenInclude(a => a.Region).SingleAsync(r => r.Id == office);
            var now = DateTimeOffset.UtcNow;
            report.Submit("regional-clerk", now);
            report.Approve("regional-reviewer", now);
            db.Snapshots.Add(ReportSnapshot.Of(report, SnapshotKind.Publication, report.Publish("regional-reviewer", now), "regional-reviewer", now));
            await db.SaveChangesAsync();
        }
        var education = await app.NewReportAsync(year);
        await app.FillFixture002Async(education);

        var anonymous = app.Factory.CreateClient();
        var url = $"/regions/{Web.Demo.DemoSeeder.CountyCode}/{year}";
        var before = await FormPage.GetAsync(anonymous, url);
        Assert.Equal("1", Count(before, "published"));
        var cached = await anonymous.GetAsync(url);
        Assert.True(cached.Headers.Age is not null, "the second request should be served from the output cache");
        var csvBefore = await anonymous.GetAsync(url + ".csv");
        Assert.Equal(HttpStatusCode.OK, csvBefore.StatusCode);

        await app.PublishViaFormsAsync(education);
        var after = await FormPage.GetAsync(anonymous, url);
        Assert.Equal("2", Count(after, "published"));
        var educationCode = UnifiedSocialCreditCode.Complete("11410724MB0000037");
        Assert.Equal("8", Row(after, educationCode).QuerySelector("td.num")!.TextContent);
        Assert.Contains("获嘉县教育局", Encoding.UTF8.GetString(await (await anonymous.GetAsync(url + ".csv")).Content.ReadAsByteArrayAsync()).Split("\r\n")
            .Single(l => l.Contains(educationCode, StringComparison.Ordinal) && l.Contains("按期发布", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("/regions/999999/2024")]
    [InlineData("/regions/410724/1900")]
    [InlineData("/regions/410724/2007")]
    [InlineData("/regions/410724/99999")]
    [InlineData("/regions/410724/3000")] // a future year with nothing published
    [InlineData("/regions/999999/2024.csv")]
    [InlineData("/regions/410724/1900.csv")]
    public async Task An_unknown_region_or_an_absurd_year_is_not_found(string url)
    {
        var response = await app.Factory.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
