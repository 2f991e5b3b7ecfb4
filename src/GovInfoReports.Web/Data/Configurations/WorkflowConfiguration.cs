using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovInfoReports.Web.Data.Configurations;

public sealed class ReportTransitionConfiguration : IEntityTypeConfiguration<ReportTransition>
{
    public void Configure(EntityTypeBuilder<ReportTransition> b)
    {
        b.ToTable("report_transitions");
        b.Property(t => t.From).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.To).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.UserId).HasMaxLength(450);
        b.Property(t => t.Reason).HasMaxLength(FieldLimits.TransitionReason);
        b.HasIndex(t => new { t.ReportId, t.At });
    }
}

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_entries");
        b.Property(a => a.Target).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Key).HasMaxLength(64);
        b.Property(a => a.UserId).HasMaxLength(450);
        b.HasIndex(a => new { a.ReportId, a.Key });
    }
}

/// <summary>A published version's PDF in its snapshot's row: columns <c>id</c> and <c>pdf</c> of <c>report_snapshots</c>.</summary>
public sealed class SnapshotPdfConfiguration : IEntityTypeConfiguration<SnapshotPdf>
{
    public void Configure(EntityTypeBuilder<SnapshotPdf> b)
    {
        b.ToTable("report_snapshots");
        b.HasKey(p => p.SnapshotId);
        b.Property(p => p.SnapshotId).HasColumnName("id");
        b.Property(p => p.Bytes).HasColumnName("pdf");
    }
}

public sealed class ReportSnapshotConfiguration : IEntityTypeConfiguration<ReportSnapshot>
{
    /// <summary>The public search's trigram index on the published title, which the model cannot declare (EF Core
    /// refuses an index on a complex type's column): the PublicSearch and ReportMetadataComplexType migrations create
    /// it; a database made from the model alone (EnsureCreated) needs this statement too.</summary>
    public const string TitleSearchIndexSql =
        "CREATE INDEX IF NOT EXISTS ix_report_snapshots_title ON report_snapshots USING gin (title gin_trgm_ops);";

