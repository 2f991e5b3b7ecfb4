using GovInfoReports.Domain.Agencies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovInfoReports.Web.Data.Configurations;

public sealed class RegionConfiguration : IEntityTypeConfiguration<Region>
{
    public void Configure(EntityTypeBuilder<Region> b)
    {
        b.ToTable("regions");
        b.Property(r => r.Code).HasMaxLength(FieldLimits.RegionCode).IsRequired();
        b.Property(r => r.Name).HasMaxLength(FieldLimits.RegionName).IsRequired();
        b.Property(r => r.Level).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.HasIndex(r => r.Code).IsUnique();
        b.HasOne(r => r.Parent).WithMany().HasForeignKey(r => r.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}
