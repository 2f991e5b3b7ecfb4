using System.Diagnostics;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GovInfoReports.Bench;

/// <summary>
/// The region sum (issue 13 part 3): <see cref="RegionTotals.SumAsync"/> timed over every report below a region, with its
/// goals — 10,000 reports ≤ 300 ms and 50,000 ≤ 1 s (p95). Used by the full run on the province trees of
/// <see cref="RegionScale"/> and alone by <c>--only region-sum</c>, which builds only those trees and times only the sum.
/// </summary>
public static class RegionSum
{
    /// <summary>The goal (ms, p95) for a sum over <paramref name="reports"/> reports: issue 13 part 3 names 10,000 reports
    /// ≤ 300 ms and 50,000 ≤ 1 s; a tree below 20,000 reports (the bench's "10,000" tree has 10,051) is held to the first,
    /// a larger one to the second.</summary>
    public static double GoalMs(long reports) => reports < 20_000 ? 300 : 1_000;

    /// <summary>Times <paramref name="runs"/> sums of every cell over the reports of <paramref name="regionId"/>'s subtree
    /// for <paramref name="year"/> (after 3 warm-up runs), each on a fresh context as a request has; checks that the
    /// sums balance (一 + 二 = 三 + 四 for 表三's total column) and returns the times (ms) and how many reports were summed.
    /// With GIR_BENCH_EXPLAIN=1 prints the statement's plan (EXPLAIN (ANALYZE, BUFFERS)) first.</summary>
    public static async Task<(double[] Times, int Reports)> TimeAsync(string cs, int regionId, int year, int runs)
    {
        if (Environment.GetEnvironmentVariable("GIR_BENCH_EXPLAIN") is not null)
            await ExplainAsync(cs, regionId, year);
        var reports = 0;
        async Task Once()
        {
            await using var db = Db(cs);
            var totals = await RegionTotals.SumAsync(db, regionId, year, CancellationToken.None);
            if (totals["apps.new.tot"] + totals["apps.carry_in.tot"] != totals["apps.r7.tot"] + totals["apps.carry_out.tot"])
                throw new InvalidOperationException("The region totals do not balance.");
            reports = await db.Database.SqlQuery<int>($"""
                WITH RECURSIVE subtree AS (SELECT id FROM regions WHERE id = {regionId}
                                           UNION ALL SELECT r.id FROM regions r JOIN subtree s ON r.parent_id = s.id)
                SELECT COUNT(*)::int AS "Value" FROM reports rep JOIN agencies a ON a.id = rep.agency_id
                WHERE rep.year = {year} AND a.region_id IN (SELECT id FROM subtree)
                """).SingleAsync();
        }
        for (var i = 0; i < 3; i++) await Once();
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            await using var db = Db(cs);
            var start = Stopwatch.GetTimestamp();
            await RegionTotals.SumAsync(db, regionId, year, CancellationToken.None);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return (times, reports);
    }

    private static AppDbContext Db(string cs) => new(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(cs).Options);

    /// <summary>Prints the plan of the region sum's statement, as PostgreSQL ran it (EXPLAIN (ANALYZE, BUFFERS)).</summary>
    public static async Task ExplainAsync(string cs, int regionId, int year)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + RegionTotals.Sql, connection);
        command.Parameters.AddWithValue("region", regionId);
        command.Parameters.AddWithValue("year", year);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) Console.WriteLine("    " + reader.GetString(0));
    }

    /// <summary><c>--only region-sum</c>: builds the <see cref="RegionScale"/> province trees of <paramref name="sizes"/>
    /// agencies (one report each) and times the sum over the whole province and over one county.</summary>
    public static async Task RunAsync(string pg, int[] sizes, Func<Dictionary<string, decimal>> filled,
        Action<string, double[], string, double> report)
    {
        foreach (var size in sizes)
        {
            var load = Stopwatch.StartNew();
            var tree = await RegionScale.BuildAsync(pg, size, filled);
            Console.WriteLine($"  (region tree of {tree.Agencies:N0} agencies, {tree.Regions:N0} regions, {tree.CellRows:N0} cell rows: loaded in {load.Elapsed.TotalSeconds:F1} s)");
            int county;
            await using (var connection = new NpgsqlConnection(tree.ConnectionString))
            {
                await connection.OpenAsync();
                county = (int)(await new NpgsqlCommand("SELECT region_id FROM agencies WHERE id = " + tree.CountyGovernment, connection).ExecuteScalarAsync())!;
            }
            foreach (var (label, region) in new[] { ("province", tree.ProvinceRegion), ("county", county) })
            {
                var (times, reports) = await TimeAsync(tree.ConnectionString, region, RegionScale.Year, 20);
                report($"region sum, {label}: {reports:N0} of {tree.Agencies:N0} reports", times, "ms", GoalMs(reports));
            }
            if (Environment.GetEnvironmentVariable("GIR_BENCH_KEEP") is null) await tree.DropAsync(pg);
        }
    }
}
