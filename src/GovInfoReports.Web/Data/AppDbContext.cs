using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Data;

/// <summary>
/// The one database: agencies and regions, reports with their cells, texts, workflow and snapshots,
/// accounts (ASP.NET Core Identity) and the data-protection key ring. Tables and columns are snake_case
/// (EFCore.NamingConventions); the schema is changed only by migrations under Data/Migrations.
/// </summary>
public class AppDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    public AppDbContext(DbContextOptions<AppDbContext> options) : base(options) { }

    /// <summary>For derived contexts (the schema drift test builds one with an extra property).</summary>
    protected AppDbContext(DbContextOptions options) : base(options) { }

    public DbSet<Region> Regions => Set<Region>();
    public DbSet<Agency> Agencies => Set<Agency>();
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<ReportCell> ReportCells => Set<ReportCell>();
    public DbSet<ReportText> ReportTexts => Set<ReportText>();
    public DbSet<ReportPart> ReportParts => Set<ReportPart>();
    public DbSet<ReportTransition> ReportTransitions => Set<ReportTransition>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Publishing.RegionCellTotal> RegionCellTotals => Set<Publishing.RegionCellTotal>();
    public DbSet<Publishing.RegionCellDelta> RegionCellDeltas => Set<Publishing.RegionCellDelta>();
    public DbSet<ReportSnapshot> Snapshots => Set<ReportSnapshot>();
    public DbSet<Publishing.Import.ReportImport> ReportImports => Set<Publishing.Import.ReportImport>();
    public DbSet<ReviewComment> ReviewComments => Set<ReviewComment>();
    public DbSet<RoleGrant> RoleGrants => Set<RoleGrant>();
    public DbSet<DeadlineOverride> DeadlineOverrides => Set<DeadlineOverride>();
    public DbSet<Review.TextFingerprint> TextFingerprints => Set<Review.TextFingerprint>();
    public DbSet<Review.Reminder> Reminders => Set<Review.Reminder>();
    public DbSet<Review.ReminderRecipient> ReminderRecipients => Set<Review.ReminderRecipient>();
    public DbSet<Consolidation.ConsolidationAcceptance> ConsolidationAcceptances => Set<Consolidation.ConsolidationAcceptance>();
    public DbSet<Consolidation.ConsolidationExclusion> ConsolidationExclusions => Set<Consolidation.ConsolidationExclusion>();
    public DbSet<Accounts.LoginFailure> LoginFailures => Set<Accounts.LoginFailure>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Naming belongs to the model, not to whoever builds the options (app, tests, dotnet-ef).</summary>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Trigram indexes for public search: PostgreSQL's text search does not split Chinese.
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        // Identity names its tables and two indexes explicitly, which a naming convention does not override.
        modelBuilder.Entity<AppUser>(b =>
        {
            b.ToTable("asp_net_users");
            b.HasIndex(u => u.NormalizedUserName).HasDatabaseName("user_name_index");
            b.HasIndex(u => u.NormalizedEmail).HasDatabaseName("email_index");
        });
        modelBuilder.Entity<IdentityRole>(b =>
        {
            b.ToTable("asp_net_roles");
            b.HasIndex(r => r.NormalizedName).HasDatabaseName("role_name_index");
        });
        modelBuilder.Entity<IdentityUserClaim<string>>().ToTable("asp_net_user_claims");
        modelBuilder.Entity<IdentityUserLogin<string>>().ToTable("asp_net_user_logins");
        modelBuilder.Entity<IdentityUserToken<string>>().ToTable("asp_net_user_tokens");
        modelBuilder.Entity<IdentityUserRole<string>>().ToTable("asp_net_user_roles");
        modelBuilder.Entity<IdentityRoleClaim<string>>().ToTable("asp_net_role_claims");
    }
}
