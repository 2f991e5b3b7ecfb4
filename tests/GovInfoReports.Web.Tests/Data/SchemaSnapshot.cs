using Npgsql;

namespace GovInfoReports.Web.Tests.Data;

/// <summary>The parts of a PostgreSQL schema that a migration must get right, as comparable text lines.</summary>
public static class SchemaSnapshot
{
    public static async Task<SortedSet<string>> ReadAsync(string connectionString)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        async Task Add(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                lines.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : reader.GetValue(i).ToString())));
        }

        await Add("""
            SELECT 'table', table_name FROM information_schema.tables
            WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            """);
        await Add("""
            SELECT 'column', table_name, column_name, data_type, character_maximum_length, numeric_precision, numeric_scale,
                   is_nullable, column_default, is_identity, identity_generation
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            """);
        await Add("""
            SELECT 'constraint', tc.table_name, tc.constraint_name, tc.constraint_type, pg_get_constraintdef(c.oid)
            FROM information_schema.table_constraints tc
            JOIN pg_constraint c ON c.conname = tc.constraint_name
            WHERE tc.table_schema = 'public' AND tc.table_name <> '__EFMigrationsHistory' AND tc.constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY', 'UNIQUE', 'CHECK')
            """);
        await Add("""
            SELECT 'index', tablename, indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            """);
        return lines;
    }

    /// <summary>Lines only in one side, prefixed with which side has them.</summary>
    public static IReadOnlyList<string> Differences(SortedSet<string> migrated, SortedSet<string> model) =>
        migrated.Except(model).Select(l => "only in migrations: " + l)
            .Concat(model.Except(migrated).Select(l => "only in model:      " + l)).ToList();
}
