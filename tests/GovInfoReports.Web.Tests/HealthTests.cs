using System.Net;
using GovInfoReports.Web.Tests.Support;

namespace GovInfoReports.Web.Tests;

public sealed class HealthTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Healthz_is_200_when_the_database_is_reachable()
    {
        var response = await app.Factory.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_is_503_when_the_database_is_not_reachable()
    {
        // A port nothing listens on.
        await using var factory = new AppFactory("Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2");
        var response = await factory.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
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
