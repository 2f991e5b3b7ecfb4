using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>A page fetched over HTTP, parsed, with its form ready to be posted back as a browser would.</summary>
public sealed class FormPage
{
    private static readonly HtmlParser Parser = new();

    private FormPage(HttpResponseMessage response, string html, IHtmlDocument document)
    {
        Response = response;
        Html = html;
        Document = document;
    }

    public HttpResponseMessage Response { get; }
    public string Html { get; }
    public IHtmlDocument Document { get; }

    public static async Task<FormPage> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        return await ReadAsync(response);
    }

    public static async Task<FormPage> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        return new FormPage(response, html, Parser.ParseDocument(html));
    }

    /// <summary>The named fields of a form, as the browser would submit them (readonly totals have no name).</summary>
    public Dictionary<string, string> Fields(string formSelector = "main form[method=post]")
    {
        var form = Document.QuerySelector(formSelector) ?? throw new InvalidOperationException($"No form {formSelector} in:\n{Html}");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in form.QuerySelectorAll("input[name], textarea[name], select[name]"))
        {
            var name = element.GetAttribute("name")!;
            fields[name] = element switch
            {
                IHtmlTextAreaElement t => t.Value,
                IHtmlSelectElement s => s.Value ?? "",
                IHtmlInputElement i => i.Value,
                _ => "",
            };
        }
        return fields;
    }

    public async Task<FormPage> PostAsync(HttpClient client, string url, IReadOnlyDictionary<string, string> changes,
        string formSelector = "main form[method=post]", string? handler = null)
    {
        var fields = Fields(formSelector);
        foreach (var (k, v) in changes) fields[k] = v;
        var target = handler is null ? url : $"{url}?handler={handler}";
        var response = await client.PostAsync(target, new FormUrlEncodedContent(fields));
        if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            return await GetAsync(client, location.ToString());
        return await ReadAsync(response);
    }

    /// <summary>Loads a page and posts its form of a named handler (e.g. Submit, Approve), as a user clicking it.</summary>
    public static async Task<FormPage> PostHandlerAsync(HttpClient client, string url, string handler, Dictionary<string, string>? fields = null)
    {
        var page = await GetAsync(client, url);
        return await page.PostAsync(client, url, fields ?? [], $"form[action*='handler={handler}']", handler);
    }

    /// <summary>Loads a page and posts the form of a handler that asks for confirmation (审核通过, 发布) as a user
    /// clicking its confirm button would: the form's fields plus that button's <c>Confirmed=true</c>, read from
    /// the page (so a form without the button fails here rather than posting something no browser could).</summary>
    public static async Task<FormPage> ConfirmHandlerAsync(HttpClient client, string url, string handler)
    {
        var page = await GetAsync(client, url);
        var selector = $"form[action*='handler={handler}']";
        var button = page.Document.QuerySelector($"{selector} details.confirm button[name=Confirmed]")
            ?? throw new InvalidOperationException($"No confirm button of {handler} in:\n{page.Html}");
        return await page.PostAsync(client, url, new Dictionary<string, string> { ["Confirmed"] = button.GetAttribute("value")! }, selector, handler);
    }

    public string? InputValue(string cellId) =>
        (Document.QuerySelector($"input[data-cell='{cellId}']") as IHtmlInputElement)?.Value;

    public string ErrorText(string domId) => Document.GetElementById("e-" + domId)?.TextContent.Trim() ?? "";

    public IEnumerable<string> Violations() => Document.QuerySelectorAll("#violations li").Select(li => li.TextContent.Trim());

    public string Text => Document.Body?.TextContent ?? "";

    /// <summary>The section's rules as the page's scripts hand them to rules.js (its <c>pageTemplate()</c>): the shared
    /// script <c>/templates/{code}/{section}.js</c> the page links to, read through <paramref name="client"/>, with the
    /// page's own <c>#template-previous</c> block as <c>previous</c>; also the script's Cache-Control.</summary>
    public async Task<(System.Text.Json.Nodes.JsonObject Rules, string? CacheControl)> SectionRulesAsync(HttpClient client)
    {
        var src = Document.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!).Single(s => s.StartsWith("/templates/", StringComparison.Ordinal));
        using var response = await client.GetAsync(src);
        response.EnsureSuccessStatusCode();
        var script = await response.Content.ReadAsStringAsync();
        const string prefix = "window.GovInfoSectionRules = ";
        Assert.StartsWith(prefix, script);
        var text = System.Text.Json.JsonSerializer.Deserialize<string>(script[prefix.Length..script.LastIndexOf(';')])!;
        var rules = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        if (Document.GetElementById("template-previous") is { } own) rules["previous"] = System.Text.Json.Nodes.JsonNode.Parse(own.TextContent);
        return (rules, response.Headers.CacheControl?.ToString());
    }

    public static string Cell(string cellId) => $"Input.Cells[{cellId}]";
    public static string DomId(string id) => "c-" + id.Replace('.', '-');
}