    public void Configure(EntityTypeBuilder<ReportSnapshot> b)
    {
        b.ToTable("report_snapshots");
        b.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.UserId).HasMaxLength(450);
        b.Property(s => s.TemplateCode).HasMaxLength(16);
        b.ComplexProperty(s => s.Metadata, ReportMetadataColumns.Map);
        b.Property(s => s.CorrectionNote).HasMaxLength(FieldLimits.CorrectionNote);
        b.Property(s => s.PdfSha256).HasMaxLength(64);
        // The PDF shares the row (table splitting) but is its own entity, so loading a snapshot leaves its bytes out.
        b.HasOne(s => s.Pdf).WithOne().HasForeignKey<SnapshotPdf>(p => p.SnapshotId);
        b.Property(s => s.ArchiveSourceUrl).HasMaxLength(FieldLimits.SourceUrl);
        b.HasOne<Publishing.Import.ReportImport>().WithMany().HasForeignKey(s => s.ArchiveImportId).OnDelete(DeleteBehavior.Restrict);
        b.Property(s => s.AgencyName).HasMaxLength(FieldLimits.AgencyName);
        b.Property(s => s.AgencyKind).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.RegionCode).HasMaxLength(FieldLimits.RegionCode);
        b.Property(s => s.RegionName).HasMaxLength(FieldLimits.RegionName);
        b.HasOne<Report>().WithMany().HasForeignKey(s => s.ReportId).OnDelete(DeleteBehavior.Restrict);
        // A public version number exists once per report.
        b.HasIndex(s => new { s.ReportId, s.Version }).IsUnique().HasFilter("version IS NOT NULL");
        b.HasIndex(s => new { s.ReportId, s.Kind, s.At });
        // Public search's trigram index on the title is not declared here: EF Core cannot index a complex type's
        // column. The migrations make it (see TitleSearchIndexSql).
        // What the rules found when an imported version came in: a small list read only with its version.
        b.Property(s => s.ImportFindings).HasColumnType("jsonb").HasConversion(
            v => v == null ? null : System.Text.Json.JsonSerializer.Serialize(v, Domain.Templates.TemplateDefinition.JsonOptions),
            v => v == null ? null : System.Text.Json.JsonSerializer.Deserialize<List<Domain.Reports.ImportFinding>>(v, Domain.Templates.TemplateDefinition.JsonOptions),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<IReadOnlyList<Domain.Reports.ImportFinding>?>(
                (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                v => v == null ? 0 : v.Aggregate(0, (h, f) => HashCode.Combine(h, f)),
                v => v == null ? null : v.ToList()));
        b.HasMany(s => s.Cells).WithOne().HasForeignKey(c => c.SnapshotId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(s => s.Texts).WithOne().HasForeignKey(t => t.SnapshotId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(s => s.Outline).WithOne().HasForeignKey(p => p.SnapshotId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(s => s.Outline).AutoInclude();
    }
}

public sealed class SnapshotCellConfiguration : IEntityTypeConfiguration<SnapshotCell>
{
    public void Configure(EntityTypeBuilder<SnapshotCell> b)
    {
        b.ToTable("snapshot_cells", t => t.HasCheckConstraint(CellValueColumn.CheckName("snapshot_cells"), CellValueColumn.Check));
        b.HasKey(c => new { c.SnapshotId, c.CellId });
        b.Property(c => c.CellId).HasMaxLength(64);
        b.Property(c => c.Value).HasColumnType(CellValueColumn.Type);
        // The unit code the agency printed the value in (template data, e.g. "yuan"), for kinds with unit choices.
        b.Property(c => c.Unit).HasMaxLength(16);
    }
}

public sealed class SnapshotTextConfiguration : IEntityTypeConfiguration<SnapshotText>
{
    public void Configure(EntityTypeBuilder<SnapshotText> b)
    {
        b.ToTable("snapshot_texts");
        b.HasKey(t => new { t.SnapshotId, t.PartId });
        b.HasIndex(t => t.Text).HasMethod("gin").HasOperators("gin_trgm_ops");
        b.Property(t => t.PartId).HasMaxLength(64);
    }
}

public sealed class SnapshotPartConfiguration : IEntityTypeConfiguration<SnapshotPart>
{
    public void Configure(EntityTypeBuilder<SnapshotPart> b)
    {
        // The frozen outline of a version: immutable once published, like its cells and texts (see the
        // NarrativeOutline migration's triggers).
        b.ToTable("snapshot_parts");
        b.HasKey(p => new { p.SnapshotId, p.PartId });
        b.Property(p => p.PartId).HasMaxLength(64);
        b.Property(p => p.Heading).HasMaxLength(FieldLimits.PartHeading);
    }
}

public sealed class ReviewCommentConfiguration : IEntityTypeConfiguration<ReviewComment>
{
    public void Configure(EntityTypeBuilder<ReviewComment> b)
    {
        b.ToTable("review_comments");
        b.Property(c => c.SectionId).HasMaxLength(16);
        b.Property(c => c.Text).HasMaxLength(FieldLimits.ReviewComment);
        b.Property(c => c.UserId).HasMaxLength(450);
        b.HasOne<Report>().WithMany().HasForeignKey(c => c.ReportId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => c.ReportId);
    }
}

public sealed class RoleGrantConfiguration : IEntityTypeConfiguration<RoleGrant>
{
    public void Configure(EntityTypeBuilder<RoleGrant> b)
    {
        b.ToTable("role_grants");
        b.Property(g => g.Role).HasConversion<string>().HasMaxLength(16);
        b.HasOne<AppUser>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(g => g.Agency).WithMany().HasForeignKey(g => g.AgencyId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(g => new { g.UserId, g.Role, g.AgencyId }).IsUnique().AreNullsDistinct(false);
    }
}

public sealed class DeadlineOverrideConfiguration : IEntityTypeConfiguration<DeadlineOverride>
{
    public void Configure(EntityTypeBuilder<DeadlineOverride> b)
    {
        b.ToTable("deadline_overrides");
        b.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.Basis).HasMaxLength(FieldLimits.DeadlineBasis);
        b.HasOne(d => d.Region).WithMany().HasForeignKey(d => d.RegionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.RegionId, d.Kind }).IsUnique();
    }
}

/// <summary>The data-protection key ring (DataProtection.EntityFrameworkCore's entity), in the table and
/// column shapes the first migrations created: both columns are always written.</summary>
public sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b)
    {
        b.ToTable("data_protection_keys");
        b.Property(k => k.FriendlyName).HasMaxLength(200).IsRequired();
        b.Property(k => k.Xml).IsRequired();
    }
}
