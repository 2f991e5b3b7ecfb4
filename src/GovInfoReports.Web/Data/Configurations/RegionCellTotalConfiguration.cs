using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Publishing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovInfoReports.Web.Data.Configurations;

public sealed class RegionCellTotalConfiguration : IEntityTypeConfiguration<RegionCellTotal>
{
    public void Configure(EntityTypeBuilder<RegionCellTotal> b)
    {
        // Maintained by triggers (migration RegionCellTotals); the key is also the ON CONFLICT target of their upserts
        // and the range a region's sum reads (region, year: every cell and slot).
        b.ToTable("region_cell_totals");
        b.HasKey(t => new { t.RegionId, t.Year, t.CellId, t.Slot });
        b.Property(t => t.CellId).HasMaxLength(64);
        b.Property(t => t.Total).HasColumnType("numeric");
        b.HasOne<Region>().WithMany().HasForeignKey(t => t.RegionId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class RegionCellDeltaConfiguration : IEntityTypeConfiguration<RegionCellDelta>
{
    public void Configure(EntityTypeBuilder<RegionCellDelta> b)
    {
        // Staged by the triggers of migration RegionCellTotals, applied and emptied at each commit.
        b.ToTable("region_cell_deltas");
        b.Property(d => d.CellId).HasMaxLength(64);
        b.Property(d => d.Value).HasColumnType("numeric");
        b.HasIndex(d => d.Txid);
    }
}
