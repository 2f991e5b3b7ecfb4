using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Consolidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovInfoReports.Web.Data.Configurations;

public sealed class ConsolidationAcceptanceConfiguration : IEntityTypeConfiguration<ConsolidationAcceptance>
{
    public void Configure(EntityTypeBuilder<ConsolidationAcceptance> b)
    {
        b.ToTable("consolidation_acceptances");
        b.HasKey(a => a.ReportId);
        b.Property(a => a.AcceptedBy).HasMaxLength(450);
        b.HasOne<Report>().WithOne().HasForeignKey<ConsolidationAcceptance>(a => a.ReportId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ConsolidationExclusionConfiguration : IEntityTypeConfiguration<ConsolidationExclusion>
{
    public void Configure(EntityTypeBuilder<ConsolidationExclusion> b)
    {
        b.ToTable("consolidation_exclusions");
        b.HasKey(e => new { e.ReportId, e.AgencyId });
        b.Property(e => e.Reason).HasMaxLength(ConsolidationExclusion.MaxReason).IsRequired();
        b.Property(e => e.ExcludedBy).HasMaxLength(450);
        b.HasOne<Report>().WithMany().HasForeignKey(e => e.ReportId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Agency>().WithMany().HasForeignKey(e => e.AgencyId).OnDelete(DeleteBehavior.Cascade);
    }
}
