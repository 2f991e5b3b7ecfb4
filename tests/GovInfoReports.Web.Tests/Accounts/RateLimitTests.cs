using System.Net;
using GovInfoReports.Web.Tests.Support;

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
}
