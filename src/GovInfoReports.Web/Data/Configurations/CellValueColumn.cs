namespace GovInfoReports.Web.Data.Configurations;

/// <summary>
/// The column type of a cell value (report_cells.value, snapshot_cells.value): PostgreSQL numeric without a
/// declared scale, so a value is stored exactly as typed (45.4 stays 45.4, 1234.567891 stays 1234.567891: no
/// trailing zeros invented, no rounding). A declared numeric(p,6) would pad every value to six decimals and
/// silently round a seventh; instead a CHECK bounds the value: at most 6 decimals (万元 exact to the 分,
/// <c>TemplateCompiler.MaxScale</c>) and below 10^14 in magnitude (the largest cell kind maximum,
/// 99999999999999.999999 万元, with room for the signed 本年增/减 cells of the 2019 format).
/// Values written as numeric(18,4) before keep their stored text (45.4000); they are equal numbers and are
/// printed without trailing zeros by <c>CellValueParser.FormatValue</c>, as before.
/// </summary>
public static class CellValueColumn
{
    public const string Type = "numeric";

    public const string Check = "scale(value) <= 6 AND abs(value) < 100000000000000";

    public static string CheckName(string table) => $"ck_{table}_value_exact";
}
