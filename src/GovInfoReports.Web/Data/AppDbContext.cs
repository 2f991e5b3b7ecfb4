using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Data;

public class AppDbContext : IdentityDbContext<AppUser>
{
    public AppDbContext(DbContextOptions<AppDbContext> options) : base(options) { }

    /// <summary>For derived contexts (the schema drift test builds one with an extra property).</summary>
    protected AppDbContext(DbContextOptions options) : base(options) { }

    public DbSet<Region> Regions => Set<Region>();
    public DbSet<Agency> Agencies => Set<Agency>();
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<ReportCell> ReportCells => Set<ReportCell>();
    public DbSet<ReportText> ReportTexts => Set<ReportText>();
    public DbSet<ReportTransition> ReportTransitions => Set<ReportTransition>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ReportSnapshot> Snapshots => Set<ReportSnapshot>();
    public DbSet<ReviewComment> ReviewComments => Set<ReviewComment>();
    public DbSet<RoleGrant> RoleGrants => Set<RoleGrant>();
    public DbSet<DeadlineOverride> DeadlineOverrides => Set<DeadlineOverride>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Trigram indexes for public search: PostgreSQL's text search does not split Chinese.
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        modelBuilder.UseSnakeCaseNames();
    }
}
