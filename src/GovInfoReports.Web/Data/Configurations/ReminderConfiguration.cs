using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovInfoReports.Web.Data.Configurations;

public sealed class ReminderConfiguration : IEntityTypeConfiguration<Reminder>
{
    public void Configure(EntityTypeBuilder<Reminder> b)
    {
        b.ToTable("reminders");
        b.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.DeadlineBasis).HasMaxLength(FieldLimits.DeadlineBasis).IsRequired();
        b.Property(r => r.SentBy).HasMaxLength(450);
        b.HasOne(r => r.Agency).WithMany().HasForeignKey(r => r.AgencyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(r => r.SentBy).OnDelete(DeleteBehavior.SetNull);
        // At most one reminder per unit, report year, kind and Beijing day: what makes re-runs harmless
        // (ReminderService inserts with ON CONFLICT DO NOTHING on exactly these columns).
        b.HasIndex(r => new { r.AgencyId, r.Year, r.Kind, r.Day }).IsUnique();
        // The dashboard's "last reminder" per unit and year.
        b.HasIndex(r => new { r.AgencyId, r.Year, r.SentAt });
        b.HasMany(r => r.Recipients).WithOne().HasForeignKey(x => x.ReminderId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ReminderRecipientConfiguration : IEntityTypeConfiguration<ReminderRecipient>
{
    public void Configure(EntityTypeBuilder<ReminderRecipient> b)
    {
        b.ToTable("reminder_recipients");
        b.HasKey(x => new { x.ReminderId, x.UserId });
        b.Property(x => x.UserId).HasMaxLength(450);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.UserId);
    }
}
