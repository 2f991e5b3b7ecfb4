using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using GovInfoReports.Web.Tests.Support;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GovInfoReports.Web.Tests.Accessibility;

/// <summary>Issue 9 part 9, "accessibility measured": axe-core (Deque.AxeCore.Playwright, which embeds axe.min.js,
/// so nothing is fetched at test time) runs in headless Chromium on every Razor page for every role that can open
/// it, in the states people meet (search with results, a section with live errors, a refused submission, the
/// review's return dialog and confirmations, each form's validation errors). No page may have a violation of
/// impact serious or critical; moderate and minor ones are written to the test output (and
/// <c>axe/summary.txt</c> beside the test assembly) for the record. Every <c>details</c> is opened before axe runs,
/// so what a click reveals is checked too.</summary>
[Collection("Browser")]
public sealed class AxeTests(AxeTests.Fixture app, ITestOutputHelper output) : IClassFixture<AxeTests.Fixture>
{
    public const string Anonymous = "公众";
    public const string Clerk = "填报员";
    public const string PublishedClerk = "填报员（已发布的报告）";
    public const string Reviewer = "审核员";
    public const string Admin = "管理员";

    /// <summary>One page in one state for one role. <paramref name="Route"/> is the Razor page's route template,
    /// so <see cref="Every_razor_page_is_checked_for_some_role_or_says_why_not"/> can prove none is forgotten;
    /// <paramref name="Status"/> is the HTTP status the address answers with (a status page keeps the address).</summary>
    public sealed record PageCase(string Role, string Name, string Route, Func<Fixture, string> Url, Func<IPage, Task>? Prepare = null, int Status = 200);

    /// <summary>Pages no case opens, each with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotChecked = new Dictionary<string, string>
    {
        // OnGet redirects to / (checked); OnPost signs out and redirects. It has no markup of its own.
        ["account/logout"] = "GET redirects to the home page and POST signs out: the page renders nothing",
    };

