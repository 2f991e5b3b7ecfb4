using System.Text.Json.Nodes;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Tests;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Publishing.Import;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Review;

/// <summary>The app judging reporting periods on the real day (other tests judge them on a day after every year they use).</summary>
public sealed class TodayAppFixture : AppFixture
{
    protected override DateOnly? ReportingDay => null;
}

/// <summary>Issue 11 parts 5 and 6: a year whose statistical period has not ended (Beijing time) has no report to submit,
/// approve, publish or import; a publication date before the period ended is refused; imports keep their errors and
/// warnings with the version and show them; a late first publication says so on the public page; a local deadline may
/// only be earlier than 条例 art. 49.</summary>
public sealed class ReportingPeriodTests(TodayAppFixture app) : IClassFixture<TodayAppFixture>
{
    private static readonly int ThisYear = BeijingTime.Year(DateTimeOffset.UtcNow);
    private static int _agencies = 4_300_000;

    private async Task<Agency> NewAgencyAsync()
    {
        var number = Interlocked.Increment(ref _agencies);
        await using var db = app.Db();
        var government = await db.Agencies.Include(a => a.Region).SingleAsync(a => a.Name == "获嘉县人民政府");
        var agency = new Agency(UnifiedSocialCreditCode.Complete($"11410724MB{number:D7}"), $"获嘉县期限局{number}", AgencyKind.Department,
            government.Region, government, mayMakeRules: false);
        db.Agencies.Add(agency);
        await db.SaveChangesAsync();
        return agency;
    }

    private static string Fixture002(Func<string, string>? change = null)
    {
        var text = File.ReadAllText(TestData.PathOf("fixtures/002_02625ab39fea2acd.txt"));
        return change is null ? text : change(text);
    }

