using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>
/// The test PostgreSQL server (GIR_TEST_PG, set by scripts/test.sh, which starts a throwaway cluster).
/// The schema is migrated once into a template database; each test class gets its own database
/// cloned from it with CREATE DATABASE … TEMPLATE, which takes milliseconds.
/// There is no skipping: without a server every database test fails, loudly.
/// As in production, two roles: <see cref="OwnerRole"/> owns the tables and applies migrations;
/// <see cref="AppRole"/>, which the app and the tests connect as, only reads and writes rows.
/// </summary>
public static class TestPostgres
{
    public const string OwnerRole = "gir_owner";
    public const string AppRole = "gir_app";

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);
    private static int _counter;

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("GIR_TEST_PG") is { Length: > 0 } cs ? cs
            : throw new InvalidOperationException(
                "GIR_TEST_PG is not set. Run the tests with `bash scripts/test.sh`, which starts a throwaway PostgreSQL, " +
                "or set GIR_TEST_PG to a server connection string (Host=…;Port=…;Username=…) whose user may create databases.");

    /// <summary>The app's role on <paramref name="database"/>.</summary>
    public static string ConnectionString(string database) => ConnectionString(database, AppRole);

    /// <summary>The owner's role on the database of <paramref name="connectionString"/> (schema reads, DDL).</summary>
    public static string OwnerConnectionString(string connectionString) =>
        ConnectionString(new NpgsqlConnectionStringBuilder(connectionString).Database!, OwnerRole);

    private static string ConnectionString(string database, string? role)
    {
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, Pooling = true };
        if (role is not null) builder.Username = role;
        return builder.ConnectionString;
    }

    /// <summary>A new database with the migrated schema and no rows.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var template = await Template.Value;
        var name = $"gir_{Sanitize(purpose)}_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" OWNER {OwnerRole}");
        return ConnectionString(name);
    }

    /// <summary>A new empty database (no schema), e.g. for EnsureCreated in the drift test, or to migrate step
    /// by step in the upgrade test; the connection string is the owner's.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync(string purpose)
    {
        await Template.Value; // the roles exist
        var name = $"gir_{Sanitize(purpose)}_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\" OWNER {OwnerRole}");
        return ConnectionString(name, OwnerRole);
    }

    public static AppDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(connectionString).Options);

    private static async Task<string> CreateTemplateAsync()
    {
        var name = $"gir_template_{Environment.ProcessId}";
        foreach (var role in new[] { OwnerRole, AppRole })
            await ExecuteAsync($"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} LOGIN; END IF; END $$");
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\"");
        await ExecuteAsync($"CREATE DATABASE \"{name}\" OWNER {OwnerRole}");
        await DatabaseMigrator.MigrateAsync(ConnectionString(name, OwnerRole), AppRole, CancellationToken.None);
        // A template must have no open connections when it is cloned.
        NpgsqlConnection.ClearAllPools();
        return name;
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres", null));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Sanitize(string s) => new(s.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
}
