using System.Net;
using System.Text;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Review;
using GovInfoReports.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Review;

/// <summary>The supervisor's region dashboard (辖区看板) and the reminders to clerks (issue 12, part 3), on a small tree of
/// its own: 测试县人民政府 (人民政府) with three 部门 in the county and a 乡镇 in 测试镇, whose county sets a local deadline for
/// 乡镇 (2月20日). For 2023: 教育局 published (after its deadline: late), 卫生健康委员会 submitted (overdue), 财政局 without a
/// report (overdue), 甲镇 a draft (due on 20 Feb, the local date), the government a draft (due 31 Mar).</summary>
public sealed class SupervisorDashboardTests(SupervisorDashboardTests.Fixture app) : IClassFixture<SupervisorDashboardTests.Fixture>
{
    public const string Government = "测试县人民政府";
    public const string Education = "测试县教育局";
    public const string Health = "测试县卫生健康委员会";
    public const string Finance = "测试县财政局";
    public const string Town = "测试县甲镇人民政府";
    public const string LocalBasis = "测试县规定：乡镇2月20日前发布年度报告";
    /// <summary>The year of the tree's known statuses (its deadlines, in 2024, are long past whenever this runs, so the
    /// published report is late whatever the day).</summary>
    public const int Year = 2023;

    public sealed class Fixture : AppFixture
    {
        public (string User, string Password) Supervisor { get; private set; }
        public (string User, string Password) EducationClerk { get; private set; }
        public (string User, string Password) FinanceClerk { get; private set; }
        public (string User, string Password) TownClerk { get; private set; }
        public IReadOnlyList<int> AgencyIds { get; private set; } = [];
        public int TownRegionId { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await using (var db = Db())
            {
                var city = await db.Regions.SingleAsync(r => r.Code == "410700");
                var cityGovernment = await db.Agencies.SingleAsync(a => a.Name == "新乡市人民政府");
                var county = new Region("410799", "测试县", RegionLevel.County, city);
                var town = new Region("410799100", "测试镇", RegionLevel.Township, county);
                db.Regions.AddRange(county, town);
                var government = new Agency(UnifiedSocialCreditCode.Complete("11410799MB0000011"), Government, AgencyKind.Government, county, cityGovernment, false);
                db.Agencies.Add(government);
                db.Agencies.Add(new Agency(UnifiedSocialCreditCode.Complete("11410799MB0000021"), Education, AgencyKind.Department, county, government, false));
                db.Agencies.Add(new Agency(UnifiedSocialCreditCode.Complete("11410799MB0000031"), Health, AgencyKind.Department, county, government, false));
                db.Agencies.Add(new Agency(UnifiedSocialCreditCode.Complete("11410799MB0000041"), Finance, AgencyKind.Department, county, government, false));
                db.Agencies.Add(new Agency(UnifiedSocialCreditCode.Complete("11410799MB0000051"), Town, AgencyKind.Township, town, government, false));
                db.DeadlineOverrides.Add(new DeadlineOverride(county, AgencyKind.Township, 2, 20, LocalBasis));
                await db.SaveChangesAsync();
                AgencyIds = await db.Agencies.Where(a => a.Name.StartsWith("测试县")).Select(a => a.Id).ToListAsync();
                TownRegionId = town.Id;
            }
            Supervisor = await NewUserAsync("testsup", (AppRole.Supervisor, Government));
            EducationClerk = await NewUserAsync("clerkedu", (AppRole.Clerk, Education));
            FinanceClerk = await NewUserAsync("clerkfin", (AppRole.Clerk, Finance));
            TownClerk = await NewUserAsync("clerktown", (AppRole.Clerk, Town));
            var healthClerk = await NewUserAsync("clerkhealth", (AppRole.Clerk, Health));

            var supervisor = await ClientAsync(Supervisor.User, Supervisor.Password);
            var published = await NewReportAsync(Year, Education);
            await FillFixture002Async(published);
            await FormPage.PostHandlerAsync(await ClientAsync(EducationClerk.User, EducationClerk.Password), $"/entry/{published}", "Submit");
            await FormPage.ConfirmHandlerAsync(supervisor, $"/review/{published}", "Approve");
            await FormPage.ConfirmHandlerAsync(supervisor, $"/review/{published}", "Publish");
            var submitted = await NewReportAsync(Year, Health);
            await FillFixture002Async(submitted);
            await FormPage.PostHandlerAsync(await ClientAsync(healthClerk.UserName, healthClerk.Password), $"/entry/{submitted}", "Submit");
            await NewReportAsync(Year, Town);
            await NewReportAsync(Year, Government);
            await using var check = Db();
            var statuses = await check.Reports.Where(r => r.Year == Year && AgencyIds.Contains(r.AgencyId)).Select(r => r.Status).ToListAsync();
            Assert.Equal([ReportStatus.Draft, ReportStatus.Draft, ReportStatus.Submitted, ReportStatus.Published], statuses.Order());
        }
    }