    private async Task<(string? Permalink, IReadOnlyList<string> Problems)> ArchiveAsync(Agency agency, string text, DateOnly publishedOn, int? year = null)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReportImports>().ArchiveFromCommandLineAsync(agency.Code, "report.txt",
            System.Text.Encoding.UTF8.GetBytes(text), publishedOn, null, year, null, CancellationToken.None);
    }

    [Fact]
    public async Task A_report_of_the_current_year_cannot_be_submitted_approved_or_published_before_its_period_ends()
    {
        var id = await app.NewReportAsync(ThisYear, "获嘉县人民政府办公室");
        await app.FillFixture002Async(id);
        var open = $"{ThisYear}年度的统计期到{ThisYear}年12月31日才结束（北京时间），统计期结束前不能";

        var clerk = await app.ClientAsync("office");
        var refused = await FormPage.PostHandlerAsync(clerk, $"/entry/{id}", "Submit");
        Assert.Contains(open + "提交", refused.Text);

        // Had it been submitted (as data from before this rule), the reviewer could neither approve nor publish it.
        await using (var db = app.Db())
        {
            var report = await db.Reports.SingleAsync(r => r.Id == id);
            report.Submit("office-before", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        var reviewer = await app.ClientAsync("reviewer");
        Assert.Contains(open + "审核通过", (await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{id}", "Approve")).Text);
        await using (var db = app.Db()) Assert.Equal(ReportStatus.Submitted, (await db.Reports.SingleAsync(r => r.Id == id)).Status);
    }

    [Fact]
    public async Task An_archive_of_the_current_year_is_refused_naming_the_year_and_a_publication_date_inside_the_period_is_refused()
    {
        var agency = await NewAgencyAsync();
        // Fixture 002 as if it were this year's report (its year, in the title and the texts, replaced).
        var current = await ArchiveAsync(agency, Fixture002(t => t.Replace("2022", ThisYear.ToString(), StringComparison.Ordinal)), new DateOnly(ThisYear, 11, 20), ThisYear);
        Assert.Null(current.Permalink);
        Assert.Contains($"Year：{ThisYear}年度的统计期到{ThisYear}年12月31日才结束（北京时间），统计期结束前不能导入该年度的报告", current.Problems);

        var future = await ArchiveAsync(agency, Fixture002(t => t.Replace("2022", (ThisYear + 1).ToString(), StringComparison.Ordinal)),
            new DateOnly(ThisYear, 11, 20), ThisYear + 1);
        Assert.Contains(future.Problems, p => p.StartsWith($"Year：{ThisYear + 1}年度的统计期到{ThisYear + 1}年12月31日才结束", StringComparison.Ordinal));

        var early = await ArchiveAsync(agency, Fixture002(), new DateOnly(2022, 11, 20));
        Assert.Equal(["PublishedOn：2022年度报告的统计期到2022年12月31日结束，发布日期不能早于统计期结束（当前为2022年11月20日）"], early.Problems);
        await using var db = app.Db();
        Assert.False(await db.Reports.AnyAsync(r => r.AgencyId == agency.Id));
    }

    [Fact]
    public async Task An_archive_record_keeps_its_warnings_with_the_version_and_shows_them_to_the_reviewer_and_the_public()
    {
        var agency = await NewAgencyAsync();
        // 规章 1 issued and in force, for an agency without 规章 power: entry would demand a 说明 (C4).
        var (permalink, problems) = await ArchiveAsync(agency, Fixture002(t => t.Replace("规章\t0\t0\t0", "规章\t1\t0\t1", StringComparison.Ordinal)),
            new DateOnly(2023, 1, 20));
        Assert.True(permalink is not null, string.Join("; ", problems));
        const string c4 = "第二十条第（一）项 规章行：本机关没有规章制定权，规章件数通常应为0（规章本年制发件数（1）＋规章本年废止件数（0）＋规章现行有效件数（1））；如确有规章，请说明";

        await using var db = app.Db();
        var report = await db.Reports.SingleAsync(r => r.AgencyId == agency.Id && r.Year == 2022);
        var snapshot = await db.Snapshots.SingleAsync(s => s.ReportId == report.Id && s.Kind == SnapshotKind.Publication);
        var finding = Assert.Single(snapshot.ImportFindings!);
        Assert.Equal(new ImportFinding("C4", Domain.Templates.Severity.Warning, c4), finding);

        var page = await FormPage.GetAsync(app.Factory.CreateClient(), permalink!);
        Assert.Contains("C4：" + c4, page.Document.QuerySelector(".archive-violations")!.TextContent);
        Assert.Contains("原文数据有待核实", page.Text);

        var review = await FormPage.GetAsync(await app.ClientAsync("reviewer"), $"/review/{report.Id}");
        var kept = review.Document.QuerySelector(".import-findings")!.TextContent;
        Assert.Contains("导入时的检查：0个错误、1个警告", kept);
        Assert.Contains("C4：" + c4, kept);
    }

    [Fact]
    public async Task A_json_import_lists_its_warnings_keeps_them_with_the_version_and_a_current_year_json_is_refused_naming_the_year()
    {
        var source = await NewAgencyAsync();
        var archived = await ArchiveAsync(source, Fixture002(t => t.Replace("规章\t0\t0\t0", "规章\t1\t0\t1", StringComparison.Ordinal)), new DateOnly(2023, 1, 20));
        var json = JsonNode.Parse(await app.Factory.CreateClient().GetStringAsync(archived.Permalink + ".json"))!.AsObject();
        var target = await NewAgencyAsync();
        json["agency"]!["code"] = target.Code;
        json["agency"]!["name"] = target.Name;

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<ReportImporter>();
        var result = await importer.ImportAsync(json.ToJsonString(), null, CancellationToken.None);
        Assert.True(result.Imported, string.Join("; ", result.Problems));
        Assert.Single(result.Warnings, w => w.StartsWith("第二十条第（一）项 规章行：本机关没有规章制定权", StringComparison.Ordinal));
        await using (var db = app.Db())
        {
            var report = await db.Reports.SingleAsync(r => r.AgencyId == target.Id);
            Assert.Equal("C4", Assert.Single((await db.Snapshots.SingleAsync(s => s.ReportId == report.Id && s.Kind == SnapshotKind.Publication)).ImportFindings!).RuleId);
        }

        var other = await NewAgencyAsync();
        json["agency"]!["code"] = other.Code;
        json["agency"]!["name"] = other.Name;
        json["year"] = ThisYear;
        json["publishedAt"] = $"{ThisYear}-11-20T02:00:00Z";
        json["metadata"]!["periodStart"] = $"{ThisYear}-01-01";
        json["metadata"]!["periodEnd"] = $"{ThisYear}-12-31";
        var refused = await importer.ImportAsync(json.ToJsonString(), null, CancellationToken.None);
        Assert.False(refused.Imported);
        Assert.Equal([$"{ThisYear}年度的统计期到{ThisYear}年12月31日才结束（北京时间），统计期结束前不能导入该年度的已发布报告"], refused.Problems);
    }

    [Fact]
    public async Task A_report_first_published_after_its_deadline_says_so_on_its_public_page()
    {
        var late = await NewAgencyAsync();
        var (permalink, problems) = await ArchiveAsync(late, Fixture002(), new DateOnly(2023, 2, 15));
        Assert.True(permalink is not null, string.Join("; ", problems));
        var page = await FormPage.GetAsync(app.Factory.CreateClient(), permalink!);
        Assert.Equal("逾期发布：首次发布于2023年2月15日，发布期限为2023年1月31日（《政府信息公开条例》第四十九条：县级以上人民政府部门每年1月31日前），逾期15天",
            page.Document.GetElementById("report-timeliness")!.TextContent.Trim());

        var onTime = await NewAgencyAsync();
        var inTime = await ArchiveAsync(onTime, Fixture002(), new DateOnly(2023, 1, 20));
        var timely = await FormPage.GetAsync(app.Factory.CreateClient(), inTime.Permalink!);
        Assert.DoesNotContain("逾期", timely.Document.GetElementById("report-timeliness")!.TextContent);
    }

    [Fact]
    public async Task A_local_deadline_later_than_the_statute_is_refused_naming_article_49_and_an_earlier_one_is_saved()
    {
        var admin = await app.ClientAsync("admin");
        var page = await FormPage.GetAsync(admin, "/admin/regions");
        await using var db = app.Db();
        var county = await db.Regions.SingleAsync(r => r.Name == "获嘉县");
        const string form = "form[action*='handler=Deadline']";
        var later = await page.PostAsync(admin, "/admin/regions", new Dictionary<string, string>
        {
            ["NewDeadline.RegionId"] = county.Id.ToString(), ["NewDeadline.Kind"] = "Department", ["NewDeadline.Date"] = "4-15",
        }, form, "Deadline");
        Assert.Contains("地方期限只能早于法定期限：《政府信息公开条例》第四十九条：县级以上人民政府部门每年1月31日前，不能晚于次年1月31日", later.Text);
        Assert.False(await db.DeadlineOverrides.AnyAsync(o => o.RegionId == county.Id && o.Kind == AgencyKind.Department));

        var earlier = await page.PostAsync(admin, "/admin/regions", new Dictionary<string, string>
        {
            ["NewDeadline.RegionId"] = county.Id.ToString(), ["NewDeadline.Kind"] = "Department", ["NewDeadline.Date"] = "1-20",
        }, form, "Deadline");
        Assert.Contains("发布期限已设定", earlier.Text);
        var saved = await db.DeadlineOverrides.SingleAsync(o => o.RegionId == county.Id && o.Kind == AgencyKind.Department);
        Assert.Equal((1, 20), (saved.Month, saved.Day));
        db.DeadlineOverrides.Remove(saved);
        await db.SaveChangesAsync();
    }
}
