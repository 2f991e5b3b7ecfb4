using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Publishing.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovInfoReports.Web.Data.Configurations;

public sealed class ReportImportConfiguration : IEntityTypeConfiguration<ReportImport>
{
    public void Configure(EntityTypeBuilder<ReportImport> b)
    {
        b.ToTable("report_imports");
        b.Property(i => i.Destination).HasConversion<string>().HasMaxLength(16);
        b.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(i => i.FileName).HasMaxLength(FieldLimits.ImportFileName);
        b.Property(i => i.SourceKind).HasMaxLength(16);
        b.Property(i => i.Sha256).HasMaxLength(64);
        b.Property(i => i.UserId).HasMaxLength(450);
        b.Property(i => i.ConfirmedBy).HasMaxLength(450);
        b.HasOne(i => i.Agency).WithMany().HasForeignKey(i => i.AgencyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Report>().WithMany().HasForeignKey(i => i.ReportId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Report>().WithMany().HasForeignKey(i => i.TargetReportId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(i => new { i.AgencyId, i.CreatedAt });
    }
}
