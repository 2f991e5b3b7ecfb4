using System.Net;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Accounts;

/// <summary>
/// Authorization is enforced on the server. Every endpoint of the app must have a declared expectation
/// here (who may call it), and each expectation is proved by calling the endpoint as each kind of user:
/// anonymous, the clerk of the report's agency, a clerk of another agency, the supervisor of the agency's
/// subtree, a supervisor of another subtree, and the administrator.
/// </summary>
public sealed class AuthorizationTests(AuthorizationTests.Fixture app) : IClassFixture<AuthorizationTests.Fixture>
{
    public enum Who { Anyone, SignedIn, ReportReaders, ReportClerk, Supervisors, ReportSupervisor, Admin }

    public sealed class Fixture : AppFixture
    {
        public int ReportId { get; private set; }
        public int ImportId { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await using var scope = Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GovInfoReports.Web.Data.AppDbContext>();
            var city = await db.Regions.SingleAsync(r => r.Code == "410700");
            var cityGovernment = await db.Agencies.SingleAsync(a => a.Name == "新乡市人民政府");
            var region = new Region("410782", "辉县市", RegionLevel.County, city);
            db.Regions.Add(region);
            db.Agencies.Add(new Agency(UnifiedSocialCreditCode.Complete("11410782MB0000018"), "辉县市人民政府", AgencyKind.Government, region, cityGovernment, false));
            await db.SaveChangesAsync();
            var hui = await db.Agencies.SingleAsync(a => a.Name == "辉县市人民政府");
            var errors = await scope.ServiceProvider.GetRequiredService<AccountSeeder>().CreateAsync("hui", HuiPassword, "辉县审核员", AppRole.Supervisor, hui.Id);
            Assert.Empty(errors);
            ReportId = await NewReportAsync(UniqueYear(), "获嘉县教育局");
            var education = await db.Agencies.SingleAsync(a => a.Name == "获嘉县教育局");
            var edu = await db.Users.SingleAsync(u => u.UserName == "edu");
            var import = new GovInfoReports.Web.Publishing.Import.ReportImport(education, GovInfoReports.Web.Publishing.Import.ImportDestination.Draft,
                "report.txt", "text", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "fixtures", "002_02625ab39fea2acd.txt")), edu.Id, DateTimeOffset.UtcNow);
            db.ReportImports.Add(import);
            await db.SaveChangesAsync();
            ImportId = import.Id;
        }
    }

    private const string HuiPassword = "Hui#2026test";

    /// <summary>Who may call each endpoint. A new endpoint without a line here fails the first test.</summary>
    private static readonly Dictionary<string, Who> Expectations = new()
    {
        ["GET /"] = Who.Anyone,
        ["GET /Index"] = Who.Anyone,
        ["GET /Error"] = Who.Anyone,
        ["GET /healthz"] = Who.Anyone,
        ["HEAD /healthz"] = Who.Anyone,
        ["GET /reports/{agencyCode}/{year:int}/{version?}"] = Who.Anyone,
        ["GET /agencies/{agencyCode}"] = Who.Anyone,
        ["GET /regions/{regionCode?}"] = Who.Anyone,
        ["GET /regions/{regionCode}/{year:int}"] = Who.Anyone,
        ["GET /regions/{regionCode}/{year:int}.csv"] = Who.Anyone,
        ["GET /search"] = Who.Anyone,
        ["GET /reports/{agencyCode}/{year:int}.{format}"] = Who.Anyone,
        ["GET /reports/{agencyCode}/{year:int}/v{version:int}.{format}"] = Who.Anyone,
        ["GET /templates/{code}.json"] = Who.Anyone,
        ["GET /templates/{code}/{sectionId}.js"] = Who.Anyone, // a section's compiled rules (template data only)
        ["GET /status/{code:int}"] = Who.Anyone,
        ["POST /status/{code:int}"] = Who.Anyone,
        ["GET /account/login"] = Who.Anyone,
        ["POST /account/login"] = Who.Anyone,
        ["GET /account/logout"] = Who.Anyone,
        ["POST /account/logout"] = Who.Anyone,
        ["GET /account/password"] = Who.SignedIn,
        ["POST /account/password"] = Who.SignedIn,
        ["GET /entry"] = Who.SignedIn,
        ["POST /entry"] = Who.SignedIn, // creating is further limited to the clerk's own agencies (tested below)
        ["POST /entry Read"] = Who.SignedIn, // marks the user's own reminders read
        ["GET /entry/{reportId:int}"] = Who.ReportReaders,
        ["POST /entry/{reportId:int} Explain"] = Who.ReportClerk,
        ["POST /entry/{reportId:int} Submit"] = Who.ReportClerk,
        ["POST /entry/{reportId:int} Correct"] = Who.ReportClerk,
        ["POST /entry/{reportId:int} CorrectionNote"] = Who.ReportClerk,
        ["GET /entry/{reportId:int}/meta"] = Who.ReportReaders,
        ["GET /entry/{reportId:int} Workbook"] = Who.ReportReaders,
        ["GET /entry/{reportId:int}/preview"] = Who.ReportReaders,
        // 全辖区汇总: read by the report's readers, accepted, overridden and its scope changed by its clerk (the report here is a 部门's: 404 once admitted).
        ["GET /entry/{reportId:int}/consolidation"] = Who.ReportReaders,
        ["POST /entry/{reportId:int}/consolidation Accept"] = Who.ReportClerk,
        ["POST /entry/{reportId:int}/consolidation Override"] = Who.ReportClerk,
        ["POST /entry/{reportId:int}/consolidation Restore"] = Who.ReportClerk,
        ["POST /entry/{reportId:int}/consolidation Exclude"] = Who.ReportClerk,
        ["POST /entry/{reportId:int}/consolidation Include"] = Who.ReportClerk,
        ["POST /entry/{reportId:int}/meta"] = Who.ReportClerk,
        ["GET /entry/{reportId:int}/{sectionId}"] = Who.ReportReaders,
        ["POST /entry/{reportId:int}/{sectionId}"] = Who.ReportClerk,
        ["POST /entry/{reportId:int}/{sectionId} Autosave"] = Who.ReportClerk,
        ["GET /review"] = Who.Supervisors,
        ["GET /review/dashboard"] = Who.Supervisors,
        ["GET /review/dashboard Csv"] = Who.Supervisors,
        ["POST /review/dashboard Remind"] = Who.Supervisors,
        ["GET /review/{reportId:int}"] = Who.ReportSupervisor,
        ["POST /review/{reportId:int} Return"] = Who.ReportSupervisor,
        ["POST /review/{reportId:int} Approve"] = Who.ReportSupervisor,
        ["POST /review/{reportId:int} Publish"] = Who.ReportSupervisor,
        ["GET /review/{reportId:int}/audit"] = Who.ReportSupervisor,
        ["GET /admin"] = Who.Admin,
        ["GET /admin/regions"] = Who.Admin,
        ["POST /admin/regions Region"] = Who.Admin,
        ["POST /admin/regions Deadline"] = Who.Admin,
        ["POST /admin/regions DeleteDeadline"] = Who.Admin,
        ["POST /admin/regions Rename"] = Who.Admin,
        ["GET /admin/agencies"] = Who.Admin,
        ["POST /admin/agencies"] = Who.Admin,
        ["POST /admin/agencies Update"] = Who.Admin,
        ["GET /admin/users"] = Who.Admin,
        ["POST /admin/users Create"] = Who.Admin,
        ["POST /admin/users Grant"] = Who.Admin,
        ["POST /admin/users Revoke"] = Who.Admin,
        ["POST /admin/users Unlock"] = Who.Admin,
        ["POST /admin/users ResetPassword"] = Who.Admin,
        ["GET /admin/import"] = Who.Admin,
        ["POST /admin/import"] = Who.Admin,
        ["GET /open-data/{year:int}.csv"] = Who.Anyone,
        // 导入报告: anyone signed in who fills in or reviews for some agency (each post checks the agency and destination);
        // an import (here: a draft import by the clerk of 教育局) only for who may import for its agency into its destination.
        ["GET /import"] = Who.SignedIn,
        ["POST /import"] = Who.SignedIn,
        ["GET /import/{id:int}"] = Who.ReportClerk,
        ["POST /import/{id:int} Check"] = Who.ReportClerk,
        ["POST /import/{id:int} Confirm"] = Who.ReportClerk,
        ["GET /import/{id:int}/original"] = Who.ReportClerk,
    };

    /// <summary>The principals: null is anonymous.</summary>
    private static readonly string?[] Principals = [null, "edu", "town", "reviewer", "hui", "admin"];

    private static bool Allowed(Who who, string? user) => who switch
    {
        Who.Anyone => true,
        Who.SignedIn => user is not null,
        Who.ReportReaders => user is "edu" or "reviewer",
        Who.ReportClerk => user is "edu",
        Who.Supervisors => user is "reviewer" or "hui",
        Who.ReportSupervisor => user is "reviewer",
        Who.Admin => user is "admin",
        _ => false,
    };

    [Fact]
    public async Task Every_endpoint_has_a_declared_expectation()
    {
        var endpoints = await Endpoints.ListAsync(app.Factory.Services);
        Assert.Empty(endpoints.Except(Expectations.Keys));
        Assert.Empty(Expectations.Keys.Except(endpoints));
    }

    public static IEnumerable<object[]> Cases() => Expectations.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_endpoint_admits_exactly_the_declared_users(string endpoint)
    {
        var parts = endpoint.Split(' ');
        var (method, route, handler) = (parts[0], parts[1], parts.Length > 2 ? parts[2] : null);
        var url = route.Replace("{reportId:int}", app.ReportId.ToString()).Replace("{sectionId}", "s3")
            .Replace("{code}", "2021").Replace("{code:int}", "404")
            .Replace("{agencyCode}", "11410724MB0000010X").Replace("{year:int}", "2022").Replace("{version?}", "").Replace("{version:int}", "1").Replace("{format}", "json").Replace("{regionCode?}", "410724").Replace("{regionCode}", "410724").Replace("{year:int}", "2022")
            .Replace("{id:int}", app.ImportId.ToString());
        if (handler is not null) url += $"?handler={handler}";
        if (route == "/admin/users" && handler is "Grant" or "Unlock" or "ResetPassword") url += "&userId=nobody";
        if (route == "/admin/users" && handler is "Revoke") url += "&grantId=0";
        if (handler is "DeleteDeadline" or "Rename") url += "&id=0";

        // Denied principals first, so an allowed POST's side effects cannot hide a denial.
        foreach (var user in Principals.OrderBy(u => Allowed(Expectations[endpoint], u)))
        {
            var client = await ClientAsync(user);
            HttpResponseMessage response;
            if (method == "GET") response = await client.GetAsync(url);
            else if (method == "HEAD") response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
            else
            {
                var token = await TokenAsync(client, user);
                response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
            }
            var status = (int)response.StatusCode;
            var toLogin = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/account/login");
            var denied = toLogin || response.StatusCode == HttpStatusCode.Forbidden;
            var who = user ?? "anonymous";
            if (Allowed(Expectations[endpoint], user))
                Assert.False(denied || status >= 500, $"{endpoint} should admit {who}, got {status} {response.Headers.Location}");
            else if (user is null)
                Assert.True(toLogin, $"{endpoint} should send anonymous users to the login page, got {status}");
            else
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{endpoint} should refuse {who} with 403, got {status}");
        }
    }

    [Fact]
    public async Task A_clerk_cannot_create_a_report_for_another_agency()
    {
        var client = await ClientAsync("town");
        var page = await FormPage.GetAsync(client, "/entry");
        await using var db = app.Db();
        var education = await db.Agencies.SingleAsync(a => a.Name == "获嘉县教育局");
        var before = await db.Reports.CountAsync();
        var result = await page.PostAsync(client, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = education.Id.ToString(), ["Input.Year"] = "2024" });
        Assert.Contains("请选择您负责填报的机关", result.Text);
        Assert.Equal(before, await db.Reports.CountAsync());
    }

    [Fact]
    public async Task Lists_show_only_what_the_user_may_read()
    {
        var town = await FormPage.GetAsync(await ClientAsync("town"), "/entry");
        Assert.DoesNotContain("获嘉县教育局", town.Document.QuerySelector("table.list")?.TextContent ?? "");
        var hui = await FormPage.GetAsync(await ClientAsync("hui"), "/review");
        Assert.DoesNotContain("获嘉县", hui.Document.GetElementById("dashboard")!.TextContent);
        var reviewer = await FormPage.GetAsync(await ClientAsync("reviewer"), "/review");
        Assert.Contains("获嘉县教育局", reviewer.Document.GetElementById("dashboard")!.TextContent);
        Assert.DoesNotContain("辉县市人民政府", reviewer.Document.GetElementById("dashboard")!.TextContent);
    }

    [Fact]
    public async Task A_supervisor_sees_a_draft_read_only_and_cannot_save_cells()
    {
        var client = await ClientAsync("reviewer");
        var page = await FormPage.GetAsync(client, $"/entry/{app.ReportId}/s3");
        Assert.Equal(HttpStatusCode.OK, page.Response.StatusCode);
        Assert.Null(page.Document.QuerySelector("#section-form button[type=submit]"));
        Assert.All(page.Document.QuerySelectorAll("input[name^='Input.Cells']"), i => Assert.True(i.HasAttribute("readonly")));
        var response = await client.PostAsync($"/entry/{app.ReportId}/s3", new FormUrlEncodedContent(new Dictionary<string, string>(page.Fields("#section-form"))
        {
            ["Input.Cells[apps.new.np]"] = "99",
        }));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var db = app.Db();
        Assert.False(await db.ReportCells.AnyAsync(c => c.ReportId == app.ReportId && c.CellId == "apps.new.np" && c.Value == 99));
    }

    [Fact]
    public async Task Every_post_without_the_antiforgery_token_is_refused()
    {
        var client = await ClientAsync("edu");
        foreach (var endpoint in Expectations.Keys.Where(k => k.StartsWith("POST ", StringComparison.Ordinal)))
        {
            var parts = endpoint.Split(' ');
            var url = parts[1].Replace("{reportId:int}", app.ReportId.ToString()).Replace("{sectionId}", "s3").Replace("{code:int}", "404")
                .Replace("{id:int}", app.ImportId.ToString())
                + (parts.Length > 2 ? $"?handler={parts[2]}" : "");
            var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Cells[apps.new.np]"] = "7" }));
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden || parts[1].StartsWith("/status"),
                $"{endpoint} without a token answered {(int)response.StatusCode}");
        }
        await using var db = app.Db();
        Assert.False(await db.ReportCells.AnyAsync(c => c.ReportId == app.ReportId && c.CellId == "apps.new.np"));
    }

    private async Task<HttpClient> ClientAsync(string? user)
    {
        if (user is null) return app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        if (user != "hui") return await app.ClientAsync(user);
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var login = await FormPage.GetAsync(client, "/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>(login.Fields())
        {
            ["Input.UserName"] = "hui",
            ["Input.Password"] = HuiPassword,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>An antiforgery token for this client (tokens are per user, not per page).</summary>
    private static async Task<string> TokenAsync(HttpClient client, string? user)
    {
        var page = await FormPage.GetAsync(client, user is null ? "/account/login" : "/account/password");
        return page.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
    }
}
