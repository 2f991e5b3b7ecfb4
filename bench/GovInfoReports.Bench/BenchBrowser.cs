using System.Net;
using AngleSharp.Html.Parser;

namespace GovInfoReports.Bench;

/// <summary>
/// The bench's browser: it signs in through the app's login form (with its antiforgery token and cookie) and reads a
/// page's form as a browser posts it. Used wherever the bench acts as a user (publication, save load); the save load's
/// hot loop reads its section form with its own light regular expressions instead, as its client shares the machine.
/// </summary>
internal static class BenchBrowser
{
    /// <summary>A client signed in as <paramref name="user"/>, keeping its cookies; <paramref name="followRedirects"/>:
    /// whether it follows redirects itself (false: a POST's redirect is checked by <see cref="PostAsync"/>).</summary>
    /// <exception cref="InvalidOperationException">The sign-in was refused (the page's message is given).</exception>
    public static async Task<HttpClient> SignInAsync(string app, string user, string password, bool followRedirects)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = followRedirects })
        { BaseAddress = new Uri(app), Timeout = TimeSpan.FromMinutes(2) };
        var login = await FormAsync(client, "/account/login", "main form[method=post]");
        login["Input.UserName"] = user;
        login["Input.Password"] = password;
        using var answer = await client.PostAsync("/account/login", new FormUrlEncodedContent(login));
        var landed = followRedirects ? answer.RequestMessage?.RequestUri?.AbsolutePath : answer.Headers.Location?.OriginalString;
        var signedIn = (followRedirects ? answer.IsSuccessStatusCode : answer.StatusCode == HttpStatusCode.Redirect)
            && landed is not null && !landed.Contains("/account/login", StringComparison.OrdinalIgnoreCase);
        if (!signedIn)
        {
            client.Dispose();
            throw new InvalidOperationException($"{user} could not sign in ({(int)answer.StatusCode}): {Problems(await answer.Content.ReadAsStringAsync())}");
        }
        return client;
    }

    public static async Task<Dictionary<string, string>> FormAsync(HttpClient client, string url, string selector) =>
        Fields(await GetAsync(client, url), selector);

    public static async Task<AngleSharp.Dom.IDocument> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A form's fields as a browser would post them (inputs with a name, checked boxes only, textareas; no buttons).</summary>
    public static Dictionary<string, string> Fields(AngleSharp.Dom.IDocument page, string selector)
    {
        var form = page.QuerySelector(selector) ?? throw new InvalidOperationException($"No form {selector} on {page.Title}: {Problems(page.Body?.TextContent ?? "")}");
        var fields = new Dictionary<string, string>();
        foreach (var input in form.QuerySelectorAll("input[name]"))
            if (input.GetAttribute("type") is not ("checkbox" or "radio" or "submit") || input.HasAttribute("checked"))
                fields[input.GetAttribute("name")!] = input.GetAttribute("value") ?? "";
        foreach (var area in form.QuerySelectorAll("textarea[name]")) fields[area.GetAttribute("name")!] = area.TextContent;
        // The antiforgery token of a form rendered outside <form> (the 说明 form's fields are form="…" elsewhere).
        if (!fields.ContainsKey("__RequestVerificationToken") && page.QuerySelector("input[name=__RequestVerificationToken]") is { } token)
            fields["__RequestVerificationToken"] = token.GetAttribute("value")!;
        return fields;
    }

    /// <summary>Posts a form that must answer with a redirect (the client must not follow redirects).</summary>
    /// <exception cref="InvalidOperationException">Any other answer, with the page's messages.</exception>
    public static async Task PostAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        using var response = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"POST {url} answered {(int)response.StatusCode}: {Problems(await response.Content.ReadAsStringAsync())}");
    }

    /// <summary>A page's problem messages (or its title), for an error that says why.</summary>
    public static string Problems(string html)
    {
        var page = new HtmlParser().ParseDocument(html);
        var problems = page.QuerySelectorAll(".problems, #action-problems, [role=alert]").Select(p => p.TextContent.Trim());
        return string.Join(" | ", problems.DefaultIfEmpty(page.Title ?? ""));
    }
}
