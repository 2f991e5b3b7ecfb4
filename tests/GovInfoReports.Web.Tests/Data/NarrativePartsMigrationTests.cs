using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace GovInfoReports.Web.Tests.Data;

/// <summary>
/// The migration that gives each report its own narrative outline (issue 8) upgrades existing reports and
/// published versions so that they keep their texts and print as before: every part of the 2021 outline, written
/// or not, gets the place and heading the document printed, and a published version's outline is immutable.
/// </summary>
public sealed class NarrativePartsMigrationTests
{
    private const string Before = "20261129192627_UserDisplayNameLimit";

    [Fact]
    public async Task Existing_reports_and_published_versions_get_the_headings_they_printed_and_keep_their_texts()
    {
        var owner = await TestPostgres.CreateEmptyDatabaseAsync("narrativeparts");
        await using (var db = TestPostgres.Context(owner))
            await db.GetService<IMigrator>().MigrateAsync(Before);

        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            // The rows the earlier release wrote: one row per part with text, none for an empty part. The published
            // snapshot and its texts are inserted in one transaction, as a publication does.
            await Execute(connection, """
                INSERT INTO regions (code, level, name) VALUES ('410724', 'County', '获嘉县');
                INSERT INTO agencies (code, kind, name, region_id, may_make_rules)
                    SELECT '11410724MB0000037', 'Department', '获嘉县教育局', id, false FROM regions;
                INSERT INTO reports (agency_id, compiling_office, created_at, period_end, period_start, published_versions, revision,
                                     status, template_code, title, updated_at, year)
                    SELECT id, '获嘉县教育局', now(), '2023-12-31', '2023-01-01', 1, 1, 'Published', '2021', '2023年报告', now(), 2023 FROM agencies;
                INSERT INTO report_texts (report_id, part_id, text)
                    SELECT id, p, t FROM reports, (VALUES ('s1.active', '主动公开情况。'), ('s5.text', '存在的问题。')) AS x(p, t);
                INSERT INTO report_snapshots (agency_kind, agency_name, at, compiling_office, kind, period_end, period_start, region_code,
                                              region_name, report_id, revision, template_code, title, version)
                    SELECT 'Department', '获嘉县教育局', now(), '获嘉县教育局', 'Publication', '2023-12-31', '2023-01-01', '410724', '获嘉县',
                           id, 1, '2021', '2023年报告', 1 FROM reports;
                INSERT INTO snapshot_texts (snapshot_id, part_id, text)
                    SELECT id, p, t FROM report_snapshots, (VALUES ('s1.active', '主动公开情况。'), ('s5.text', '存在的问题。')) AS x(p, t);
                """);
            await tx.CommitAsync();
        }

        await using (var db = TestPostgres.Context(owner))
            await db.GetService<IMigrator>().MigrateAsync();

        string[] outline =
        [
            "s1.opening 0 ∅", "s1.active 1 （一）主动公开", "s1.request 2 （二）依申请公开", "s1.management 3 （三）政府信息管理",
            "s1.platform 4 （四）政府信息公开平台建设", "s1.oversight 5 （五）监督保障", "s5.text 0 ∅", "s6.text 0 ∅",
        ];
        const string select = "SELECT part_id || ' ' || position || ' ' || coalesce(heading, '∅') FROM {0} ORDER BY split_part(part_id, '.', 1), position";
        Assert.Equal(outline, await Strings(connection, string.Format(select, "report_parts")));
        Assert.Equal(outline, await Strings(connection, string.Format(select, "snapshot_parts")));
        string[] texts = ["s1.active 主动公开情况。", "s5.text 存在的问题。"];
        Assert.Equal(texts, await Strings(connection, "SELECT part_id || ' ' || text FROM report_texts ORDER BY 1"));
        Assert.Equal(texts, await Strings(connection, "SELECT part_id || ' ' || text FROM snapshot_texts ORDER BY 1"));

        // The published version's outline is as immutable as its texts.
        await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, "UPDATE snapshot_parts SET heading = '改' WHERE part_id = 's1.active'"));
        await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, "DELETE FROM snapshot_parts WHERE part_id = 's1.active'"));
        await Assert.ThrowsAsync<PostgresException>(() => Execute(connection,
            "INSERT INTO snapshot_parts (snapshot_id, part_id, position, heading) SELECT id, 's1.part_a', 6, '新增' FROM report_snapshots"));
        Assert.Equal(outline, await Strings(connection, string.Format(select, "snapshot_parts")));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> Strings(NpgsqlConnection connection, string sql)
    {
        var result = new List<string>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result.Add(reader.GetString(0));
        return result;
    }
}
