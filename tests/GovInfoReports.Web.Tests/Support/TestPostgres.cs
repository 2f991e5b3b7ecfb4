using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>
/// The test PostgreSQL server (GIR_TEST_PG, set by scripts/test.sh, which starts a throwaway cluster).
/// The schema is migrated once into a template database; each test class gets its own database
/// cloned from it with CREATE DATABASE … TEMPLATE, which takes milliseconds.
/// There is no skipping: without a server every database test fails, loudly.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);
    private static int _counter;

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("GIR_TEST_PG") is { Length: > 0 } cs ? cs
            : throw new InvalidOperationException(
                "GIR_TEST_PG is not set. Run the tests with `bash scripts/test.sh`, which starts a throwaway PostgreSQL, " +
                "or set GIR_TEST_PG to a server connection string (Host=…;Port=…;Username=…) whose user may create databases.");

    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, Pooling = true }.ConnectionString;

    /// <summary>A new database with the migrated schema and no rows.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var template = await Template.Value;
        var name = $"gir_{Sanitize(purpose)}_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        return ConnectionString(name);
    }

    /// <summary>A new empty database (no schema), e.g. for EnsureCreated in the drift test.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync(string purpose)
    {
        var name = $"gir_{Sanitize(purpose)}_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return ConnectionString(name);
    }

    public static AppDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(connectionString).Options);

    private static async Task<string> CreateTemplateAsync()
    {
        var name = $"gir_template_{Environment.ProcessId}";
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\"");
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        await using (var db = Context(ConnectionString(name)))
            await db.Database.MigrateAsync();
        // A template must have no open connections when it is cloned.
        NpgsqlConnection.ClearAllPools();
        return name;
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Sanitize(string s) => new(s.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
}