    /// <summary>10 February 2024 in Beijing: after the 部门' 31 January, ten days before the 乡镇' local 20 February.</summary>
    private static readonly DateOnly Today = new(2024, 2, 10);

    private async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> use)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider);
    }

    private Task<IReadOnlyList<DashboardUnit>> UnitsAsync(DashboardFilter filter, int offset = 0, int? limit = null) =>
        WithAsync(s => s.GetRequiredService<SupervisorDashboard>().UnitsAsync(app.AgencyIds, filter, offset, limit, CancellationToken.None));

    private static IEnumerable<string> Names(IEnumerable<DashboardUnit> units) => units.Select(u => u.Name);

    [Fact]
    public async Task Counts_per_status_overdue_due_soon_and_late_come_from_the_statuses_and_the_statutory_and_local_deadlines()
    {
        var filter = new DashboardFilter(Year, Today, 14);
        var counts = await WithAsync(s => s.GetRequiredService<SupervisorDashboard>().CountsAsync(app.AgencyIds, filter, CancellationToken.None));
        Assert.Equal(
            [new StatusCount(null, 1, 1, 0, 0), new StatusCount(ReportStatus.Draft, 2, 0, 1, 0),
             new StatusCount(ReportStatus.Submitted, 1, 1, 0, 0), new StatusCount(ReportStatus.Published, 1, 0, 0, 1)],
            counts);
        Assert.Equal(5, SupervisorDashboard.Total(counts, filter));
        Assert.Equal(2, SupervisorDashboard.Total(counts, filter with { Due = SupervisorDashboard.Overdue }));

        var units = (await UnitsAsync(filter)).ToDictionary(u => u.Name);
        // Overdue first (by deadline, then name), then due soon, then the rest by deadline.
        Assert.Equal([Health, Finance, Town, Education, Government], Names(await UnitsAsync(filter)));
        Assert.Equal((new DateOnly(2024, 2, 20), LocalBasis), (units[Town].Due, units[Town].Basis));
        Assert.Equal(new DateOnly(2024, 1, 31), units[Finance].Due);
        Assert.Contains("第四十九条", units[Finance].Basis);
        Assert.Equal(new DateOnly(2024, 3, 31), units[Government].Due);
        Assert.True(units[Finance].Overdue && units[Health].Overdue && !units[Education].Overdue);
        Assert.True(units[Town].DueSoon && !units[Government].DueSoon);
        Assert.True(units[Education].Late);
        Assert.Equal(BeijingTime.Day(DateTimeOffset.UtcNow), units[Education].PublishedOn);
        Assert.Null(units[Finance].Status);
        Assert.Null(units[Finance].LastActivity);
        Assert.NotNull(units[Health].LastActivity);
        Assert.Equal("已逾期10天", DashboardModel.DeadlineState(units[Finance], Today));
        Assert.Equal("还剩10天", DashboardModel.DeadlineState(units[Town], Today));
        Assert.StartsWith("逾期发布", DashboardModel.DeadlineState(units[Education], Today));

        // A shorter window leaves the local deadline out of 即将到期; on the day itself it is due, the day after overdue.
        Assert.Empty(await UnitsAsync(filter with { DueSoonDays = 7, Due = SupervisorDashboard.DueSoon }));
        Assert.Equal([Town], Names(await UnitsAsync(filter with { Today = new DateOnly(2024, 2, 20), Due = SupervisorDashboard.DueSoon })));
        Assert.Equal([Health, Finance, Town], Names(await UnitsAsync(filter with { Today = new DateOnly(2024, 2, 21), Due = SupervisorDashboard.Overdue })));
    }

    [Fact]
    public async Task Filters_select_by_status_deadline_state_region_with_the_regions_below_it_kind_and_name_and_pages_are_slices()
    {
        var filter = new DashboardFilter(Year, Today, 14);
        Assert.Equal([Town, Government], Names(await UnitsAsync(filter with { Status = nameof(ReportStatus.Draft) })));
        Assert.Equal([Finance], Names(await UnitsAsync(filter with { Status = SupervisorDashboard.NoReport })));
        Assert.Equal([Health, Finance], Names(await UnitsAsync(filter with { Due = SupervisorDashboard.Overdue })));
        Assert.Equal([Education], Names(await UnitsAsync(filter with { Due = SupervisorDashboard.Late })));
        Assert.Equal([Town], Names(await UnitsAsync(filter with { RegionId = app.TownRegionId })));
        await using (var db = app.Db())
        {
            var county = await db.Regions.SingleAsync(r => r.Code == "410799");
            Assert.Equal(5, (await UnitsAsync(filter with { RegionId = county.Id })).Count);
        }
        Assert.Equal([Town], Names(await UnitsAsync(filter with { Kind = AgencyKind.Township })));
        Assert.Equal([Health], Names(await UnitsAsync(filter with { Query = "卫生" })));
        Assert.Empty(await UnitsAsync(filter with { Query = "%" }));
        Assert.Equal([Finance], Names(await UnitsAsync(filter with { Status = SupervisorDashboard.NoReport, Due = SupervisorDashboard.Overdue, Kind = AgencyKind.Department })));

        Assert.Equal([Health, Finance], Names(await UnitsAsync(filter, 0, 2)));
        Assert.Equal([Town, Education], Names(await UnitsAsync(filter, 2, 2)));
        Assert.Equal([Government], Names(await UnitsAsync(filter, 4, 2)));
    }

    [Fact]
    public async Task Reminders_go_once_per_unit_kind_and_day_to_the_clerks_of_due_and_overdue_units_not_yet_submitted()
    {
        var year = Year;
        var now = BeijingTime.StartOf(Today).AddHours(9);
        Task<ReminderResult> SendAsync(DateTimeOffset at) =>
            WithAsync(s => s.GetRequiredService<ReminderService>().SendAsync(at, year, app.AgencyIds, 14, null, CancellationToken.None));

        // 财政局 (no report, overdue) and 甲镇 (draft, due in 10 days); not 卫生健康委员会 (submitted), 教育局 (published) or the
        // government (due on 31 March).
        Assert.Equal(new ReminderResult(2, 2, 2, 0, 0), await SendAsync(now));
        Assert.Equal(new ReminderResult(2, 0, 0, 2, 0), await SendAsync(now.AddHours(5)));
        await using (var db = app.Db())
        {
            var sent = await db.Reminders.Where(m => m.Year == year && app.AgencyIds.Contains(m.AgencyId)).Include(m => m.Agency).Include(m => m.Recipients).ToListAsync();
            Assert.Equal([(Town, ReminderKind.DueSoon), (Finance, ReminderKind.Overdue)],
                sent.Select(m => (m.Agency.Name, m.Kind)).OrderBy(x => x.Kind).ToList());
            var town = sent.Single(m => m.Agency.Name == Town);
            Assert.Equal((Today, new DateOnly(2024, 2, 20), LocalBasis), (town.Day, town.Deadline, town.DeadlineBasis));
            var townClerk = await db.Users.SingleAsync(u => u.UserName == app.TownClerk.User);
            Assert.Equal([townClerk.Id], town.Recipients.Select(r => r.UserId));
        }
        // The next day is another day: each unit is reminded again.
        Assert.Equal(new ReminderResult(2, 2, 2, 0, 0), await SendAsync(now.AddDays(1)));
        // Once the 部门' deadline is far behind and the window does not reach the town's, the town is not due yet.
        Assert.Equal(1, (await WithAsync(s => s.GetRequiredService<ReminderService>().SendAsync(now.AddDays(2), year, app.AgencyIds, 3, null, CancellationToken.None))).Due);
    }

    /// <summary>A clock that stands still at one instant (timers still run on real time).</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task The_scheduled_job_reminds_the_due_and_overdue_units_of_the_current_report_year_on_its_own()
    {
        // 15 February 2024 in Beijing: the 2023 reports are the current ones; 甲镇's local 20 February is within 7 days.
        var day = new DateOnly(2024, 2, 15);
        await using var withJob = app.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Reminders:Enabled", "true");
            b.UseSetting("Reminders:DueWithinDays", "7");
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new StoppedClock(BeijingTime.StartOf(day).AddHours(8))));
        });
        _ = withJob.Server; // starts the host and its hosted services
        List<(string Name, ReminderKind Kind, string? SentBy)> sent = [];
        for (var waited = 0; waited < 60 && sent.Count < 2; waited++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            await using var db = app.Db();
            sent = (await db.Reminders.Where(m => m.Day == day && m.Year == Year && app.AgencyIds.Contains(m.AgencyId))
                .Select(m => new { m.Agency.Name, m.Kind, m.SentBy }).ToListAsync()).Select(m => (m.Name, m.Kind, m.SentBy)).ToList();
        }
        Assert.Equal([(Town, ReminderKind.DueSoon, null), (Finance, ReminderKind.Overdue, null)], sent.OrderBy(m => m.Kind).ToList());
    }

    [Fact]
    public async Task Send_reminders_from_the_dashboard_records_them_once_and_each_clerk_sees_only_their_units()
    {
        // 2012: every unit of the tree is long overdue and has no report; all but the government have a clerk.
        var supervisor = await app.ClientAsync(app.Supervisor.User, app.Supervisor.Password);
        var page = await FormPage.GetAsync(supervisor, "/review/dashboard?Year=2012");
        var first = await page.PostAsync(supervisor, "/review/dashboard", new Dictionary<string, string>(), "form[action*='handler=Remind']", "Remind");
        Assert.Contains("已向 4 个单位的 4 名填报员发送提醒；1 个单位没有填报员，无法提醒。", first.Document.GetElementById("remind-notice")!.TextContent);
        var townRow = first.Document.QuerySelector($"#units tr[data-agency='{await AgencyIdAsync(Town)}']")!.TextContent;
        Assert.Contains("已逾期", townRow);
        Assert.Contains("1人", townRow);
        var again = await page.PostAsync(supervisor, "/review/dashboard", new Dictionary<string, string>(), "form[action*='handler=Remind']", "Remind");
        Assert.Contains("已向 0 个单位的 0 名填报员发送提醒；4 个单位今天已提醒过，未重复发送；1 个单位没有填报员，无法提醒。", again.Document.GetElementById("remind-notice")!.TextContent);

        // A filter narrows who is reminded: only the filtered units (here 乡镇) count.
        var filtered = await FormPage.GetAsync(supervisor, "/review/dashboard?Year=2012&Kind=Township");
        var narrowed = await filtered.PostAsync(supervisor, "/review/dashboard", new Dictionary<string, string>(), "form[action*='handler=Remind']", "Remind");
        Assert.Contains("1 个单位今天已提醒过", narrowed.Document.GetElementById("remind-notice")!.TextContent);

        var town = await FormPage.GetAsync(await app.ClientAsync(app.TownClerk.User, app.TownClerk.Password), "/entry");
        var notices = town.Document.QuerySelectorAll("#reminders li").Select(li => li.TextContent).ToList();
        var notice = Assert.Single(notices);
        Assert.Contains($"{Town} 2012年度报告（尚未创建）", notice);
        Assert.Contains("已逾期", notice);
        Assert.Contains(LocalBasis, notice);
        var finance = await FormPage.GetAsync(await app.ClientAsync(app.FinanceClerk.User, app.FinanceClerk.Password), "/entry");
        Assert.Contains(Finance, finance.Document.GetElementById("reminders")!.TextContent);
        Assert.DoesNotContain(Town, finance.Document.GetElementById("reminders")!.TextContent);
        // The demo's clerk of another county sees none of them.
        Assert.Null((await FormPage.GetAsync(await app.ClientAsync("edu"), "/entry")).Document.GetElementById("reminders"));

        // 标为已读 removes it from that clerk's page only.
        var townClient = await app.ClientAsync(app.TownClerk.User, app.TownClerk.Password);
        var read = await (await FormPage.GetAsync(townClient, "/entry")).PostAsync(townClient, "/entry", new Dictionary<string, string>(), "#reminders form", "Read");
        Assert.Null(read.Document.GetElementById("reminders"));
        Assert.NotNull((await FormPage.GetAsync(await app.ClientAsync(app.FinanceClerk.User, app.FinanceClerk.Password), "/entry")).Document.GetElementById("reminders"));
    }

    [Fact]
    public async Task The_dashboard_shows_the_supervisors_subtree_only_and_is_refused_to_a_clerk()
    {
        var supervisor = await app.ClientAsync(app.Supervisor.User, app.Supervisor.Password);
        var page = await FormPage.GetAsync(supervisor, $"/review/dashboard?Year={Year}");
        Assert.Equal(HttpStatusCode.OK, page.Response.StatusCode);
        var units = page.Document.QuerySelectorAll("#units tbody tr").Select(r => r.QuerySelector("td")!.TextContent.Trim()).ToList();
        Assert.Equal(5, units.Count);
        Assert.All(units, name => Assert.StartsWith("测试县", name));
        Assert.Equal("1", page.Document.QuerySelector("#counts tr[data-status='Published'] td")!.TextContent.Trim());
        Assert.Equal("5", page.Document.QuerySelector("#counts tfoot td")!.TextContent.Trim());
        Assert.Contains(LocalBasis, page.Document.QuerySelector($"#units tr[data-agency='{await AgencyIdAsync(Town)}']")!.TextContent);
        Assert.Contains("逾期发布", page.Document.QuerySelector($"#units tr[data-agency='{await AgencyIdAsync(Education)}']")!.TextContent);

        // The demo reviewer supervises 获嘉县: none of the test county's units.
        var reviewer = await FormPage.GetAsync(await app.ClientAsync("reviewer"), $"/review/dashboard?Year={Year}");
        Assert.DoesNotContain("测试县", reviewer.Document.GetElementById("units")!.TextContent);
        Assert.Contains("获嘉县教育局", reviewer.Document.GetElementById("units")!.TextContent);

        var clerk = await app.ClientAsync(app.TownClerk.User, app.TownClerk.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.GetAsync("/review/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.GetAsync("/review/dashboard?handler=Csv")).StatusCode);
    }

    [Fact]
    public async Task A_bad_filter_value_gets_a_message_beside_its_field_and_keeps_the_others()
    {
        var supervisor = await app.ClientAsync(app.Supervisor.User, app.Supervisor.Password);
        var page = await FormPage.GetAsync(supervisor, $"/review/dashboard?Year={Year}&Days=abc&Kind=Township");
        Assert.Equal("请输入1到366之间的整数天数", page.Document.GetElementById("f-days-error")!.TextContent.Trim());
        Assert.Equal("abc", page.Document.GetElementById("f-days")!.GetAttribute("value"));
        Assert.Equal("Township", page.Document.QuerySelector("#f-kind option[selected]")!.GetAttribute("value"));
        Assert.Equal([Town], page.Document.QuerySelectorAll("#units tbody tr").Select(r => r.QuerySelector("td")!.TextContent.Trim()));
    }

    [Fact]
    public async Task The_csv_export_holds_the_filtered_units_in_utf8_with_a_bom_and_chinese_columns()
    {
        var supervisor = await app.ClientAsync(app.Supervisor.User, app.Supervisor.Password);
        var response = await supervisor.GetAsync($"/review/dashboard?handler=Csv&Year={Year}&Kind=Department");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(l => l.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal("机关名称,统一社会信用代码,类别,所在地区,报告状态,发布期限,期限依据,期限情况,首次发布日期,最后活动时间（北京时间）,最近提醒,最近提醒时间（北京时间）", lines[0]);
        Assert.Equal(4, lines.Count); // the three 部门, no 乡镇 or 人民政府
        var finance = lines.Single(l => l.StartsWith(Finance, StringComparison.Ordinal)).Split(',');
        Assert.Equal(["部门", "测试县", "未填报", "2024-01-31"], finance[2..6]);
        Assert.StartsWith("已逾期", finance[7]);
        var education = lines.Single(l => l.StartsWith(Education, StringComparison.Ordinal)).Split(',');
        Assert.Equal("已发布", education[4]);
        Assert.StartsWith("逾期发布", education[7]);
        Assert.Equal(BeijingTime.Day(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd"), education[8]);
    }

    private async Task<int> AgencyIdAsync(string name)
    {
        await using var db = app.Db();
        return await db.Agencies.Where(a => a.Name == name).Select(a => a.Id).SingleAsync();
    }
}
