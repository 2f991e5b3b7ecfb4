using FluentValidation;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Forms;
using GovInfoReports.Web.Entry;
using GovInfoReports.Web.Review;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Demo;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Admin;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.WebEncoders;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace GovInfoReports.Web.Hosting;

public static class ServiceRegistration
{
    /// <summary>Form limit: large enough that a 2 MB Chinese paste (≈ 6 MB URL-encoded) arrives whole and is
    /// refused with a message by validation, instead of failing in the form reader.</summary>
    public const int MaxFormBytes = 32 * 1024 * 1024;

    /// <summary>
    /// The app's connection string with Npgsql's statement reuse, unless it sets these itself (issue 13's save load: a
    /// page's twenty small queries were each parsed and planned again, ~0.4 ms of PostgreSQL CPU each, and each return of a
    /// connection to the pool cost a <c>DISCARD ALL</c> statement and commit of its own):
    /// <c>Max Auto Prepare</c> — a query run a few times on a connection is prepared there and then only bound and executed;
    /// <c>No Reset On Close</c> — a pooled connection keeps its prepared statements between uses. The app keeps no other
    /// session state (no <c>SET</c>, temporary tables or session-level locks), so nothing else carries over.
    /// </summary>
    public static string WithStatementReuse(string connectionString)
    {
        var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        // Which keys the string itself sets (Npgsql's builder answers for every key it knows); Npgsql accepts each with
        // or without its spaces, in any case.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!written.Contains("NoResetOnClose")) npgsql.NoResetOnClose = true;
        if (!written.Contains("MaxAutoPrepare")) npgsql.MaxAutoPrepare = 256;
        return npgsql.ConnectionString;
    }

    public static WebApplicationBuilder AddGovInfoReports(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Default")
            ?? throw new InvalidOperationException(
                "ConnectionStrings:Default is not set (environment variable ConnectionStrings__Default). " +
                "scripts/run.sh starts a local PostgreSQL and sets it for you.");
        builder.AddLogging();
        // Features keep their static assets beside their pages (Entry/Assets, Publishing/Documents/Assets); the build
        // manifest maps them into the web root. The framework reads it only in Development unless asked, and a
        // published app has them copied into wwwroot (where this finds no manifest and changes nothing).
        builder.WebHost.UseStaticWebAssets();
        connectionString = WithStatementReuse(connectionString);
        // Every save that changes a report's text rewrites its similarity fingerprints (内容雷同), whatever the write path.
        builder.Services.AddDbContext<AppDbContext>((sp, o) => o.UseNpgsql(connectionString)
            .AddInterceptors(sp.GetRequiredService<Review.TextFingerprintInterceptor>()));
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");

        var templateDirectory = builder.Configuration["Templates:Directory"];
        builder.Services.AddSingleton(_ => FieldLimits.CheckMetadata(TemplateCatalog.Load(templateDirectory)));
        // Every validator of the app and the domain (ReportValidator); they hold no state, so one instance each. The
        // metadata form's validator depends on the report's template and is made per template (MetadataInputValidator.For).
        builder.Services.AddValidatorsFromAssemblies([typeof(ServiceRegistration).Assembly, typeof(ReportValidator).Assembly], ServiceLifetime.Singleton,
            filter: r => r.ValidatorType != typeof(MetadataInputValidator));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Domain.Reports.ReportingPeriods>();

        // Pages live in their feature's folder (Entry/, Review/, Publishing/, Admin/, Accounts/), so the Razor
        // Pages root is the project; every page declares its route, so the folder never shows in a URL. Registered before the
        // features: the framework's own RazorPagesOptions setup must run before they add their conventions.
        builder.Services.AddRazorPages(o =>
        {
            o.RootDirectory = "/";
        }).AddMvcOptions(o =>
        {
            o.ModelBinderProviders.Insert(0, new CleanTextBinderProvider());
            // Forms here name fields as Input.Cells[apps.new.np], which the standard form provider reads. jQuery's
            // Input[Cells][apps.new.np] is never posted, and its providers doubled the prefix look-ups of binding a 表三
            // form of ~320 fields (~4 % of a save's CPU).
            o.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            o.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
        });
        // The features, each with its pages, services, static assets and page authorization conventions.
        builder.AddAccounts();
        builder.Services.AddEntry();
        builder.Services.AddReview();
        builder.Services.AddPublishing();
        builder.Services.AddAdmin();
        builder.Services.AddScoped<DemoSeeder>();

        builder.Services.Configure<FormOptions>(o =>
        {
            o.ValueLengthLimit = MaxFormBytes;
            o.MultipartBodyLengthLimit = MaxFormBytes;
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxFormBytes);

        builder.AddKeyRing();
        // Behind a reverse proxy, the client address (login rate limit) comes from X-Forwarded-For, but only
        // from the proxies listed in Network:TrustedProxies (comma-separated addresses). The framework's default
        // list (loopback) is dropped, or any local process, or a proxy on this host that passes a client's header
        // through, could choose its address and escape the login rate limit. An empty list would make the
        // middleware believe every sender, so with no proxy configured the headers are not read at all.
        var proxies = (builder.Configuration["Network:TrustedProxies"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(System.Net.IPAddress.Parse).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var address in proxies) o.KnownProxies.Add(address);
            o.ForwardedHeaders = proxies.Count == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        });
        // Write Chinese as characters, not numeric entities (HTML stays readable; sizes stay small).
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return builder;
    }

    public static WebApplication UseGovInfoReports(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseRequestLogging();
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/Error",
                // An unreachable database is "try again later" (503, a Chinese page saying so), not a bug (500).
                StatusCodeSelector = e => DatabaseOutage.Is(e) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
            });
        app.UseSecurityHeaders();
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseNulTolerantForms();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseOutputCache();
        app.UsePublicResponses();
        app.MapHealth();
        app.MapEntry();
        app.MapPublishing();
        app.MapRazorPages();
        return app;
    }
}
