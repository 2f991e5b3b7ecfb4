using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Demo;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>One database and one app per test class. Tests isolate their data by creating their own reports.</summary>
public class AppFixture : IAsyncLifetime
{
    protected virtual bool Kestrel => false;
    protected virtual string? TemplateDirectory => null;
    /// <summary>Publishing the demo's seven years renders PDFs; only the public-site tests need them.</summary>
    protected virtual bool PublishDemoHistory => false;
    /// <summary>The day reporting periods are judged on (<see cref="AppFactory.ReportingDay"/>); null: today.</summary>
    protected virtual DateOnly? ReportingDay => new DateOnly(9998, 12, 31);

    public AppFactory Factory { get; private set; } = null!;
    public string ConnectionString { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync(GetType().Name);
        Factory = new AppFactory(AppConnectionString(ConnectionString), TemplateDirectory, Kestrel) { ReportingDay = ReportingDay };
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None, PublishDemoHistory);
    }

    public virtual async Task DisposeAsync() => await Factory.DisposeAsync();

    /// <summary>The connection string the app uses; the tests' own <see cref="Db"/> always connects directly.
    /// A fixture may route the app through something it controls (e.g. a forwarder it can cut).</summary>
    protected virtual string AppConnectionString(string direct) => direct;

    public AppDbContext Db() => TestPostgres.Context(ConnectionString);

    public TemplateCatalog Templates => Factory.Services.GetRequiredService<TemplateCatalog>();

    public static string PasswordOf(string user) => GovInfoReports.Web.Accounts.AccountSeeder.DemoUsers.Single(u => u.User == user).Password;

    /// <summary>An HTTP client signed in as one of the demo users (through the login form, like a browser).</summary>
    public Task<HttpClient> ClientAsync(string user) => ClientAsync(user, PasswordOf(user));

    /// <summary>An HTTP client signed in as any user (e.g. one a test created), through the login form.</summary>
    public async Task<HttpClient> ClientAsync(string user, string password)
    {
        var client = Factory.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = Kestrel ? Factory.ServerAddress : new Uri("http://localhost") });
        var login = await FormPage.GetAsync(client, "/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>(login.Fields())
        {
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
        }));
        // The in-memory client stops at the redirect; the Kestrel one follows it to /entry (a clerk) or /review
        // (a supervisor).
        var landed = response.StatusCode == System.Net.HttpStatusCode.Redirect
            || response.RequestMessage?.RequestUri?.AbsolutePath is "/entry" or "/review";
        if (!landed)
            throw new InvalidOperationException($"Login as {user} failed: {(int)response.StatusCode} {(await FormPage.ReadAsync(response)).Document.Title} {response.RequestMessage?.RequestUri} {(await FormPage.ReadAsync(response)).Document.GetElementById("login-error")?.TextContent}");
        return client;
    }

    private static int _users;

    /// <summary>A new user with the given grants (agency by name; null for 管理员), named after the test's purpose and
    /// unique in the run, so a test may sign it out, change its password or mix roles without touching the demo users.</summary>
    public async Task<(string UserName, string Password)> NewUserAsync(string purpose, params (AppRole Role, string? Agency)[] grants)
    {
        var userName = $"{purpose}{Interlocked.Increment(ref _users)}";
        var password = $"{purpose}#2026pw";
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        int? AgencyId(string? name) => name is null ? null : db.Agencies.Single(a => a.Name == name).Id;
        var errors = await scope.ServiceProvider.GetRequiredService<AccountSeeder>().CreateAsync(userName, password, purpose, grants[0].Role, AgencyId(grants[0].Agency));
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors));
        var id = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        foreach (var (role, agency) in grants.Skip(1)) db.RoleGrants.Add(new RoleGrant(id, role, AgencyId(agency)));
        await db.SaveChangesAsync();
        return (userName, password);
    }

    /// <summary>Signs a browser page in as one of the demo users.</summary>
    public static Task LoginAsync(Microsoft.Playwright.IPage page, string user) => LoginAsync(page, user, PasswordOf(user));

    /// <summary>Signs a browser page in as any user (e.g. one made by <see cref="NewUserAsync"/>).</summary>
    public static async Task LoginAsync(Microsoft.Playwright.IPage page, string user, string password)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("#user").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("button[type=submit].primary").ClickAsync();
        try
        {
            // Generous: on a loaded 2-core CI machine the redirect's page load alone has taken over 15 s.
            await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = 60_000 });
        }
        catch (TimeoutException) when (!page.Url.Contains("/account/login", StringComparison.Ordinal))
        {
            // Signed in and redirected, but the page's load event came late: once over a minute under load although the
            // page had rendered (CI, 2026-11-30). The next navigation or locator waits for what it needs.
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"Login as {user} did not leave the login page: {await page.Locator("main").TextContentAsync()}");
        }
    }

    /// <summary>Approves (审核通过) or publishes (发布) in a browser on a review page as a supervisor does: opens
    /// the action's confirmation and clicks its confirm button; waits for the page that answers.</summary>
    public static async Task ConfirmReviewActionAsync(Microsoft.Playwright.IPage page, string handler, float timeout = 30_000)
    {
        var confirm = page.Locator(handler == "Publish" ? "#publish-confirm" : "#approve-confirm");
        await confirm.Locator("summary").ClickAsync();
        // The page answering has the same address and may show an older notice: wait for a new document.
        await page.EvaluateAsync("document.body.dataset.before = 'confirm'");
        await confirm.Locator("button[name=Confirmed]").ClickAsync(new() { Timeout = timeout });
        await page.Locator("body:not([data-before])").WaitForAsync(new() { Timeout = timeout });
        await page.Locator(".notice, #action-problems").First.WaitForAsync(new() { Timeout = timeout });
    }

    /// <summary>A fresh draft report for the given year of one of the demo agencies.</summary>
    public async Task<int> NewReportAsync(int year, string agencyName = "获嘉县教育局")
    {
        await using var db = Db();
        var agency = await db.Agencies.SingleAsync(a => a.Name == agencyName);
        var template = Templates.ForYear(year)!;
        var report = new Domain.Reports.Report(agency, year, template, DateTimeOffset.UtcNow);
        db.Reports.Add(report);
        await db.SaveChangesAsync();
        return report.Id;
    }

    /// <summary>Every typed cell of fixture 002 (获嘉县人民政府办公室 2022, balanced), stored directly, with totals.</summary>
    public async Task FillFixture002Async(int id, params (string Cell, decimal Value)[] overrides)
    {
        await using var db = Db();
        var report = await db.Reports.Include(r => r.Cells).SingleAsync(r => r.Id == id);
        var template = Templates.Get(report.TemplateCode)!;
        var values = Domain.Tests.TestData.Fixture002(template);
        foreach (var (cell, value) in overrides) values[cell] = value;
        Domain.Rules.RuleEvaluator.ComputeTotals(template, values);
        foreach (var (cell, value) in values) report.SetCell(cell, value, DateTimeOffset.UtcNow);
        // The narrative sections that must not be empty (rule N0), as in the fixture.
        report.SetText("s1.active", "主动公开情况。2022年县政府办公室通过县政府网站、微信、微博等平台公开各类信息1988条。", DateTimeOffset.UtcNow);
        report.SetText("s5.text", "政务公开相关工作机制和制度还需要进一步完善。", DateTimeOffset.UtcNow);
        // Fixture 002's 监督保障 names what a 人民政府's report must cover (条例 art. 50(四), rule N10), for the town's reports.
        report.SetText("s1.oversight", "严格落实《条例》规定的工作考核、社会评议、责任追究等要求。", DateTimeOffset.UtcNow);
        // The report's own year, as the fixture writes 2022: two consecutive years filled from the fixture must not be
        // one report copied to the next (内容雷同, X5a warns about an identical report).
        report.SetText("s6.text", $"{report.Year}年度信息公开申请未向申请人收取任何费用。", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    }

    /// <summary>Takes a filled draft through the forms: edu submits, reviewer approves and publishes.</summary>
    public async Task PublishViaFormsAsync(int id)
    {
        var clerk = await ClientAsync("edu");
        var reviewer = await ClientAsync("reviewer");
        await FormPage.PostHandlerAsync(clerk, $"/entry/{id}", "Submit");
        await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{id}", "Approve");
        await FormPage.ConfirmHandlerAsync(reviewer, $"/review/{id}", "Publish");
    }

    private static int _year = 2100;

    /// <summary>A report year nobody else in this test run uses (tests in a class share one database); never the year after
    /// another's, so that unrelated reports of one agency are not compared as consecutive years by the cross-year rules.</summary>
    public static int UniqueYear() => Interlocked.Add(ref _year, 2);
}

public class KestrelAppFixture : AppFixture
{
    protected override bool Kestrel => true;
}

/// <summary>The demo with its published history (获嘉县人民政府 2016 and 2019–2024, 2024 corrected as version 2).</summary>
public class PublishedAppFixture : AppFixture
{
    protected override bool PublishDemoHistory => true;
}

public class KestrelPublishedAppFixture : AppFixture
{
    protected override bool Kestrel => true;
    protected override bool PublishDemoHistory => true;
}
