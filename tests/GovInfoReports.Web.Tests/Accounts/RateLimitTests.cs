using System.Net;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Demo;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Accounts;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Login_posts_beyond_the_limit_are_refused_with_429_and_a_chinese_page()
    {
        var cs = await TestPostgres.CreateDatabaseAsync("ratelimit");
        await using var factory = new AppFactory(cs) { LoginAttemptsPerMinute = 3 };
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var page = await FormPage.GetAsync(client, "/account/login");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>(page.Fields())
            {
                ["Input.UserName"] = "nobody",
                ["Input.Password"] = "wrong-password",
            }));
            statuses.Add(response.StatusCode);
            if (i == 3) Assert.Contains("登录尝试过于频繁", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>Login posts over a real loopback connection (Kestrel), each with the given X-Forwarded-For.</summary>
    private static async Task<List<HttpStatusCode>> PostLoginsAsync(AppFactory factory, params string[] forwardedFor)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() };
        using var client = new HttpClient(handler) { BaseAddress = factory.ServerAddress };
        Assert.Equal("127.0.0.1", client.BaseAddress.Host);
        var page = await FormPage.GetAsync(client, "/account/login");
        var statuses = new List<HttpStatusCode>();
        foreach (var address in forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>(page.Fields())
                {
                    ["Input.UserName"] = "nobody",
                    ["Input.Password"] = "wrong-password",
                }),
            };
            request.Headers.Add("X-Forwarded-For", address);
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }
        return statuses;
    }

    [Fact]
    public async Task A_forged_X_Forwarded_For_from_a_loopback_client_that_is_not_a_configured_proxy_does_not_escape_the_limit()
    {
        var cs = await TestPostgres.CreateDatabaseAsync("ratelimitforged");
        await using var factory = new AppFactory(cs, kestrel: true) { LoginAttemptsPerMinute = 3 };
        var statuses = await PostLoginsAsync(factory, "203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5");
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Behind_a_configured_trusted_proxy_each_forwarded_client_is_counted_apart()
    {
        var cs = await TestPostgres.CreateDatabaseAsync("ratelimitproxy");
        await using var factory = new AppFactory(cs, kestrel: true)
        {
            LoginAttemptsPerMinute = 3,
            Settings = new Dictionary<string, string> { ["Network:TrustedProxies"] = "127.0.0.1" },
        };
        var statuses = await PostLoginsAsync(factory, "203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.2", "203.0.113.1");
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>Issue 13: the limits as configured by default (no test override). 50 clerks of one office behind one address
    /// sign in within a minute, ten of them mistyping their password first; the flood guard (120 posts a minute) and the
    /// failed-sign-in limit (30 per 15 minutes) leave them all in.</summary>
    [Fact]
    public async Task An_office_of_50_clerks_behind_one_address_signs_in_within_a_minute_with_the_default_limits()
    {
        var cs = await TestPostgres.CreateDatabaseAsync("ratelimitoffice");
        var defaults = new SecurityOptions();
        await using var factory = new AppFactory(cs, kestrel: true)
        {
            LoginAttemptsPerMinute = defaults.LoginAttemptsPerMinute,
            FailedLoginsPerAddress = defaults.FailedLoginsPerAddress,
        };
        var clerks = new List<(string User, string Password)>();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None, publishHistory: false);
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var agency = await db.Agencies.Where(a => a.Name == "获嘉县教育局").Select(a => a.Id).SingleAsync();
            var seeder = scope.ServiceProvider.GetRequiredService<AccountSeeder>();
            for (var i = 0; i < 50; i++)
            {
                var clerk = ($"office{i:D2}", $"Office{i:D2}#2026pw");
                Assert.Empty(await seeder.CreateAsync(clerk.Item1, clerk.Item2, $"填报员{i}", AppRole.Clerk, agency));
                clerks.Add(clerk);
            }
        }
        var started = DateTime.UtcNow;
        var landed = await Task.WhenAll(clerks.Select(async (clerk, i) =>
        {
            using var handler = new HttpClientHandler { CookieContainer = new(), UseCookies = true, AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { BaseAddress = factory.ServerAddress };
            var login = await FormPage.GetAsync(client, "/account/login");
            async Task<HttpResponseMessage> PostAsync(string password) => await client.PostAsync("/account/login", new FormUrlEncodedContent(
                new Dictionary<string, string>(login.Fields()) { ["Input.UserName"] = clerk.User, ["Input.Password"] = password }));
            if (i % 5 == 0) Assert.Equal(HttpStatusCode.OK, (await PostAsync("a-typo-" + clerk.Password)).StatusCode);
            return (await PostAsync(clerk.Password)).StatusCode;
        }));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(1), "the sign-ins took longer than the limits' minute");
        Assert.All(landed, status => Assert.Equal(HttpStatusCode.Redirect, status));
    }

    /// <summary>Failed sign-ins are counted per address in the database, so two instances share the count: after the limit,
    /// a sign-in from that address is refused even with the right password (the name typed is kept), while another
    /// address signs in.</summary>
    [Fact]
    public async Task Failed_sign_ins_of_one_address_are_counted_across_instances_and_then_refused()
    {
        var cs = await TestPostgres.CreateDatabaseAsync("ratelimitshared");
        var settings = new Dictionary<string, string> { ["Network:TrustedProxies"] = "127.0.0.1" };
        await using var a = new AppFactory(cs, kestrel: true) { FailedLoginsPerAddress = 4, Settings = settings };
        await using var b = new AppFactory(cs, kestrel: true) { FailedLoginsPerAddress = 4, Settings = settings };
        await using (var scope = a.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None, publishHistory: false);

        async Task<FormPage> SignInAsync(AppFactory instance, string address, string user, string password)
        {
            using var handler = new HttpClientHandler { CookieContainer = new(), UseCookies = true, AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { BaseAddress = instance.ServerAddress };
            var login = await FormPage.GetAsync(client, "/account/login");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>(login.Fields()) { ["Input.UserName"] = user, ["Input.Password"] = password }),
            };
            request.Headers.Add("X-Forwarded-For", address);
            return await FormPage.ReadAsync(await client.SendAsync(request));
        }

        // Four guesses at four different accounts (no account reaches its own lockout of 5), two on each instance.
        foreach (var (instance, user) in new[] { (a, "edu"), (b, "office"), (a, "town"), (b, "county") })
        {
            var failed = await SignInAsync(instance, "203.0.113.7", user, "guess-2026-pw");
            Assert.Equal(HttpStatusCode.OK, failed.Response.StatusCode);
            Assert.Contains("用户名或密码不正确", failed.Text);
        }
        foreach (var instance in new[] { a, b })
        {
            var refused = await SignInAsync(instance, "203.0.113.7", "reviewer", AppFixture.PasswordOf("reviewer"));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Response.StatusCode);
            Assert.Contains("本网络地址登录失败次数过多，请15分钟后再试", refused.Document.GetElementById("login-error")!.TextContent);
            Assert.Equal("reviewer", refused.Document.QuerySelector("input[name='Input.UserName']")!.GetAttribute("value"));
        }
        var other = await SignInAsync(b, "203.0.113.8", "reviewer", AppFixture.PasswordOf("reviewer"));
        Assert.Equal(HttpStatusCode.Redirect, other.Response.StatusCode);
        await using var db = TestPostgres.Context(cs);
        Assert.Equal(4, await db.LoginFailures.CountAsync(f => f.Address == "203.0.113.7"));
        Assert.False(await db.LoginFailures.AnyAsync(f => f.Address == "203.0.113.8"));
    }
}
