namespace GovInfoReports.Web.Publishing;

/// <summary>
/// A change to report_cells staged until its transaction commits (table <c>region_cell_deltas</c>): the statement
/// triggers of migration RegionCellTotals write the changed cells here, and a deferred trigger adds all of one
/// transaction's changes to <see cref="RegionCellTotal"/> in one upsert in key order when it commits, then deletes them.
/// So concurrent saves lock the shared sums of their regions and ancestors only at commit, all in the same order (no
/// deadlock between two saves that changed the same cells in different orders), and for the shortest time. Empty
/// between transactions; the app never reads or writes it.
/// </summary>
public sealed class RegionCellDelta
{
    private RegionCellDelta() { }

    public long Id { get; private set; }
    /// <summary>The writing transaction (txid_current()).</summary>
    public long Txid { get; private set; }
    public int ReportId { get; private set; }
    public string CellId { get; private set; } = "";
    /// <summary>The change of the cell's value (件 or 万元): the new value, or minus the old one.</summary>
    public decimal Value { get; private set; }
    /// <summary>+1 a value added, -1 a value removed (an update stages both).</summary>
    public int N { get; private set; }
    /// <summary>The transaction's first staged row, on which the deferred trigger fires once.</summary>
    public bool First { get; private set; }
}
