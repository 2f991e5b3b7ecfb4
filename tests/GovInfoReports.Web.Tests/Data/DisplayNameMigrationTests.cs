using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace GovInfoReports.Web.Tests.Data;

/// <summary>The migration that bounds display names runs on databases that already hold users.</summary>
public sealed class DisplayNameMigrationTests
{
    [Fact]
    public async Task Bounding_display_names_cuts_an_existing_longer_name_instead_of_failing()
    {
        var connectionString = await TestPostgres.CreateEmptyDatabaseAsync("displaynamelimit");
        await using var db = TestPostgres.Context(connectionString);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261129190339_ModelSnapshotBaseline");
        var longName = new string('岗', 60);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO asp_net_users (id, display_name, email_confirmed, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count)
            VALUES ('long', {longName}, false, false, false, false, 0), ('short', '县教育局填报员', false, false, false, false, 0)
            """);

        await migrator.MigrateAsync("20261129192627_UserDisplayNameLimit");

        var names = await db.Database.SqlQuery<string>($"SELECT display_name AS \"Value\" FROM asp_net_users ORDER BY id").ToListAsync();
        Assert.Equal([new string('岗', 50), "县教育局填报员"], names);
    }
}
