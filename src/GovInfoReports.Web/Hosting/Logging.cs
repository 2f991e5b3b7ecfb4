using System.Security.Claims;
using Serilog;
using Serilog.Events;
using Serilog.Settings.Configuration;

namespace GovInfoReports.Web.Hosting;

/// <summary>
/// Serilog, configured from the <c>Serilog</c> section of the configuration: by default compact JSON lines
/// (one event a line, rendered message included) on the console; a rolling file sink is one more entry in
/// <c>Serilog:WriteTo</c> (see README, Logs). Business events are <c>[LoggerMessage]</c> methods beside the
/// code that changes state; they carry ids and actors, never report contents, passwords or personal data.
/// </summary>
public static class Logging
{
    /// <summary>The sinks and formatters that configuration may name, listed rather than discovered by scanning
    /// the dependency context (which differs in test hosts and single-file deployments).</summary>
    private static readonly ConfigurationReaderOptions SinkAssemblies = new(
        typeof(ConsoleLoggerConfigurationExtensions).Assembly,
        typeof(FileLoggerConfigurationExtensions).Assembly,
        typeof(Serilog.Formatting.Compact.RenderedCompactJsonFormatter).Assembly);

    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(services.GetRequiredService<IConfiguration>(), SinkAssemblies)
            .ReadFrom.Services(services)
            // EF Core's first migration probes __EFMigrationsHistory before the table exists and logs the
            // expected failure as an error; it is not one.
            .Filter.ByExcluding(IsMigrationHistoryProbe));
        return builder;
    }

    /// <summary>One line per request (method, path, status, time), with the user, agency code and report id
    /// where the route has them.</summary>
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(o =>
        {
            o.GetLevel = (http, _, exception) =>
                exception is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
                : http.Request.Path.StartsWithSegments("/healthz") ? LogEventLevel.Debug
                : LogEventLevel.Information;
            o.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId) diagnostics.Set("UserId", userId);
                if (http.GetRouteValue("agencyCode") is { } agencyCode) diagnostics.Set("AgencyCode", agencyCode);
                if (http.GetRouteValue("reportId") is { } reportId) diagnostics.Set("ReportId", reportId);
            };
        });
        return app;
    }

    private static bool IsMigrationHistoryProbe(LogEvent e) =>
        e.Level >= LogEventLevel.Error
        && e.Properties.TryGetValue("SourceContext", out var source) && source.ToString() == "\"Microsoft.EntityFrameworkCore.Database.Command\""
        && e.Properties.TryGetValue("commandText", out var command) && command.ToString().Contains("__EFMigrationsHistory", StringComparison.Ordinal);
}
