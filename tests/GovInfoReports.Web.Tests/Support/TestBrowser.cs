using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>One headless Debian Chromium for the whole test run, driven by Playwright. No skipping:
/// without Chromium every browser test fails.</summary>
public static class TestBrowser
{
    private static readonly Lazy<Task<IBrowser>> Browser = new(LaunchAsync);

    public static string ExecutablePath => Environment.GetEnvironmentVariable("GIR_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    private static async Task<IBrowser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"Chromium not found at {ExecutablePath}. Run the tests with `bash scripts/test.sh`, which installs Debian's chromium.");
        var playwright = await Playwright.CreateAsync();
        return await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = GovInfoReports.Web.Publishing.PdfRenderer.ChromiumArgs,
        });
    }

    /// <summary>A fresh page (own cookies) that records CSP violations and script errors.</summary>
    public static async Task<BrowserPage> NewPageAsync(Uri baseAddress, bool javaScript = true)
    {
        var browser = await Browser.Value;
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(),
            Locale = "zh-CN",
            ViewportSize = new() { Width = 1400, Height = 1000 },
            JavaScriptEnabled = javaScript,
        });
        var page = await context.NewPageAsync();
        var result = new BrowserPage(context, page);
        page.Console += (_, m) => { if (m.Type == "error") result.Errors.Add(m.Text); };
        page.PageError += (_, e) => result.Errors.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) result.Errors.Add($"HTTP {r.Status} {r.Url}"); };
        await context.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));");
        return result;
    }

    /// <summary>Where screenshots go, for people to look at (TestResults/screenshots).</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name + ".png");
    }
}

public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;
    public List<string> Errors { get; } = [];
    public async ValueTask DisposeAsync() => await context.CloseAsync();
}

/// <summary>Browser tests run one class at a time: on two cores, several Chromium pages and app servers at
/// once make timings erratic.</summary>
[CollectionDefinition("Browser")]
public sealed class BrowserCollection;
