namespace GovInfoReports.Web.Publishing;

/// <summary>
/// One part of a region's precomputed cell sum (table <c>region_cell_totals</c>): the sum of one cell over the reports
/// of one year of every agency in the region or any region below it, for the reports whose id falls in one
/// <see cref="Slot"/>. Written only by PostgreSQL triggers (migration <c>RegionCellTotals</c>) on report_cells, reports,
/// agencies and regions, so every write path — the entry forms, imports, consolidation, bulk COPY, a region or agency
/// moved under another parent — keeps it exact in the same transaction (a transaction's cell changes are added when it
/// commits, see <see cref="RegionCellDelta"/>); the app only reads it (<see cref="RegionTotals"/>).
/// </summary>
/// <remarks>
/// The sum is split into <see cref="Slots"/> slots by report id so that clerks of one region saving at the same time
/// wait less often on each other's row locks (a save updates its region's and every ancestor's rows for the cells it
/// changed, when it commits); a read adds up at most <see cref="Slots"/> rows per cell. More slots
/// mean fewer waits but more rows: a region whose subtree has n reports keeps min(n, Slots) rows per cell, so at 32
/// slots a county of 43 reports kept nearly as many rows as its reports have cells (measured on the bench's trees).
/// </remarks>
public sealed class RegionCellTotal
{
    /// <summary>How many slots a region's sum of one cell is split into (report id modulo this), as the triggers of
    /// migration RegionCellTotals write them.</summary>
    public const int Slots = 4;

    private RegionCellTotal() { }

    public int RegionId { get; private set; }
    public int Year { get; private set; }
    public string CellId { get; private set; } = "";
    /// <summary>report id % <see cref="Slots"/>.</summary>
    public int Slot { get; private set; }
    /// <summary>The sum of the cell's values (in the kind's unit: 件, or 万元 exact to 6 decimals).</summary>
    public decimal Total { get; private set; }
    /// <summary>How many reports have a value in this cell (a blank cell has no row, an explicit 0 counts).</summary>
    public int Reports { get; private set; }
}
