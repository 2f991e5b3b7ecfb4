using GovInfoReports.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovInfoReports.Web.Data.Configurations;

/// <summary>The app's columns of the Identity user: the display name (姓名或岗位) is bounded like every typed
/// name; the login name keeps Identity's length, stated here so the form checks the same number.</summary>
public sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.UserName).HasMaxLength(FieldLimits.UserName);
        b.Property(u => u.NormalizedUserName).HasMaxLength(FieldLimits.UserName);
        b.Property(u => u.DisplayName).HasMaxLength(FieldLimits.UserDisplayName).IsRequired();
    }
}
