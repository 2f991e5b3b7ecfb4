using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Reports.Similarity;
using GovInfoReports.Web.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovInfoReports.Web.Data.Configurations;

public sealed class TextFingerprintConfiguration : IEntityTypeConfiguration<TextFingerprint>
{
    public void Configure(EntityTypeBuilder<TextFingerprint> b)
    {
        // One row per narrative part of a report's current content (内容雷同, spec X5); see TextFingerprint.
        b.ToTable("text_fingerprints", t =>
        {
            t.HasCheckConstraint("ck_text_fingerprints_signature", $"cardinality(signature) = {TextSimilarity.SignatureSize}");
            t.HasCheckConstraint("ck_text_fingerprints_bands", $"cardinality(bands) = {TextSimilarity.Bands}");
        });
        b.HasKey(f => new { f.ReportId, f.PartId });
        b.Property(f => f.PartId).HasMaxLength(64);
        b.HasOne<Report>().WithMany().HasForeignKey(f => f.ReportId).OnDelete(DeleteBehavior.Cascade);
        // Candidate lookup is `bands && @mine` (any LSH band key in common): a GIN index over the array.
        b.HasIndex(f => f.Bands).HasMethod("gin");
        b.HasIndex(f => new { f.Year, f.AgencyId });
    }
}
