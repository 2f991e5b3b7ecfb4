using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Publishing;

public sealed class PdfOptions
{
    public const string SectionName = "Pdf";

    /// <summary>Debian's chromium (scripts/run.sh installs it with fonts-noto-cjk).</summary>
    public string ChromiumPath { get; set; } = "/usr/bin/chromium";

    /// <summary>Start Chromium and load the CJK fonts in a page a few seconds after the app starts
    /// (<see cref="PdfWarmUp"/>), so the first publication does not wait for them (~1–2 s). Off: started on first use.</summary>
    public bool WarmUpAtStart { get; set; } = true;
}

/// <summary>Warms <see cref="PdfRenderer"/> up once, <see cref="Delay"/> after the app has started (not to compete with
/// its start), when <see cref="PdfOptions.WarmUpAtStart"/>. A failure (no Chromium, say) is logged as a warning, never
/// fatal: publication then tries again and fails with its own message if it still cannot render.</summary>
public sealed partial class PdfWarmUp(PdfRenderer renderer, Microsoft.Extensions.Options.IOptions<PdfOptions> options, ILogger<PdfWarmUp> log) : BackgroundService
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmUpAtStart) return;
        try
        {
            await Task.Delay(Delay, stoppingToken);
            await renderer.WarmUpAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Never fatal: an exception escaping a hosted service would stop the app.
            LogFailed(log, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PDF renderer not warmed up: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}

/// <summary>
/// Prints the statutory document to PDF in headless Chromium (Playwright driving Debian's chromium):
/// A4, CJK font embedded, running footer 第 N 页 共 M 页 with the version and publication date. One
/// browser per process, started on first use; at most two pages render at once. The pages are kept and reused (each
/// document replaces the last one's with <c>SetContent</c>): a new page costs a new renderer whose CJK fonts load and
/// shape afresh, which made a 4-page publication take ~1.4 s instead of ~0.4 s (issue 13). A page that failed is closed,
/// never reused; pages of a browser that went away are dropped with it.
/// </summary>
public sealed class PdfRenderer(IServiceProvider services, ILoggerFactory loggers, IWebHostEnvironment environment,
    Microsoft.Extensions.Options.IOptions<PdfOptions> options) : IAsyncDisposable
{
    /// <summary>Flags for Debian's chromium as root with no network: no sandbox, no GPU, no background traffic.
    /// The tests and the benchmark launch their browsers with the same flags.</summary>
    public static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private const int Pages = 2;
    private readonly SemaphoreSlim _gate = new(Pages);
    private readonly System.Collections.Concurrent.ConcurrentBag<(IBrowser Browser, IPage Page)> _idle = [];
    private readonly SemaphoreSlim _launch = new(1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _css;

    /// <summary>The HTML page that is printed (also useful to look at).</summary>
    public async Task<string> PrintHtmlAsync(ReportDocument document)
    {
        var css = await CssAsync(CancellationToken.None);
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<PrintDocument>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(PrintDocument.Document)] = document,
                [nameof(PrintDocument.Css)] = css,
            }));
            return output.ToHtmlString();
        });
    }

    public async Task<byte[]> RenderAsync(ReportDocument document, CancellationToken ct)
    {
        var html = await PrintHtmlAsync(document);
        return await WithPageAsync(async page =>
        {
            await page.SetContentAsync(html, new() { WaitUntil = WaitUntilState.Load });
            await page.EvaluateAsync("() => document.fonts.ready");
            return await page.PdfAsync(new()
            {
                Format = "A4",
                PrintBackground = true,
                Tagged = true,
                DisplayHeaderFooter = true,
                HeaderTemplate = "<span></span>",
                FooterTemplate =
                    "<div style=\"width:100%;font-size:8pt;font-family:'Noto Sans CJK SC',sans-serif;color:#444;display:flex;justify-content:space-between;padding:0 15mm\">" +
                    $"<span>{System.Net.WebUtility.HtmlEncode(document.AgencyName)} {document.Year}年度 · {System.Net.WebUtility.HtmlEncode(document.VersionLine)}</span>" +
                    "<span>第 <span class=\"pageNumber\"></span> 页 共 <span class=\"totalPages\"></span> 页</span></div>",
                Margin = new() { Top = "18mm", Bottom = "18mm", Left = "15mm", Right = "15mm" },
            });
        }, ct);
    }

    /// <summary>Runs <paramref name="use"/> on a leased page (at most <see cref="Pages"/> at once): the page goes back to
    /// wait for the next document when it succeeds and is closed, never reused, when it fails.</summary>
    private async Task<T> WithPageAsync<T>(Func<IPage, Task<T>> use, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        (IBrowser Browser, IPage Page)? lease = null;
        try
        {
            lease = await LeaseAsync();
            var result = await use(lease.Value.Page);
            _idle.Add(lease.Value);
            lease = null;
            return result;
        }
        finally
        {
            if (lease is { Page: var failed }) await CloseQuietlyAsync(failed);
            _gate.Release();
        }
    }

    private async Task<string> CssAsync(CancellationToken ct) =>
        _css ??= await File.ReadAllTextAsync(environment.WebRootFileProvider.GetFileInfo("css/report.css").PhysicalPath
            ?? throw new InvalidOperationException("css/report.css is missing from wwwroot."), ct);

    /// <summary>Whether a page is open and waiting in a running browser (as after <see cref="WarmUpAsync"/>).</summary>
    public bool Warm => _browser is { IsConnected: true } browser && _idle.Any(kept => kept.Browser == browser && !kept.Page.IsClosed);

    /// <summary>Starts the browser and readies one page with the CJK fonts loaded (a line of the report's own style), so the
    /// next publication prints at once. Does nothing when a page is waiting already.</summary>
    /// <exception cref="InvalidOperationException">Chromium is not at <see cref="PdfOptions.ChromiumPath"/>.</exception>
    public async Task WarmUpAsync(CancellationToken ct)
    {
        if (Warm) return;
        var css = await CssAsync(ct);
        await WithPageAsync(async page =>
        {
            await page.SetContentAsync($"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><style>{css}</style></head>"
                + "<body><h1>政府信息公开工作年度报告</h1><p>一、总体情况 第 1 页 共 1 页</p></body></html>", new() { WaitUntil = WaitUntilState.Load });
            await page.EvaluateAsync("() => document.fonts.ready");
            return true;
        }, ct);
    }

    /// <summary>A kept page of the current browser, or a new one.</summary>
    private async Task<(IBrowser Browser, IPage Page)> LeaseAsync()
    {
        var browser = await BrowserAsync();
        while (_idle.TryTake(out var kept))
        {
            if (kept.Browser == browser && browser.IsConnected && !kept.Page.IsClosed) return kept;
            await CloseQuietlyAsync(kept.Page);
        }
        return (browser, await browser.NewPageAsync());
    }

    private static async Task CloseQuietlyAsync(IPage page)
    {
        try
        {
            if (!page.IsClosed) await page.CloseAsync();
        }
        catch (PlaywrightException)
        {
            // The page's browser is gone already.
        }
    }

    private async Task<IBrowser> BrowserAsync()
    {
        if (_browser is { IsConnected: true }) return _browser;
        await _launch.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true }) return _browser;
            var path = options.Value.ChromiumPath;
            if (!File.Exists(path)) throw new InvalidOperationException($"Chromium not found at {path} (Pdf:ChromiumPath); PDF cannot be rendered.");
            _playwright ??= await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = path,
                Headless = true,
                Args = ChromiumArgs,
            });
            return _browser;
        }
        finally
        {
            _launch.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
