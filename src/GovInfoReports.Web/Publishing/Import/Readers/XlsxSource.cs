using System.Globalization;
using GovInfoReports.Domain.Import;
using MiniExcelLibs;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>
/// Reads an Excel workbook (.xlsx, also as saved by WPS) with MiniExcel: every sheet in workbook order, each non-blank
/// row one line of its cells in column order from column A. A merged range holds its value in its top-left cell and
/// nothing elsewhere, which is what <see cref="SourceDocument"/>'s grid wants. Values are the cells' stored values as
/// text: numbers in invariant decimal notation as Excel shows them in General format ("8", "4.651", never "8.0" or
/// an exponent), dates as yyyy-MM-dd, formulas by their last computed value. Number formats are not applied: a cell
/// showing "95%" reads "0.95", one showing "1,234" reads "1234".
/// </summary>
internal static class XlsxSource
{
    /// <summary>The document of an .xlsx file's bytes. Throws when the package is damaged; <see cref="SourceReaders"/>
    /// turns that into a message.</summary>
    public static SourceDocument Read(byte[] content)
    {
        var lines = new SourceLines();
        using var stream = new MemoryStream(content, writable: false);
        foreach (var sheet in MiniExcel.GetSheetNames(stream))
        {
            stream.Position = 0;
            foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: false, sheetName: sheet))
                lines.Row(row.Values.Select(Text));
            stream.Position = 0;
        }
        return lines.Document(SourceKind.Xlsx);
    }

    /// <summary>A cell's value as the text a clerk sees in General format.</summary>
    internal static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        double d => Number(d),
        float f => Number(f),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        int or long or short or byte => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        bool b => b ? "TRUE" : "FALSE",
        DateTime t => t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>A double as Excel shows it: at most 15 significant digits (Excel's precision), no exponent, no trailing
    /// zeros. Through decimal, whose conversion from double keeps 15 significant digits; a magnitude beyond decimal's
    /// range (never a count or an amount of money) falls back to the round-trip form.</summary>
    private static string Number(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) return d.ToString(CultureInfo.InvariantCulture);
        if (Math.Abs(d) >= 7.9e28) return d.ToString("R", CultureInfo.InvariantCulture);
        var m = (decimal)d;
        return (m / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
    }
}
