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
        // Candidate lookup probes one LSH band key at a time (`bands @> ARRAY[key]`): a GIN index over the array. Without
        // fastupdate: with it, every text save appends to the index's pending list, which each probe then reads whole
        // until a vacuum merges it (measured on the save load, issue 13: 160 probes of one page load took 29 ms over a
        // pending list of 45 pages, 0.9 ms without one); the entries are merged at insert instead.
        b.HasIndex(f => f.Bands).HasMethod("gin").HasStorageParameter("fastupdate", false);
        b.HasIndex(f => new { f.Year, f.AgencyId });
    }
}
