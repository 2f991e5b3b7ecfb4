using System.Net;
using GovInfoReports.Web.Demo;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GovInfoReports.Web.Tests.Data;

/// <summary>
/// A database made by the releases before generated migrations (the five hand-written ones, keys stored
/// unencrypted) upgrades in place: the schema does not change by accident, no row is lost, and a user
/// signed in before the upgrade is still signed in after it.
/// </summary>
public sealed class UpgradeTests
{
    /// <summary>The last migration of the hand-written releases.</summary>
    private const string LastHandWritten = "20261123000400_ImmutablePublications";

    [Fact]
    public async Task A_database_of_the_hand_written_migrations_upgrades_in_place_keeping_rows_schema_and_sign_ins()
    {
        var owner = await TestPostgres.CreateEmptyDatabaseAsync("upgrade");
        var appConnection = TestPostgres.ConnectionString(new NpgsqlConnectionStringBuilder(owner).Database!);
        await DatabaseMigrator.MigrateAsync(owner, TestPostgres.AppRole, CancellationToken.None, LastHandWritten);
        var schemaBefore = await SchemaSnapshot.ReadAsync(owner);
        // The "release" below is today's code, which writes report_cells.unit and snapshot_cells.unit (added since
        // the hand-written releases). The columns exist only while it seeds, all null, and are dropped before the
        // upgrade, so the upgrade starts from exactly the hand-written schema (schemaBefore) with its rows.
        await ExecuteAsync(owner, "ALTER TABLE report_cells ADD COLUMN unit text; ALTER TABLE snapshot_cells ADD COLUMN unit text;");

        string cookies;
        Dictionary<string, long> rowsBefore;
        await using (var release = new AppFactory(appConnection) { EncryptKeys = false })
        {
            await using (var scope = release.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None, publishHistory: false);
            cookies = await CookieSession.SignInAsync(release, "edu");
            Assert.Equal(HttpStatusCode.OK, (await CookieSession.Client(release, cookies).GetAsync("/entry")).StatusCode);
            rowsBefore = await RowCountsAsync(owner);
        }
        Assert.Contains("<masterKey", await KeyXmlAsync(owner)); // the old release kept its keys in plaintext
        Assert.Equal(0L, await ScalarAsync(owner, "SELECT (SELECT count(*) FROM report_cells WHERE unit IS NOT NULL) + (SELECT count(*) FROM snapshot_cells WHERE unit IS NOT NULL)"));
        await ExecuteAsync(owner, "ALTER TABLE report_cells DROP COLUMN unit; ALTER TABLE snapshot_cells DROP COLUMN unit;");
        Assert.Empty(SchemaSnapshot.Differences(schemaBefore, await SchemaSnapshot.ReadAsync(owner)));

        await DatabaseMigrator.MigrateAsync(owner, TestPostgres.AppRole, CancellationToken.None);

        // The intended changes since the hand-written releases: display names got a length limit; cell values
        // became exact (numeric without a declared scale, at most 6 decimals by a CHECK: 万元 to the 分); cells
        // gained the unit the agency printed (2019 format 采购总金额: 元 or 万元).
        Assert.Equal(
            [
                "only in migrations: column | asp_net_users | display_name | text | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in migrations: column | report_cells | value | numeric | ∅ | 18 | 4 | NO | ∅ | NO | ∅",
                "only in migrations: column | snapshot_cells | value | numeric | ∅ | 18 | 4 | NO | ∅ | NO | ∅",
                "only in model:      column | asp_net_users | display_name | character varying | 50 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | report_cells | unit | character varying | 16 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | report_cells | value | numeric | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | snapshot_cells | unit | character varying | 16 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | snapshot_cells | value | numeric | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      constraint | report_cells | ck_report_cells_value_exact | CHECK | CHECK (((scale(value) <= 6) AND (abs(value) < ('100000000000000'::bigint)::numeric)))",
                "only in model:      constraint | snapshot_cells | ck_snapshot_cells_value_exact | CHECK | CHECK (((scale(value) <= 6) AND (abs(value) < ('100000000000000'::bigint)::numeric)))",
            ],
            SchemaSnapshot.Differences(schemaBefore, await SchemaSnapshot.ReadAsync(owner)));
        Assert.Equal(rowsBefore, await RowCountsAsync(owner));
        await using var upgraded = new AppFactory(appConnection);
        var response = await CookieSession.Client(upgraded, cookies).GetAsync("/entry");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("获嘉县教育局", await response.Content.ReadAsStringAsync());
        await using var db = TestPostgres.Context(appConnection);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations().SkipWhile(m => m != LastHandWritten).Skip(1), (await db.Database.SqlQuery<string>($"""
            SELECT migration_id AS "Value" FROM "__EFMigrationsHistory" WHERE migration_id > {LastHandWritten} ORDER BY 1
            """).ToListAsync()));
    }

    private static async Task<Dictionary<string, long>> RowCountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var counts = new Dictionary<string, long>();
        foreach (var table in tables.Where(t => t != "__EFMigrationsHistory"))
            counts[table] = (long)(await new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection).ExecuteScalarAsync())!;
        return counts;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return (long)(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync())!;
    }

    private static async Task<string> KeyXmlAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return (string)(await new NpgsqlCommand("SELECT string_agg(xml, '') FROM data_protection_keys", connection).ExecuteScalarAsync())!;
    }
}
