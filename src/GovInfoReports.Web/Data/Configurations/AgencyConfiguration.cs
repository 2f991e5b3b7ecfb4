using GovInfoReports.Domain.Agencies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovInfoReports.Web.Data.Configurations;

public sealed class AgencyConfiguration : IEntityTypeConfiguration<Agency>
{
    public void Configure(EntityTypeBuilder<Agency> b)
    {
        b.ToTable("agencies");
        b.Property(a => a.Code).HasMaxLength(FieldLimits.AgencyCode).IsFixedLength().IsRequired();
        b.Property(a => a.Name).HasMaxLength(FieldLimits.AgencyName).IsRequired();
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.Property(a => a.MayMakeRules).HasDefaultValue(false);
        b.HasIndex(a => a.Code).IsUnique();
        b.HasIndex(a => a.Name).HasMethod("gin").HasOperators("gin_trgm_ops");
        b.HasOne(a => a.Region).WithMany().HasForeignKey(a => a.RegionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(a => a.Parent).WithMany().HasForeignKey(a => a.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}
