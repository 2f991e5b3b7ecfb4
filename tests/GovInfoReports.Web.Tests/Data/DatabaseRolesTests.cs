using GovInfoReports.Web.Tests.Support;
using Npgsql;

namespace GovInfoReports.Web.Tests.Data;

/// <summary>
/// The app connects as a role that does not own the tables (migrations run as the owner), so nothing it can
/// send gets around the triggers that keep published versions immutable.
/// </summary>
public sealed class DatabaseRolesTests(PublishedAppFixture app) : IClassFixture<PublishedAppFixture>
{
    [Fact]
    public async Task The_app_connects_as_a_role_that_neither_owns_the_tables_nor_is_superuser()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT current_user, r.rolsuper, t.tableowner FROM pg_tables t, pg_roles r
            WHERE t.tablename = 'snapshot_cells' AND r.rolname = current_user
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(TestPostgres.AppRole, reader.GetString(0));
        Assert.False(reader.GetBoolean(1));
        Assert.Equal(TestPostgres.OwnerRole, reader.GetString(2));
    }

    [Theory]
    [InlineData("TRUNCATE snapshot_cells")]
    [InlineData("TRUNCATE report_snapshots CASCADE")]
    [InlineData("ALTER TABLE snapshot_cells DISABLE TRIGGER published_cells_immutable")]
    [InlineData("ALTER TABLE report_snapshots DISABLE TRIGGER ALL")]
    [InlineData("DROP TRIGGER published_texts_immutable ON snapshot_texts")]
    [InlineData("DROP FUNCTION refuse_published_change() CASCADE")]
    [InlineData("DROP TABLE snapshot_cells")]
    [InlineData("SET session_replication_role = replica")]
    public async Task The_apps_role_may_not_truncate_or_disable_or_drop_the_guards(string sql)
    {
        await using var connection = await OpenAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
    }

    [Theory]
    [InlineData("UPDATE snapshot_cells SET value = value + 1 WHERE snapshot_id = (SELECT min(id) FROM report_snapshots WHERE kind = 'Publication')")]
    [InlineData("DELETE FROM snapshot_texts WHERE snapshot_id = (SELECT min(id) FROM report_snapshots WHERE kind = 'Publication')")]
    [InlineData("DELETE FROM report_snapshots WHERE kind = 'Publication'")]
    [InlineData("INSERT INTO snapshot_cells (snapshot_id, cell_id, value) SELECT min(id), 't3.injected', 1 FROM report_snapshots WHERE kind = 'Publication'")]
    [InlineData("INSERT INTO snapshot_texts (snapshot_id, part_id, text) SELECT min(id), 's1.injected', '加一段' FROM report_snapshots WHERE kind = 'Publication'")]
    public async Task The_apps_role_cannot_change_or_extend_a_published_version(string sql)
    {
        await using var connection = await OpenAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync());
        Assert.Contains("immutable", e.MessageText);
    }

    [Fact]
    public async Task Snapshots_that_are_not_publications_still_take_rows()
    {
        await using var connection = await OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var insert = new NpgsqlCommand("""
            INSERT INTO snapshot_cells (snapshot_id, cell_id, value)
            SELECT min(id), 't3.probe', 1 FROM report_snapshots WHERE kind = 'Submission'
            """, connection, tx);
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        await tx.RollbackAsync();
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
