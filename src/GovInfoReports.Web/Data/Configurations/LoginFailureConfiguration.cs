using GovInfoReports.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovInfoReports.Web.Data.Configurations;

public sealed class LoginFailureConfiguration : IEntityTypeConfiguration<LoginFailure>
{
    public void Configure(EntityTypeBuilder<LoginFailure> b)
    {
        b.ToTable("login_failures");
        b.HasKey(f => f.Id);
        b.Property(f => f.Address).HasMaxLength(64).IsRequired();
        b.HasIndex(f => new { f.Address, f.At });
        b.HasIndex(f => f.At);
    }
}
