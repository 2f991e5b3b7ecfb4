using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>A sign-in whose cookies are kept by the test, not by the client, so that the same session can be
/// presented to another app instance (a restart, an upgrade, a second server).</summary>
public static class CookieSession
{
    /// <summary>Signs in through the login form; returns the Cookie header value (auth and antiforgery cookies).</summary>
    public static async Task<string> SignInAsync(AppFactory factory, string user)
    {
        var client = Client(factory, null);
        var login = await client.GetAsync("/account/login");
        var cookies = Collect(login, new Dictionary<string, string>());
        var form = await FormPage.ReadAsync(login);
        var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(form.Fields())
            {
                ["Input.UserName"] = user,
                ["Input.Password"] = AppFixture.PasswordOf(user),
            }),
        };
        post.Headers.Add("Cookie", Header(cookies));
        var response = await client.SendAsync(post);
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Login as {user} failed: {(int)response.StatusCode}");
        return Header(Collect(response, cookies));
    }

    /// <summary>A client of <paramref name="factory"/> that presents <paramref name="cookies"/> and follows no redirect.</summary>
    public static HttpClient Client(AppFactory factory, string? cookies)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        if (cookies is not null) client.DefaultRequestHeaders.Add("Cookie", cookies);
        return client;
    }

    private static Dictionary<string, string> Collect(HttpResponseMessage response, Dictionary<string, string> cookies)
    {
        foreach (var setCookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = setCookie.Split(';', 2)[0];
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            cookies[pair[..at]] = pair[(at + 1)..];
        }
        return cookies;
    }

    private static string Header(Dictionary<string, string> cookies) => string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}"));
}