    public static readonly IReadOnlyList<PageCase> Cases =
    [
        // The public, without an account.
        new(Anonymous, "home", "", _ => "/"),
        new(Anonymous, "search-with-results", "search", _ => "/search?q=获嘉"),
        new(Anonymous, "search-without-results", "search", _ => "/search?q=不存在的机关名称"),
        new(Anonymous, "report-2021-format-latest", "reports/{agencyCode}/{year:int}/{version?}", f => $"/reports/{f.CountyCode}/2024"),
        new(Anonymous, "report-2021-format-v1", "reports/{agencyCode}/{year:int}/{version?}", f => $"/reports/{f.CountyCode}/2024/v1"),
        new(Anonymous, "report-2019-format", "reports/{agencyCode}/{year:int}/{version?}", f => $"/reports/{f.CountyCode}/2020"),
        new(Anonymous, "report-pre-2019-format", "reports/{agencyCode}/{year:int}/{version?}", f => $"/reports/{f.CountyCode}/2016"),
        new(Anonymous, "regions", "regions/{regionCode?}", _ => "/regions"),
        new(Anonymous, "region-county", "regions/{regionCode?}", f => $"/regions/{f.CountyRegionCode}"),
        new(Anonymous, "region-year", "regions/{regionCode}/{year:int}", f => $"/regions/{f.CountyRegionCode}/2024"),
        new(Anonymous, "region-year-sorted-share-chart", "regions/{regionCode}/{year:int}", f => $"/regions/{f.CountyRegionCode}/2024?sort=received&order=desc&chart=disclosedShare"),
        new(Anonymous, "agency", "agencies/{agencyCode}", f => $"/agencies/{f.CountyCode}"),
        new(Anonymous, "login", "account/login", _ => "/account/login"),
        new(Anonymous, "login-refused", "account/login", _ => "/account/login", async page =>
        {
            await page.Locator("#user").FillAsync("nobody");
            await page.Locator("#password").FillAsync("wrong-password-1");
            await page.Locator("button[type=submit].primary").ClickAsync();
            await page.Locator("#login-error").WaitForAsync();
        }),
        new(Anonymous, "status-404", "status/{code:int}", _ => "/no-such-page", Status: 404),
        new(Anonymous, "error", "Error", _ => "/Error"),

        // The clerk (edu, 获嘉县教育局): a 2021-format, a 2019-format and a pre-2019 draft.
        new(Clerk, "entry-list", "entry", _ => "/entry"),
        new(Clerk, "overview-2021", "entry/{reportId:int}", f => $"/entry/{f.Draft2021}"),
        new(Clerk, "metadata-2021", "entry/{reportId:int}/meta", f => $"/entry/{f.Draft2021}/meta"),
        new(Clerk, "section-2021-s1-narrative", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.Draft2021}/s1"),
        new(Clerk, "section-2021-s2-tables", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.Draft2021}/s2"),
        new(Clerk, "section-2021-s3-live-error", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.Draft2021}/s3", async page =>
        {
            // Unbalances 表三 in the browser only (nothing is saved): the live A1 error and its marked cells show.
            await page.Locator("#c-apps-r1-np").FillAsync("7");
            await page.Locator("#violations li").First.WaitForAsync();
        }),
        new(Clerk, "section-2021-s3-saved-with-bad-input", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.Draft2021}/s3", async page =>
        {
            // A cell that cannot be a number: the server keeps the stored value and shows the text with its message.
            await page.Locator("#c-apps-r1-np").FillAsync("六件");
            await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
            await page.Locator(".field-error:not(:empty), .cell-error:not(:empty)").First.WaitForAsync();
        }),
        new(Clerk, "section-2021-s4-tables", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.Draft2021}/s4"),
        new(Clerk, "section-2021-s5-narrative", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.Draft2021}/s5"),
        new(Clerk, "preview-2021", "entry/{reportId:int}/preview", f => $"/entry/{f.Draft2021}/preview"),
        new(Clerk, "submission-refused-warning-needs-explanation", "entry/{reportId:int}", f => $"/entry/{f.WithWarning}", async page =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "提交审核", Exact = true }).ClickAsync();
            await page.GetByText("请填写说明").First.WaitForAsync();
        }),
        new(Clerk, "section-returned-with-comment", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.Returned}/s3"),
        new(Clerk, "overview-returned", "entry/{reportId:int}", f => $"/entry/{f.Returned}"),
        new(Clerk, "overview-2019", "entry/{reportId:int}", f => $"/entry/{f.Draft2019}"),
        new(Clerk, "section-2019-s2-not-applicable-cells", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.Draft2019}/s2"),
        new(Clerk, "section-2019-s3-tables", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.Draft2019}/s3"),
        new(Clerk, "section-2019-s4-tables", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.Draft2019}/s4"),
        new(Clerk, "metadata-2019", "entry/{reportId:int}/meta", f => $"/entry/{f.Draft2019}/meta"),
        new(Clerk, "overview-pre-2019", "entry/{reportId:int}", f => $"/entry/{f.DraftPre2019}"),
        new(Clerk, "section-pre-2019-s1-outline", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.DraftPre2019}/s1"),
        new(Clerk, "section-pre-2019-s2-key-figures", "entry/{reportId:int}/{sectionId}", f => $"/entry/{f.DraftPre2019}/s2"),
        new(Clerk, "preview-pre-2019", "entry/{reportId:int}/preview", f => $"/entry/{f.DraftPre2019}/preview"),
        // The same form for every signed-in role; each role's header (its menu) is checked on each of its pages.
        new(Clerk, "import-start", "import", _ => "/import"),
        new(Clerk, "import-start-refused", "import", _ => "/import", async page =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "读取并预览", Exact = true }).ClickAsync();
            await page.Locator("#upload-error .field-validation-error").WaitForAsync();
        }),
        new(Clerk, "import-preview-ambiguous-and-unbalanced", "import/{id:int}", f => $"/import/{f.Import}"),
        new(Clerk, "password", "account/password", _ => "/account/password"),
        new(Clerk, "status-403", "status/{code:int}", _ => "/admin", Status: 403),

        // A clerk whose agency has published reports (county): versions and the correction form.
        new(PublishedClerk, "entry-list", "entry", _ => "/entry"),
        new(PublishedClerk, "overview-published-with-correction-form", "entry/{reportId:int}", f => $"/entry/{f.Published2023}"),
        new(PublishedClerk, "consolidation-of-the-county-report", "entry/{reportId:int}/consolidation", f => $"/entry/{f.Published2023}/consolidation"),

        // The reviewer (reviewer, 获嘉县人民政府 and below).
        new(Reviewer, "review-queue-and-dashboard", "review", _ => "/review"),
        new(Reviewer, "region-dashboard", "review/dashboard", _ => "/review/dashboard?Year=2023"),
        new(Reviewer, "region-dashboard-bad-filter", "review/dashboard", _ => "/review/dashboard?Days=abc&Due=overdue"),
        new(Reviewer, "review-with-diff-and-return-dialog", "review/{reportId:int}", f => $"/review/{f.Resubmitted}"),
        new(Reviewer, "review-return-refused-without-reason", "review/{reportId:int}", f => $"/review/{f.Resubmitted}", async page =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "退回修改", Exact = true }).ClickAsync();
            await page.Locator("#reason-error:not(:empty)").WaitForAsync();
        }),
        new(Reviewer, "review-approved-publish-confirmation", "review/{reportId:int}", f => $"/review/{f.Approved}"),
        new(Reviewer, "review-published", "review/{reportId:int}", f => $"/review/{f.Published2023}"),
        new(Reviewer, "review-similarity-side-by-side", "review/{reportId:int}", f => $"/review/{f.Similar}"),
        new(Reviewer, "audit", "review/{reportId:int}/audit", f => $"/review/{f.Resubmitted}/audit"),
        new(Reviewer, "entry-list", "entry", _ => "/entry"),

        // The administrator.
        new(Admin, "admin-home", "admin", _ => "/admin"),
        new(Admin, "users", "admin/users", _ => "/admin/users"),
        new(Admin, "users-create-refused", "admin/users", _ => "/admin/users", async page =>
        {
            await page.Locator("form[action*='handler=Create'] button[type=submit]").ClickAsync();
            await page.Locator("form[action*='handler=Create'] .field-error:not(:empty)").First.WaitForAsync();
        }),
        new(Admin, "agencies", "admin/agencies", _ => "/admin/agencies"),
        new(Admin, "agency-edit", "admin/agencies", f => $"/admin/agencies?edit={f.EduAgencyId}"),
        new(Admin, "regions-and-deadlines", "admin/regions", _ => "/admin/regions"),
        new(Admin, "import", "admin/import", _ => "/admin/import"),
        new(Admin, "entry-list", "entry", _ => "/entry"),
    ];

    public static TheoryData<string, string> CaseNames()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in Cases) data.Add(c.Role, c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task The_page_has_no_serious_or_critical_axe_violation(string role, string name)
    {
        var pageCase = Cases.Single(c => c.Role == role && c.Name == name);
        var page = await app.PageAsync(role);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var url = pageCase.Url(app);
        var response = await page.GotoAsync(url);
        // Checking the login page instead of the one asked for (a lost session, a refused grant) would pass
        // for the wrong reason: the page must be the one asked for, answering as expected.
        Assert.Equal(pageCase.Status, response!.Status);
        if (pageCase.Prepare is { } prepare) await prepare(page);
        Assert.Equal(new Uri(new Uri("http://x"), url).AbsolutePath, new Uri(page.Url).AbsolutePath);
        await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)");
        var opened = clock.Elapsed;

        // Every rule runs; only violations carry all their nodes (passes and needs-review stop at the first),
        // which roughly halves axe's time on the large section tables.
        var result = await page.RunAxe(new AxeRunOptions { ResultTypes = [ResultType.Violations] });

        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        var summary = $"{role} {name} {new Uri(page.Url).PathAndQuery}: "
            + string.Join(", ", new[] { "critical", "serious", "moderate", "minor" }
                .Select(i => $"{i} {result.Violations.Where(v => v.Impact == i).Sum(v => v.Nodes.Length)}"))
            + $"; needs review: {(result.Incomplete.Length == 0 ? "-" : string.Join(" ", result.Incomplete.Select(i => i.Id)))}"
            + $"; page {opened.TotalSeconds:0.0} s, axe {(clock.Elapsed - opened).TotalSeconds:0.0} s"
            + string.Concat(result.Violations.Select(v => $"\n  {v.Impact} {v.Id} ×{v.Nodes.Length}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target))}"));
        output.WriteLine(summary);
        Fixture.Record(summary);
        Assert.True(blocking.Count == 0, $"axe found serious or critical violations on {page.Url} as {role}:\n" + Describe(blocking));
    }

    [Fact]
    public void Every_razor_page_is_checked_for_some_role_or_says_why_not()
    {
        var routes = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null || e.Metadata.Any(m => m.GetType().Name == "PageRouteMetadata"))
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => r != "Index") // the home page's second route (PublishingRegistration), same page as ""
            .ToHashSet();
        Assert.NotEmpty(routes);
        var covered = Cases.Select(c => c.Route).Concat(NotChecked.Keys).ToHashSet();
        Assert.Empty(routes.Except(covered));
        Assert.Empty(covered.Except(routes)); // no case names a route the app does not have
    }

    private static string Describe(IEnumerable<AxeResultItem> violations) => string.Join("\n", violations.Select(v =>
        $"- {v.Id} ({v.Impact}): {v.Help} {v.HelpUrl}\n"
        + string.Join("\n", v.Nodes.Select(n => $"    at {n.Target}: {n.Html}\n      {FailureSummary(n)}"))));

    /// <summary>What axe says must change at a node: any one of <c>Any</c>, all of <c>All</c>, none of <c>None</c>.</summary>
    private static string FailureSummary(AxeResultNode node) => string.Join("; ",
        (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message));

    /// <summary>The demo with its published history, the reports the cases open, and one signed-in browser
    /// context per role (pages reuse them; a case's own clicks never save anything another case reads, except
    /// where noted).</summary>
    public sealed class Fixture : AppFixture
    {
        protected override bool Kestrel => true;
        protected override bool PublishDemoHistory => true;

        private readonly Dictionary<string, BrowserPage> _pages = [];
        private static readonly Lock SummaryLock = new();

        public string CountyCode { get; private set; } = "";
        public string CountyRegionCode { get; private set; } = "";
        public int EduAgencyId { get; private set; }
        public int Draft2021 { get; private set; }
        public int Draft2019 { get; private set; }
        public int DraftPre2019 { get; private set; }
        public int WithWarning { get; private set; }
        public int Returned { get; private set; }
        public int Resubmitted { get; private set; }
        public int Approved { get; private set; }
        public int Published2023 { get; private set; }
        /// <summary>获嘉县人民政府办公室's 2022 draft, one part near-copied from its 2021 report (内容雷同 side by side).</summary>
        public int Similar { get; private set; }
        /// <summary>A pending draft import by edu of fixture 002 whose 行政规范性文件 row is printed without separators
        /// (6023: its cells are 待确认 with candidates) and whose 总计 row breaks A1.</summary>
        public int Import { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await using (var db = Db())
            {
                var county = await db.Agencies.Include(a => a.Region).SingleAsync(a => a.Name == "获嘉县人民政府");
                CountyCode = county.Code;
                CountyRegionCode = county.Region.Code;
                EduAgencyId = await db.Agencies.Where(a => a.Name == "获嘉县教育局").Select(a => a.Id).SingleAsync();
                Published2023 = await db.Reports.Where(r => r.AgencyId == county.Id && r.Year == 2023).Select(r => r.Id).SingleAsync();
                var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "fixtures", "002_02625ab39fea2acd.txt"))
                    .Replace("行政规范性文件\t6\t0\t23", "行政规范性文件\t6023", StringComparison.Ordinal)
                    .Replace("\t(七) 总计\t\t8\t0\t0\t0\t0\t0\t8", "\t(七) 总计\t\t9\t0\t0\t0\t0\t0\t9", StringComparison.Ordinal);
                var edu = await db.Users.SingleAsync(u => u.UserName == "edu");
                var import = new GovInfoReports.Web.Publishing.Import.ReportImport(await db.Agencies.SingleAsync(a => a.Id == EduAgencyId),
                    GovInfoReports.Web.Publishing.Import.ImportDestination.Draft, "粘贴的文字.txt", "text", System.Text.Encoding.UTF8.GetBytes(text), edu.Id, DateTimeOffset.UtcNow);
                db.ReportImports.Add(import);
                await db.SaveChangesAsync();
                Import = import.Id;
            }

            // The demo has 教育局 and 办公室 reports of 2023 and 2024 (its 全辖区 years), so this fixture's own reports take
            // other years: a draft of the current year (never submitted), and submitted ones in 2021, 2022 and 2025.
            Draft2021 = await NewReportAsync(2026);
            await FillFixture002Async(Draft2021);
            Draft2019 = await NewReportAsync(2020);
            DraftPre2019 = await NewReportAsync(2017);
            // 规章 issued by an agency that may not make them: the C4 warning, which needs a 说明 before submission.
            WithWarning = await NewReportAsync(2025);
            await FillFixture002Async(WithWarning, ("a20_1.rules.issued", 1m));

            var clerk = await ClientAsync("edu");
            var reviewer = await ClientAsync("reviewer");

            Returned = await NewReportAsync(2021);
            await FillFixture002Async(Returned);
            await FormPage.PostHandlerAsync(clerk, $"/entry/{Returned}", "Submit");
            await FormPage.PostHandlerAsync(reviewer, $"/review/{Returned}", "Return", new()
            {
                ["Reason"] = "请核对表三。",
                ["SectionComments[s3]"] = "商业企业1件：请附登记号。",
            });

            // Submitted, returned, changed (a paragraph and a cell) and submitted again: the review shows a diff.
            Resubmitted = await NewReportAsync(2022);
            // Its 行政规范性文件 continue 2021's (Returned: 23 + 6 = 29, rule X2), so it submits without a 说明.
            await FillFixture002Async(Resubmitted, ("a20_1.normative.in_force", 29m));
            await FormPage.PostHandlerAsync(clerk, $"/entry/{Resubmitted}", "Submit");
            await FormPage.PostHandlerAsync(reviewer, $"/review/{Resubmitted}", "Return", new() { ["Reason"] = "请再看第五部分。" });
            var s5 = await FormPage.GetAsync(clerk, $"/entry/{Resubmitted}/s5");
            await s5.PostAsync(clerk, $"/entry/{Resubmitted}/s5", new Dictionary<string, string> { ["Input.Texts[s5.text]"] = "政务公开相关工作机制和制度仍需要进一步完善。" }, "#section-form");
            var s2 = await FormPage.GetAsync(clerk, $"/entry/{Resubmitted}/s2");
            await s2.PostAsync(clerk, $"/entry/{Resubmitted}/s2", new Dictionary<string, string> { [FormPage.Cell("a20_5.licensing.decisions")] = "12" }, "#section-form");
            var resubmitted = await FormPage.PostHandlerAsync(clerk, $"/entry/{Resubmitted}", "Submit");
            if (!resubmitted.Text.Contains("报告已提交", StringComparison.Ordinal))
                throw new InvalidOperationException("The resubmission was refused: " + resubmitted.Text);

            // 获嘉县太山镇人民政府 (town) submits and the reviewer approves: the review page then offers 发布.
            Approved = await NewReportAsync(2022, "获嘉县太山镇人民政府");
            await FillFixture002Async(Approved);
            await FormPage.PostHandlerAsync(await ClientAsync("town"), $"/entry/{Approved}", "Submit");
            await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{Approved}", "Approve");

            var similarPrevious = await NewReportAsync(2021, "获嘉县人民政府办公室");
            // The demo's own 2022 draft of the 办公室 (demo-report.json).
            await using (var db = Db())
                Similar = await db.Reports.Where(r => r.Agency.Name == "获嘉县人民政府办公室" && r.Year == 2022).Select(r => r.Id).SingleAsync();
            await using (var db = Db())
            {
                const string paragraph = "本年度共收到政府信息公开申请12件，均按照《条例》规定的程序和时限办理，对申请内容逐件登记、逐件审查，" +
                    "需要征求第三方意见的依法书面征求意见，所有申请均在法定期限内答复完毕，并在答复文书中告知申请人救济途径。";
                foreach (var (id, text) in new[] { (similarPrevious, paragraph), (Similar, paragraph.Replace("12件", "15件")) })
                {
                    var report = await db.Reports.Include(r => r.Texts).SingleAsync(r => r.Id == id);
                    report.SetText("s1.request", text, DateTimeOffset.UtcNow);
                }
                await db.SaveChangesAsync();
            }

            Directory.CreateDirectory(Path.GetDirectoryName(SummaryPath)!);
            File.WriteAllText(SummaryPath, "");
        }

        public static string SummaryPath => Path.Combine(AppContext.BaseDirectory, "axe", "summary.txt");

        public static void Record(string line)
        {
            lock (SummaryLock) File.AppendAllText(SummaryPath, line + "\n");
        }

        /// <summary>The signed-in page of a role (created and signed in on first use).</summary>
        public async Task<IPage> PageAsync(string role)
        {
            if (_pages.TryGetValue(role, out var existing)) return existing.Page;
            var page = await TestBrowser.NewPageAsync(Factory.ServerAddress);
            _pages[role] = page;
            var user = role switch
            {
                Anonymous => null,
                Clerk => "edu",
                PublishedClerk => "county",
                Reviewer => "reviewer",
                Admin => "admin",
                _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
            };
            if (user is not null) await LoginAsync(page.Page, user);
            return page.Page;
        }

        public override async Task DisposeAsync()
        {
            foreach (var page in _pages.Values) await page.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
