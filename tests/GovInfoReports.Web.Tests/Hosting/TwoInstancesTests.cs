using System.Diagnostics;
using System.Net;
using GovInfoReports.Web.Review;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Hosting;

/// <summary>Instance A (the fixture's app on Kestrel) and instance B (the built app in its own process), one database.</summary>
public sealed class TwoInstancesFixture : KestrelAppFixture
{
    public AppProcess B { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        B = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = ConnectionString,
            ["DataProtection__CertificatePath"] = TestCertificate.Path,
            ["DataProtection__CertificatePassword"] = TestCertificate.Password,
            ["Pdf__ChromiumPath"] = TestBrowser.ExecutablePath,
            ["Reminders__Enabled"] = "false",
            ["Security__LoginAttemptsPerMinute"] = "10000",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        });
    }

    public override async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>
/// Issue 13: N app instances behind a load balancer on one PostgreSQL. A sign-in on one instance is valid on the
/// other (the key ring and the security stamps are in the database), and a publication on either instance drops the
/// other's cached public pages at once (PostgreSQL NOTIFY, <see cref="Publishing.PublicCacheListener"/>), where before
/// the other served the old page for up to 10 minutes.
/// </summary>
public sealed class TwoInstancesTests(TwoInstancesFixture app) : IClassFixture<TwoInstancesFixture>
{
    private static readonly TimeSpan Visible = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_sign_in_on_one_instance_is_valid_on_the_other_and_publications_reach_both_caches_within_a_second()
    {
        var a = app.Factory.ServerAddress;
        var b = app.B.Address;
        Assert.NotEqual(a.Port, b.Port);

        // Signed in on A: the cookie (127.0.0.1, any port) is sent to B too, and B accepts it.
        var cookies = new CookieContainer();
        using var reviewerA = Client(a, cookies);
        using var reviewerB = Client(b, cookies);
        var login = await FormPage.GetAsync(reviewerA, "/account/login");
        var signedIn = await login.PostAsync(reviewerA, "/account/login", new Dictionary<string, string>
        {
            ["Input.UserName"] = "reviewer",
            ["Input.Password"] = AppFixture.PasswordOf("reviewer"),
        });
        Assert.Equal("/review", signedIn.Response.RequestMessage!.RequestUri!.AbsolutePath);
        var onB = await reviewerB.GetAsync("/review");
        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        using (var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = b })
            Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/review")).StatusCode);

        // Version 1 published; both instances then hold the report page and the PDF in their output caches.
        // A year that has ended by the real clock: B judges reporting periods on today (A on a day after every test year).
        const int year = 2021;
        var id = await app.NewReportAsync(year);
        await app.FillFixture002Async(id);
        await app.PublishViaFormsAsync(id);
        string code;
        await using (var db = app.Db()) code = await db.Agencies.Where(x => x.Name == "获嘉县教育局").Select(x => x.Code).SingleAsync();
        var permalink = $"/reports/{code}/{year}";
        using var publicA = Client(a, new CookieContainer());
        using var publicB = Client(b, new CookieContainer());
        foreach (var client in new[] { publicA, publicB })
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(1, await LatestVersionAsync(client, permalink));
                Assert.Equal($"{code}-{year}-v1.pdf", await PdfNameAsync(client, permalink));
            }

        // A correction published on A: B shows version 2 within a second.
        await PrepareCorrectionAsync(id, "更正表三的笔误（A）。");
        var published = await FormPage.ConfirmHandlerAsync(reviewerA, $"/review/{id}", "Publish");
        Assert.Contains("已发布", published.Text);
        await AssertSeenWithinAsync(publicB, permalink, code, year, version: 2);

        // And one published on B: A shows version 3 within a second.
        await PrepareCorrectionAsync(id, "更正表三的笔误（B）。");
        published = await FormPage.ConfirmHandlerAsync(reviewerB, $"/review/{id}", "Publish");
        Assert.Contains("已发布", published.Text);
        await AssertSeenWithinAsync(publicA, permalink, code, year, version: 3);
    }

    /// <summary>Polls the public page from the moment the publication answered: the first request that began within
    /// <see cref="Visible"/> of it must already see the new version (page and PDF).</summary>
    private static async Task AssertSeenWithinAsync(HttpClient client, string permalink, string code, int year, int version)
    {
        var since = Stopwatch.StartNew();
        TimeSpan? seenAt = null;
        while (since.Elapsed < TimeSpan.FromSeconds(15))
        {
            var began = since.Elapsed;
            if (await LatestVersionAsync(client, permalink) == version)
            {
                seenAt = began;
                break;
            }
            await Task.Delay(50);
        }
        Assert.True(seenAt is not null, $"version {version} never appeared on {client.BaseAddress}{permalink[1..]}");
        Assert.True(seenAt <= Visible, $"version {version} appeared only {seenAt!.Value.TotalMilliseconds:F0} ms after its publication");
        Assert.Equal($"{code}-{year}-v{version}.pdf", await PdfNameAsync(client, permalink));
    }

    /// <summary>The highest version the public page links (…/v{n}), i.e. the latest it knows of.</summary>
    private static async Task<int> LatestVersionAsync(HttpClient client, string permalink)
    {
        var page = await FormPage.GetAsync(client, permalink);
        Assert.Equal(HttpStatusCode.OK, page.Response.StatusCode);
        return page.Document.QuerySelectorAll($"a[href^='{permalink}/v']")
            .Select(l => int.Parse(l.GetAttribute("href")![(permalink.Length + 2)..], System.Globalization.CultureInfo.InvariantCulture)).Max();
    }

    private static async Task<string?> PdfNameAsync(HttpClient client, string permalink)
    {
        var response = await client.GetAsync($"{permalink}.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Content.Headers.ContentDisposition?.FileName?.Trim('"');
    }

    /// <summary>edu starts a correction and submits it, another reviewer-side step approves it (on A's services), so that
    /// only the publication is left for the instance under test.</summary>
    private async Task PrepareCorrectionAsync(int id, string note)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var workflow = scope.ServiceProvider.GetRequiredService<ReportWorkflow>();
        var (clerk, reviewer) = await UsersAsync();
        Expect(await workflow.StartCorrectionAsync(id, clerk, note, CancellationToken.None));
        Expect(await workflow.SubmitAsync(id, clerk, CancellationToken.None));
        Expect(await workflow.ApproveAsync(id, reviewer, CancellationToken.None));
    }

    private async Task<(string Clerk, string Reviewer)> UsersAsync()
    {
        await using var db = app.Db();
        var clerk = await db.Users.Where(u => u.UserName == "edu").Select(u => u.Id).SingleAsync();
        var reviewer = await db.Users.Where(u => u.UserName == "reviewer").Select(u => u.Id).SingleAsync();
        return (clerk, reviewer);
    }

    private static void Expect(WorkflowResult result) => Assert.True(result.Done, string.Join("; ", result.Problems));

    private static HttpClient Client(Uri address, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = true }) { BaseAddress = address };
}
