using GovInfoReports.Web.Data;
using GovInfoReports.Web.Demo;
using GovInfoReports.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GovInfoReports.Web.Tests.Data;

/// <summary>The migration from numeric(18,4) cell values to exact values (万元 to the 分, 6 decimals) keeps every
/// stored value, drafts and published versions alike, byte for byte.</summary>
public sealed class CellValueMigrationTests
{
    /// <summary>The migration before cell values became exact.</summary>
    private const string Before = "20261129192627_UserDisplayNameLimit";

    [Fact]
    public async Task Existing_values_keep_their_stored_text_and_new_values_keep_six_decimals_without_padding()
    {
        var owner = await TestPostgres.CreateEmptyDatabaseAsync("cellvalues");
        var appConnection = TestPostgres.ConnectionString(new NpgsqlConnectionStringBuilder(owner).Database!);
        await DatabaseMigrator.MigrateAsync(owner, TestPostgres.AppRole, CancellationToken.None, Before);
        // Releases before issue 8 kept no narrative outline and no printed unit; today's seeder writes both (for drafts
        // and published versions), so it is lent the two tables and the unit columns (left null) for the seeding,
        // which are dropped again before the migration.
        await ExecuteAsync(owner,
            "ALTER TABLE report_cells ADD COLUMN unit text; ALTER TABLE snapshot_cells ADD COLUMN unit text; " +
            "ALTER TABLE report_snapshots ADD COLUMN archive_import_id integer, ADD COLUMN archive_published_on date, ADD COLUMN archive_source_url text, ADD COLUMN import_findings jsonb; " +
            "CREATE TABLE text_fingerprints (report_id integer, part_id character varying(64), year integer, agency_id integer, length integer, signature integer[], bands bigint[]); " +
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON text_fingerprints TO {TestPostgres.AppRole}; " +
            "CREATE TABLE report_parts (report_id integer, part_id character varying(64), position integer, heading character varying(200)); " +
            "CREATE TABLE snapshot_parts (snapshot_id bigint, part_id character varying(64), position integer, heading character varying(200)); " +
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON report_parts, snapshot_parts TO {TestPostgres.AppRole}; " +
            // The consolidation tables (issue 12): today's demo consolidates 获嘉县's reports.
            "CREATE TABLE consolidation_acceptances (report_id integer, accepted_at timestamp with time zone, accepted_by character varying(450)); " +
            "CREATE TABLE consolidation_exclusions (report_id integer, agency_id integer, reason character varying(200), excluded_by character varying(450), excluded_at timestamp with time zone); " +
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON consolidation_acceptances, consolidation_exclusions TO {TestPostgres.AppRole}");
        await using (var release = new AppFactory(appConnection))
        await using (var scope = release.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None, publishHistory: true);
        await ExecuteAsync(owner, "DROP TABLE report_parts, snapshot_parts, text_fingerprints, consolidation_acceptances, consolidation_exclusions; ALTER TABLE report_cells DROP COLUMN unit; ALTER TABLE snapshot_cells DROP COLUMN unit; " +
            "ALTER TABLE report_snapshots DROP COLUMN archive_import_id, DROP COLUMN archive_published_on, DROP COLUMN archive_source_url, DROP COLUMN import_findings;");
        // A fee typed as 45.4 under numeric(18,4) was stored padded to 45.4000.
        await ExecuteAsync(owner, "UPDATE report_cells SET value = 45.4 WHERE cell_id = 'a20_8.fees.amount'");
        var draftBefore = await ValuesAsync(owner, "report_cells");
        var publishedBefore = await ValuesAsync(owner, "snapshot_cells");
        Assert.Contains("45.4000", draftBefore.Values);
        Assert.NotEmpty(publishedBefore);

        await DatabaseMigrator.MigrateAsync(owner, TestPostgres.AppRole, CancellationToken.None);

        Assert.Equal(draftBefore, await ValuesAsync(owner, "report_cells"));
        Assert.Equal(publishedBefore, await ValuesAsync(owner, "snapshot_cells"));
        await ExecuteAsync(appConnection, "UPDATE report_cells SET value = 1234.567891 WHERE cell_id = 'a20_8.fees.amount'");
        Assert.Contains("1234.567891", (await ValuesAsync(owner, "report_cells")).Values);
        await ExecuteAsync(appConnection, "UPDATE report_cells SET value = 45.4 WHERE cell_id = 'a20_8.fees.amount'");
        Assert.Contains("45.4", (await ValuesAsync(owner, "report_cells")).Values);
        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync(appConnection, "UPDATE report_cells SET value = 1.2345678 WHERE cell_id = 'a20_8.fees.amount'"));
        Assert.Equal("ck_report_cells_value_exact", refused.ConstraintName);
    }

    private static async Task<Dictionary<string, string>> ValuesAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var key = table == "report_cells" ? "report_id" : "snapshot_id";
        await using var command = new NpgsqlCommand($"SELECT {key}::text || ' ' || cell_id, value::text FROM {table}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new Dictionary<string, string>();
        while (await reader.ReadAsync()) values[reader.GetString(0)] = reader.GetString(1);
        return values;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
