using GovInfoReports.Web.Data;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Data;

/// <summary>
/// The first five migrations were written by hand, and the model's names now come from EFCore.NamingConventions:
/// the schema the migrations build must equal the one EnsureCreated builds from the model — tables, column types,
/// nullability, defaults, identity, keys, foreign keys and indexes. (CI also runs
/// `dotnet ef migrations has-pending-model-changes`, which compares the model with the migrations' snapshot.)
/// </summary>
public sealed class SchemaDriftTests
{
    [Fact]
    public async Task The_migrated_schema_equals_the_schema_the_model_expects()
    {
        var migrated = await TestPostgres.CreateDatabaseAsync("driftmigrated");
        var modelled = await TestPostgres.CreateEmptyDatabaseAsync("driftmodel");
        await using (var db = TestPostgres.Context(modelled))
        {
            await db.Database.EnsureCreatedAsync();
            // The one index the model cannot declare (a complex type's column): its definition must match the migrations'.
            await db.Database.ExecuteSqlRawAsync(Web.Data.Configurations.ReportSnapshotConfiguration.TitleSearchIndexSql);
        }

        var differences = SchemaSnapshot.Differences(await SchemaSnapshot.ReadAsync(TestPostgres.OwnerConnectionString(migrated)), await SchemaSnapshot.ReadAsync(modelled));

        Assert.True(differences.Count == 0, "Schema drift:\n" + string.Join("\n", differences));
    }

    [Fact]
    public async Task A_property_added_without_a_migration_is_reported_as_drift()
    {
        var migrated = await TestPostgres.CreateDatabaseAsync("driftmigrated");
        var modelled = await TestPostgres.CreateEmptyDatabaseAsync("driftextra");
        var options = new DbContextOptionsBuilder<DriftProbeContext>().UseNpgsql(modelled).Options;
        await using (var db = new DriftProbeContext(options))
        {
            await db.Database.EnsureCreatedAsync();
            await db.Database.ExecuteSqlRawAsync(Web.Data.Configurations.ReportSnapshotConfiguration.TitleSearchIndexSql);
        }

        var differences = SchemaSnapshot.Differences(await SchemaSnapshot.ReadAsync(TestPostgres.OwnerConnectionString(migrated)), await SchemaSnapshot.ReadAsync(modelled));

        Assert.Contains(differences, d => d.StartsWith("only in model:      column | agencies | short_name | character varying | 40", StringComparison.Ordinal));
        Assert.Single(differences);
    }

    /// <summary>The app's model plus one property that no migration creates.</summary>
    private sealed class DriftProbeContext(DbContextOptions<DriftProbeContext> options) : AppDbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Domain.Agencies.Agency>().Property<string>("ShortName").HasMaxLength(40);
            base.OnModelCreating(modelBuilder);
        }
    }
}
