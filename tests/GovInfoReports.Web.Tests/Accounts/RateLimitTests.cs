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
}
