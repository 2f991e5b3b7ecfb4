using GovInfoReports.Domain.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovInfoReports.Web.Data.Configurations;

public sealed class ReportConfiguration : IEntityTypeConfiguration<Report>
{
    public void Configure(EntityTypeBuilder<Report> b)
    {
        b.ToTable("reports");
        b.Property(r => r.TemplateCode).HasMaxLength(16).IsRequired();
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.ComplexProperty(r => r.Metadata, ReportMetadataColumns.Map);
        b.Property(r => r.SubmittedBy).HasMaxLength(450);
        b.Property(r => r.Revision).HasDefaultValue(1);
        b.Property(r => r.CorrectionNote).HasMaxLength(FieldLimits.CorrectionNote);
        // One report per agency and year.
        b.HasIndex(r => new { r.AgencyId, r.Year }).IsUnique();
        b.HasOne(r => r.Agency).WithMany().HasForeignKey(r => r.AgencyId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(r => r.Cells).WithOne().HasForeignKey(c => c.ReportId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(r => r.Texts).WithOne().HasForeignKey(t => t.ReportId).OnDelete(DeleteBehavior.Cascade);
        // A handful of rows per report, needed wherever its texts are: always loaded with the report.
        b.HasMany(r => r.Outline).WithOne().HasForeignKey(p => p.ReportId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(r => r.Outline).AutoInclude();
        b.HasMany(r => r.Explanations).WithOne().HasForeignKey(e => e.ReportId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(r => r.Transitions).WithOne().HasForeignKey(t => t.ReportId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(r => r.Audit).WithOne().HasForeignKey(a => a.ReportId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(r => r.IsEditable);
    }
}

/// <summary>The columns of <see cref="ReportMetadata"/>, the same in <c>reports</c> and <c>report_snapshots</c>: named
/// without a prefix (title, compiling_office, …), as they were before the metadata became one complex type, and
/// no longer than <see cref="FieldLimits"/> allows (characters).</summary>
public static class ReportMetadataColumns
{
    public static void Map(ComplexPropertyBuilder<ReportMetadata> m)
    {
        m.Property(x => x.Title).HasColumnName("title").HasMaxLength(FieldLimits.ReportTitle).IsRequired();
        m.Property(x => x.CompilingOffice).HasColumnName("compiling_office").HasMaxLength(FieldLimits.CompilingOffice).IsRequired();
        m.Property(x => x.UnitsCovered).HasColumnName("units_covered").HasMaxLength(FieldLimits.UnitsCovered);
        m.Property(x => x.PeriodStart).HasColumnName("period_start");
        m.Property(x => x.PeriodEnd).HasColumnName("period_end");
        m.Property(x => x.PublicationPlace).HasColumnName("publication_place").HasMaxLength(FieldLimits.PublicationPlace);
        m.Property(x => x.Contact).HasColumnName("contact").HasMaxLength(FieldLimits.Contact);
    }
}

public sealed class ReportCellConfiguration : IEntityTypeConfiguration<ReportCell>
{
    public void Configure(EntityTypeBuilder<ReportCell> b)
    {
        // One row per filled cell: a blank cell has no row, an explicit 0 has a row with 0.
        // Region totals are then a plain GROUP BY cell_id over an index-ordered table (see bench/).
        b.ToTable("report_cells", t => t.HasCheckConstraint(CellValueColumn.CheckName("report_cells"), CellValueColumn.Check));
        b.HasKey(c => new { c.ReportId, c.CellId });
        b.Property(c => c.CellId).HasMaxLength(64);
        b.Property(c => c.Value).HasColumnType(CellValueColumn.Type);
        // The unit code the agency printed the value in (template data, e.g. "yuan"), for kinds with unit choices.
        b.Property(c => c.Unit).HasMaxLength(16);
    }
}

public sealed class ReportTextConfiguration : IEntityTypeConfiguration<ReportText>
{
    public void Configure(EntityTypeBuilder<ReportText> b)
    {
        b.ToTable("report_texts");
        b.HasKey(t => new { t.ReportId, t.PartId });
        b.Property(t => t.PartId).HasMaxLength(64);
        b.Property(t => t.Text).IsRequired();
    }
}

public sealed class ReportPartConfiguration : IEntityTypeConfiguration<ReportPart>
{
    public void Configure(EntityTypeBuilder<ReportPart> b)
    {
        // The report's own narrative outline: one row per part, written or not, with its place in its section and
        // the heading the agency gave it (null: none). Its text, if any, is the report_texts row of the same part.
        b.ToTable("report_parts");
        b.HasKey(p => new { p.ReportId, p.PartId });
        b.Property(p => p.PartId).HasMaxLength(64);
        b.Property(p => p.Heading).HasMaxLength(FieldLimits.PartHeading);
    }
}

public sealed class WarningExplanationConfiguration : IEntityTypeConfiguration<WarningExplanation>
{
    public void Configure(EntityTypeBuilder<WarningExplanation> b)
    {
        b.ToTable("warning_explanations");
        b.HasKey(e => new { e.ReportId, e.RuleKey });
        b.Property(e => e.RuleKey).HasMaxLength(64);
        b.Property(e => e.Text).HasMaxLength(FieldLimits.WarningExplanation).IsRequired();
    }
}
