using System.Net;
using GovInfoReports.Web.Tests.Support;

namespace GovInfoReports.Web.Tests.Hosting;

public sealed class HealthTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Healthz_is_200_when_the_database_is_reachable()
    {
        var client = app.Factory.CreateClient();
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"status":"Healthy","checks":{"database":"Healthy"}}""", await response.Content.ReadAsStringAsync());

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task Healthz_is_503_when_the_database_is_not_reachable()
    {
        // A port nothing listens on.
        await using var factory = new AppFactory("Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2");
        var client = factory.CreateClient();
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"status":"Unhealthy","checks":{"database":"Unhealthy"}}""", await response.Content.ReadAsStringAsync());

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/healthz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, head.StatusCode);
    }

    [Fact]
    public async Task Pages_carry_a_content_security_policy_without_inline_script()
    {
        var response = await app.Factory.CreateClient().GetAsync("/entry");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
