using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GovInfoReports.Web.Data;

/// <summary>
/// Applies migrations as the role that owns the tables and lets the application's role use them, nothing
/// more. Two roles, so that the running app cannot TRUNCATE a table or disable or drop the triggers that keep
/// published versions immutable (only an owner or a superuser can):
/// <list type="bullet">
/// <item><c>ConnectionStrings:Migrations</c>: the owner role; used only by <c>--migrate</c>, <c>--seed-demo</c>
/// and <c>--create-admin</c> to apply migrations. When unset, the Default connection's role migrates (one
/// role: the app then owns its tables, and a warning says so).</item>
/// <item><c>ConnectionStrings:Default</c>: the app's role, granted SELECT, INSERT, UPDATE, DELETE on the tables
/// and USAGE on their sequences after every migration.</item>
/// </list>
/// </summary>
public sealed partial class DatabaseMigrator(IConfiguration configuration, ILoggerFactory loggers, ILogger<DatabaseMigrator> logger,
    Domain.Templates.TemplateCatalog catalog)
{
    /// <summary>The owner connection string, or the Default one when no separate owner is configured.</summary>
    public string OwnerConnectionString =>
        configuration.GetConnectionString("Migrations") is { Length: > 0 } owner ? owner
            : configuration.GetConnectionString("Default") ?? throw new InvalidOperationException("ConnectionStrings:Default is not set");

    /// <summary>Migrates to the latest migration as the owner and grants the app's role its privileges.</summary>
    /// <exception cref="NpgsqlException">The database is unreachable or the owner lacks a privilege.</exception>
    public async Task MigrateAsync(CancellationToken ct)
    {
        var appConnection = configuration.GetConnectionString("Default")!;
        await MigrateAsync(OwnerConnectionString, new NpgsqlConnectionStringBuilder(appConnection).Username, ct, loggers: loggers);
        LogMigrated(logger);
        await using var connection = new NpgsqlConnection(appConnection);
        await connection.OpenAsync(ct);
        await using var check = new NpgsqlCommand("""
            SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                OR EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user)
            """, connection);
        await using var reader = await check.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct) && reader.GetBoolean(1)) LogOwnerRole(logger, reader.GetString(0));
        await reader.DisposeAsync();
        // Reports written before text_fingerprints existed (or outside the app) get their similarity fingerprints now.
        if (catalog.ShingleSize is { } n && await Review.TextFingerprintIndex.BackfillAsync(connection, n, ct) is > 0 and var parts)
            LogFingerprinted(logger, parts);
    }

    /// <summary>The same, for callers without configuration (tests): <paramref name="appRole"/> is granted the
    /// app's privileges unless it is null or the owner itself.</summary>
    /// <param name="targetMigration">Stop at this migration id (tests of upgrades from older releases).</param>
    /// <param name="loggers">Where EF Core logs what it applies (none: silent).</param>
    public static async Task MigrateAsync(string ownerConnectionString, string? appRole, CancellationToken ct,
        string? targetMigration = null, ILoggerFactory? loggers = null)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(ownerConnectionString);
        if (loggers is not null) options.UseLoggerFactory(loggers);
        await using (var db = new AppDbContext(options.Options))
        {
            // Nothing to apply: no DDL, so a role that may only read and write rows can run --seed-demo or
            // --create-admin on a current schema.
            var pending = await db.Database.GetPendingMigrationsAsync(ct);
            if (targetMigration is not null || pending.Any())
            {
                try
                {
                    await db.Database.MigrateAsync(targetMigration, ct);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
                {
                    throw new InvalidOperationException(
                        $"Applying migrations needs the role that owns the tables; role \"{new NpgsqlConnectionStringBuilder(ownerConnectionString).Username}\" " +
                        $"may not ({e.MessageText}). Set ConnectionStrings:Migrations to the owner's connection string.", e);
                }
            }
        }
        var owner = new NpgsqlConnectionStringBuilder(ownerConnectionString).Username;
        if (string.IsNullOrEmpty(appRole) || appRole == owner) return;

        var role = QuoteIdentifier(appRole);
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(ct);
        await using var grant = new NpgsqlCommand($"""
            GRANT USAGE ON SCHEMA public TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
            """, connection);
        await grant.ExecuteNonQueryAsync(ct);
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [LoggerMessage(Level = LogLevel.Information, Message = "Similarity fingerprints written for {Parts} narrative parts")]
    private static partial void LogFingerprinted(ILogger logger, int parts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database migrated")]
    private static partial void LogMigrated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The app connects as {Role}, which owns tables or is a superuser: it could disable the triggers that keep published versions immutable. Set ConnectionStrings:Migrations to the owner and ConnectionStrings:Default to a role that owns nothing (see README, Database roles)")]
    private static partial void LogOwnerRole(ILogger logger, string role);
}
