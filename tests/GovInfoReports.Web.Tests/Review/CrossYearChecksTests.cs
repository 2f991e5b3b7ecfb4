using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Entry;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Review;

/// <summary>Issue 11: the checks that look at last year's report (X1, X2, X6), the in-year plausibility of 现行有效 (C8) and
/// the content rules (N12, N10), each tried as a clerk would meet them, with the values typed by hand.</summary>
public sealed class CrossYearChecksTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static int _agencies = 4_200_000;

    /// <summary>A new agency under 获嘉县人民政府 (so the demo reviewer covers it) with a clerk of its own, signed in.</summary>
    private async Task<(int AgencyId, HttpClient Clerk)> NewAgencyAsync(AgencyKind kind = AgencyKind.Department)
    {
        var number = Interlocked.Increment(ref _agencies);
        var name = $"获嘉县测试局{number}";
        await using (var db = app.Db())
        {
            var government = await db.Agencies.Include(a => a.Region).SingleAsync(a => a.Name == "获嘉县人民政府");
            db.Agencies.Add(new Agency(UnifiedSocialCreditCode.Complete($"11410724MB{number:D7}"), name, kind, government.Region, government, mayMakeRules: false));
            await db.SaveChangesAsync();
        }
        var (user, password) = await app.NewUserAsync("crossyear", (AppRole.Clerk, name));
        await using var check = app.Db();
        return ((await check.Agencies.SingleAsync(a => a.Name == name)).Id, await app.ClientAsync(user, password));
    }

    /// <summary>新建报告 through the form (last year's 结转下年度 is taken into 上年结转 as the form does); returns the report id.</summary>
    private async Task<int> CreateAsync(HttpClient clerk, int agencyId, int year)
    {
        var page = await FormPage.GetAsync(clerk, "/entry");
        await page.PostAsync(clerk, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = agencyId.ToString(), ["Input.Year"] = year.ToString() });
        await using var db = app.Db();
        return await db.Reports.Where(r => r.AgencyId == agencyId && r.Year == year).Select(r => r.Id).SingleAsync();
    }

    /// <summary>Types cells into a section's form and saves it, as the clerk does.</summary>
    private static async Task<FormPage> TypeAsync(HttpClient clerk, int id, string section, params (string Cell, string Value)[] cells)
    {
        var url = $"/entry/{id}/{section}";
        var page = await FormPage.GetAsync(clerk, url);
        return await page.PostAsync(clerk, url, cells.ToDictionary(c => FormPage.Cell(c.Cell), c => c.Value));
    }

    private async Task<ReportState> StateAsync(int id)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ReportEditor>().LoadAsync(id, CancellationToken.None))!;
    }

    private static readonly string[] CrossYearRules = ["X1", "X2", "X3", "X6", "C8"];

    private async Task<List<string>> CrossYearKeysAsync(int id) =>
        (await StateAsync(id)).Violations.Where(v => CrossYearRules.Contains(v.RuleId)).Select(v => v.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Publishes a report as it stands, as version 1 on the given day (its numbers and texts frozen).</summary>
    private async Task PublishAsIsAsync(int id, DateOnly on)
    {
        await using var db = app.Db();
        var report = await db.Reports.Include(r => r.Cells).Include(r => r.Texts).Include(r => r.Agency).ThenInclude(a => a.Region)
            .AsSplitQuery().SingleAsync(r => r.Id == id);
        var at = BeijingTime.StartOf(on);
        report.ImportPublished(1, at, null, null, at);
        await db.SaveChangesAsync();
        db.Snapshots.Add(ReportSnapshot.Of(report, SnapshotKind.Publication, 1, null, at));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Five_consecutive_years_entered_through_the_forms_flag_exactly_the_continuity_breaks_their_numbers_contain()
    {
        var (agency, clerk) = await NewAgencyAsync();
        // year: 本年新收, 上年结转 (null: as the form prefilled it), 予以公开, 结转下年度 (自然人); 行政规范性文件 制发, 废止, 现行有效.
        var chain = new (int Year, string New, string? CarryIn, string Disclosed, string CarryOut, string Issued, string Repealed, string InForce)[]
        {
            (2021, "10", "0", "8", "2", "5", "0", "20"),
            (2022, "6", null, "7", "1", "3", "1", "22"),   // 上年结转 2 prefilled; 20 + 3 − 1 = 22
            (2023, "5", "0", "5", "0", "2", "0", "24"),    // 上年结转 typed over the prefilled 1: X1 breaks
            (2024, "4", null, "3", "1", "4", "0", "30"),   // 24 + 4 − 0 = 28, not 30: X2 breaks
            (2025, "2", null, "3", "0", "0", "2", "28"),   // 30 (as printed last year) + 0 − 2 = 28
        };
        var ids = new Dictionary<int, int>();
        foreach (var y in chain)
        {
            var id = ids[y.Year] = await CreateAsync(clerk, agency, y.Year);
            var apps = new List<(string, string)> { ("apps.new.np", y.New), ("apps.r1.np", y.Disclosed), ("apps.carry_out.np", y.CarryOut) };
            if (y.CarryIn is { } typed) apps.Add(("apps.carry_in.np", typed));
            await TypeAsync(clerk, id, "s3", [.. apps]);
            await TypeAsync(clerk, id, "s2", ("a20_1.rules.issued", "0"), ("a20_1.rules.repealed", "0"), ("a20_1.rules.in_force", "0"),
                ("a20_1.normative.issued", y.Issued), ("a20_1.normative.repealed", y.Repealed), ("a20_1.normative.in_force", y.InForce));
        }

        Assert.Empty(await CrossYearKeysAsync(ids[2021]));
        Assert.Empty(await CrossYearKeysAsync(ids[2022]));
        Assert.Equal(["X1:np"], await CrossYearKeysAsync(ids[2023]));
        Assert.Equal(["X2:normative"], await CrossYearKeysAsync(ids[2024]));
        Assert.Empty(await CrossYearKeysAsync(ids[2025]));

        var x1 = (await StateAsync(ids[2023])).Violations.Single(v => v.RuleId == "X1");
        Assert.Equal("表三 自然人列：二、上年结转0件，而2022年度报告（当前内容，草稿，尚未发布）的四、结转下年度继续办理为1件，相差1；上年结转应等于上年的结转下年度（如因机构改革等确有不同，请说明）", x1.Message);
        var x2 = (await StateAsync(ids[2024])).Violations.Single(v => v.RuleId == "X2");
        Assert.Equal("第二十条第（一）项 行政规范性文件行：现行有效件数（30）应等于上年现行有效件数（24）＋本年制发件数（4）－本年废止件数（0）＝28，相差2（上年数取自2023年度报告（当前内容，草稿，尚未发布））", x2.Message);
        // The clerk sees it on the form they typed it in, beside the other problems.
        Assert.Contains(x1.Message, (await FormPage.GetAsync(clerk, $"/entry/{ids[2023]}/s3")).Text);
    }

    [Fact]
    public async Task A_carry_in_typed_over_with_0_against_last_years_published_2_is_a_warning_that_blocks_submission_until_explained()
    {
        var (agency, clerk) = await NewAgencyAsync();
        var last = await CreateAsync(clerk, agency, 2023);
        // Last year: 自然人 8 new, 6 disclosed, 2 carried over (fixture 002's matrix otherwise).
        await app.FillFixture002Async(last, ("apps.r1.np", 4), ("apps.carry_out.np", 2));
        await PublishAsIsAsync(last, new DateOnly(2024, 1, 20));

        var id = await CreateAsync(clerk, agency, 2024);
        // Fixture 002 again, 行政规范性文件 continued from last year (23 + 6 = 29), but 上年结转 typed over with 0.
        await app.FillFixture002Async(id, ("apps.carry_in.np", 0), ("a20_1.normative.in_force", 29));
        var warning = Assert.Single((await StateAsync(id)).Violations, v => v.RuleId == "X1");
        Assert.Equal("X1:np", warning.Key);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("二、上年结转0件，而2023年度报告（已发布的第1版）的四、结转下年度继续办理为2件，相差2", warning.Message);

        var refused = await FormPage.PostHandlerAsync(clerk, $"/entry/{id}", "Submit");
        Assert.Contains("请填写说明：" + warning.Message, refused.Text);
        await using (var db = app.Db()) Assert.Equal(ReportStatus.Draft, (await db.Reports.SingleAsync(r => r.Id == id)).Status);

        var overview = await FormPage.GetAsync(clerk, $"/entry/{id}");
        await overview.PostAsync(clerk, $"/entry/{id}", new Dictionary<string, string> { ["Explanations[X1:np]"] = "2023年度结转的2件已于当年12月31日前办结，上年报告有误" },
            "#explain-form", "Submit");
        await using (var db = app.Db()) Assert.Equal(ReportStatus.Submitted, (await db.Reports.SingleAsync(r => r.Id == id)).Status);
    }

    [Fact]
    public async Task A_correction_of_last_years_published_report_is_what_the_rules_compare_with_from_then_on()
    {
        var (agency, clerk) = await NewAgencyAsync();
        var last = await CreateAsync(clerk, agency, 2023);
        await app.FillFixture002Async(last, ("apps.r1.np", 4), ("apps.carry_out.np", 2));
        await PublishAsIsAsync(last, new DateOnly(2024, 1, 20));
        var id = await CreateAsync(clerk, agency, 2024);
        await app.FillFixture002Async(id, ("apps.carry_in.np", 2), ("a20_1.normative.in_force", 29));
        // Read once through the page and the editor: version 1's cells are now kept in memory (by version).
        Assert.DoesNotContain("X1:np", await CrossYearKeysAsync(id));
        var (rules, _) = await (await FormPage.GetAsync(clerk, $"/entry/{id}/s3")).SectionRulesAsync(clerk);
        Assert.Equal("2023年度报告（已发布的第1版）", (string?)rules["previous"]!["description"]);

        // Last year's report is corrected and published again as version 2: 3 carried over, not 2.
        await using (var db = app.Db())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE report_cells SET value = 3 WHERE report_id = {last} AND cell_id = 'apps.carry_out.np'");
            await db.Database.ExecuteSqlAsync($"UPDATE report_cells SET value = 3 WHERE report_id = {last} AND cell_id = 'apps.r1.np'");
            var report = await db.Reports.Include(r => r.Cells).Include(r => r.Texts).Include(r => r.Agency).ThenInclude(a => a.Region)
                .AsSplitQuery().SingleAsync(r => r.Id == last);
            db.Snapshots.Add(ReportSnapshot.Of(report, SnapshotKind.Publication, 2, null, BeijingTime.StartOf(new DateOnly(2024, 3, 1))));
            await db.SaveChangesAsync();
        }

        var x1 = Assert.Single((await StateAsync(id)).Violations, v => v.RuleId == "X1");
        Assert.Contains("二、上年结转2件，而2023年度报告（已发布的第2版）的四、结转下年度继续办理为3件，相差1", x1.Message);
        var page = await FormPage.GetAsync(clerk, $"/entry/{id}/s3");
        Assert.Contains(x1.Message, page.Text);
        // The browser's live check compares with version 2 as well.
        var previous = (await page.SectionRulesAsync(clerk)).Rules["previous"]!;
        Assert.Equal("2023年度报告（已发布的第2版）", (string?)previous["description"]);
        Assert.Equal("3", (string?)previous["values"]!["apps.carry_out.np"]);
    }

    [Fact]
    public async Task A_prefill_that_went_stale_when_last_years_draft_changed_is_caught_by_the_same_rule()
    {
        var (agency, clerk) = await NewAgencyAsync();
        var last = await CreateAsync(clerk, agency, 2022);
        await TypeAsync(clerk, last, "s3", ("apps.new.np", "5"), ("apps.r1.np", "3"), ("apps.carry_out.np", "2"));
        var id = await CreateAsync(clerk, agency, 2023);
        await using (var db = app.Db())
            Assert.Equal(2m, (await db.Reports.Include(r => r.Cells).SingleAsync(r => r.Id == id)).CellValues()["apps.carry_in.np"]);
        Assert.Empty(await CrossYearKeysAsync(id));

        // Last year's clerk corrects it afterwards: 3 carried over, not 2.
        await TypeAsync(clerk, last, "s3", ("apps.r1.np", "2"), ("apps.carry_out.np", "3"));
        Assert.Equal(["X1:np"], await CrossYearKeysAsync(id));
        Assert.Contains("二、上年结转2件，而2022年度报告（当前内容，草稿，尚未发布）的四、结转下年度继续办理为3件，相差1",
            (await StateAsync(id)).Violations.Single(v => v.RuleId == "X1").Message);
    }

    [Fact]
    public async Task In_force_documents_that_do_not_continue_last_years_and_fewer_in_force_than_issued_are_warnings()
    {
        var (agency, clerk) = await NewAgencyAsync();
        var last = await CreateAsync(clerk, agency, 2022);
        await TypeAsync(clerk, last, "s2", ("a20_1.normative.issued", "6"), ("a20_1.normative.repealed", "1"), ("a20_1.normative.in_force", "50"));
        var id = await CreateAsync(clerk, agency, 2023);
        var page = await TypeAsync(clerk, id, "s2", ("a20_1.normative.issued", "5"), ("a20_1.normative.repealed", "0"), ("a20_1.normative.in_force", "10"));
        Assert.Equal(["X2:normative"], await CrossYearKeysAsync(id));
        Assert.Contains("现行有效件数（10）应等于上年现行有效件数（50）＋本年制发件数（5）－本年废止件数（0）＝55，相差45", page.Text);

        // Within one year: 8 issued, none repealed, 3 in force.
        var (other, otherClerk) = await NewAgencyAsync();
        var alone = await CreateAsync(otherClerk, other, 2023);
        await TypeAsync(otherClerk, alone, "s2", ("a20_1.normative.issued", "8"), ("a20_1.normative.repealed", "0"), ("a20_1.normative.in_force", "3"));
        Assert.Equal(["C8:normative"], await CrossYearKeysAsync(alone));
    }

    [Fact]
    public async Task Fees_typed_in_yuan_into_the_wan_yuan_cell_against_last_year_are_flagged_as_a_unit_mistake()
    {
        var (agency, clerk) = await NewAgencyAsync();
        var last = await CreateAsync(clerk, agency, 2022);
        await TypeAsync(clerk, last, "s2", ("a20_8.fees.amount", "45.4557"));
        var id = await CreateAsync(clerk, agency, 2023);
        await TypeAsync(clerk, id, "s2", ("a20_8.fees.amount", "454557"));
        var warning = Assert.Single((await StateAsync(id)).Violations, v => v.RuleId == "X6");
        Assert.Equal("第二十条第（八）项 行政事业性收费：本年454557万元，2022年度报告（当前内容，草稿，尚未发布）为45.4557万元，本年是上年的10000倍，可能误将元填为万元（本栏单位为万元）；如确实如此，请说明", warning.Message);
    }

    [Fact]
    public async Task Section_five_reading_just_wu_is_a_warning_and_a_governments_report_must_mention_assessment_appraisal_and_accountability()
    {
        var (agency, clerk) = await NewAgencyAsync();
        var id = await CreateAsync(clerk, agency, 2024);
        var url = $"/entry/{id}/s5";
        var page = await FormPage.GetAsync(clerk, url);
        page = await page.PostAsync(clerk, url, new Dictionary<string, string> { ["Input.Texts[s5.text]"] = "无。" });
        var n12 = Assert.Single((await StateAsync(id)).Violations, v => v.RuleId == "N12");
        Assert.Equal("五、存在的主要问题及改进情况只写了“无。”：年度报告应当写明政府信息公开工作存在的主要问题及改进情况，请写明问题和改进措施，或说明确无问题的理由", n12.Message);
        Assert.DoesNotContain((await StateAsync(id)).Violations, v => v.RuleId == "N10"); // a department's report need not

        var (town, townClerk) = await NewAgencyAsync(AgencyKind.Township);
        var townReport = await CreateAsync(townClerk, town, 2024);
        var oversight = $"/entry/{townReport}/s1";
        var form = await FormPage.GetAsync(townClerk, oversight);
        await form.PostAsync(townClerk, oversight, new Dictionary<string, string> { ["Input.Texts[s1.oversight]"] = "本镇将政务公开工作纳入年度考核，定期开展业务培训。" });
        var n10 = Assert.Single((await StateAsync(townReport)).Violations, v => v.RuleId == "N10");
        Assert.Equal("一、总体情况未提及社会评议、责任追究：各级人民政府的年度报告还应当包括工作考核、社会评议和责任追究结果情况，通常写在（五）监督保障", n10.Message);
    }
}
