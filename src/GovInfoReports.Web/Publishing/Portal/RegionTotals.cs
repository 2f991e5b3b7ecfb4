using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GovInfoReports.Web.Publishing;

/// <summary>
/// Sums every cell over the reports of a region's agencies (the region and all regions below it) for one year: the
/// basis of a 全辖区 consolidation (国办公开办函〔2021〕30号: a government's report covers its whole jurisdiction).
/// Reads the precomputed subtree sums of <see cref="RegionCellTotal"/> (at most <see cref="RegionCellTotal.Slots"/> rows
/// per cell), so its cost does not grow with the number of reports below the region: bench/ measures it on 10,000 and
/// 50,000 reports.
/// </summary>
public static class RegionTotals
{
    /// <summary>The statement (parameters <c>@region</c>, <c>@year</c>); public so that bench/ can print its plan.</summary>
    public const string Sql = """
        SELECT cell_id, SUM(total) AS total, SUM(reports)::int AS reports
        FROM region_cell_totals
        WHERE region_id = @region AND year = @year
        GROUP BY cell_id
        HAVING SUM(reports) > 0
        """;

    /// <summary>
    /// Cell id → the sum of that cell's values over every report of <paramref name="year"/> of every agency in region
    /// <paramref name="regionId"/> or below it, whatever the report's status (件 for counts, 万元 for money, exact). A cell
    /// no report has a value in is absent (never an invented 0); an unknown region gives an empty dictionary.
    /// </summary>
    public static async Task<Dictionary<string, decimal>> SumAsync(AppDbContext db, int regionId, int year, CancellationToken ct)
    {
        var rows = await db.Database.SqlQueryRaw<CellTotal>(Sql, new NpgsqlParameter("region", regionId), new NpgsqlParameter("year", year))
            .ToListAsync(ct); // columns are matched snake_case (EFCore.NamingConventions)
        return rows.ToDictionary(r => r.CellId, r => r.Total, StringComparer.Ordinal);
    }

    /// <summary>One cell's sum and how many reports have a value in it.</summary>
    public sealed record CellTotal(string CellId, decimal Total, int Reports);
}
