using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Data;

public class AppDbContext : DbContext
{
    public AppDbContext(DbContextOptions<AppDbContext> options) : base(options) { }

    /// <summary>For derived contexts (the schema drift test builds one with an extra property).</summary>
    protected AppDbContext(DbContextOptions options) : base(options) { }

    public DbSet<Region> Regions => Set<Region>();
    public DbSet<Agency> Agencies => Set<Agency>();
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<ReportCell> ReportCells => Set<ReportCell>();
    public DbSet<ReportText> ReportTexts => Set<ReportText>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        modelBuilder.UseSnakeCaseNames();
    }
}
