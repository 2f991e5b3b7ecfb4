using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>The region sum (issue 13 part 3): every cell summed over the reports of a region and all regions below it,
/// read from the sums the database keeps (region_cell_totals) through every change — a cell typed, changed or blanked,
/// a report deleted, an agency or a whole region moved, a region added.</summary>
public sealed class RegionTotalsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static int _trees;
    private static int _codes;

    [Fact]
    public async Task A_region_sums_the_cells_of_its_own_and_its_sub_regions_reports_for_one_year()
    {
        var year = AppFixture.UniqueYear();
        var county = await app.NewReportAsync(year, "获嘉县教育局");
        var town = await app.NewReportAsync(year, "获嘉县太山镇人民政府");
        var city = await app.NewReportAsync(year, "新乡市人民政府");
        var otherYear = await app.NewReportAsync(AppFixture.UniqueYear(), "获嘉县教育局");
        await app.FillFixture002Async(county);
        await app.FillFixture002Async(town, ("apps.new.np", 10m), ("apps.r1.np", 8m));
        await app.FillFixture002Async(city, ("apps.new.np", 100m), ("apps.r1.np", 98m));
        await app.FillFixture002Async(otherYear);

        await using var db = app.Db();
        var countyRegion = await db.Regions.SingleAsync(r => r.Code == "410724");
        var totals = await RegionTotals.SumAsync(db, countyRegion.Id, year, CancellationToken.None);

        Assert.Equal(18m, totals["apps.new.np"]);   // 8 + 10: the county and its town, not the city
        Assert.Equal(18m, totals["apps.new.tot"]);
        Assert.Equal(14m, totals["apps.r1.np"]);
        Assert.Equal(18m, totals["apps.r7.tot"]);
        Assert.Equal(46m, totals["a20_1.normative.in_force"]);
    }

    [Fact]
    public async Task Sums_follow_a_nested_tree_through_edits_moves_a_new_region_and_a_deleted_report()
    {
        // 省 → 市A → 县 → 镇, and 市B beside 市A; one agency with a report in each; 万元 kept exact to 6 decimals.
        var n = Interlocked.Increment(ref _trees);
        var year = AppFixture.UniqueYear();
        var template = app.Templates.Get("2021")!;
        await using var db = app.Db();
        var province = new Region($"97{n:00}00", $"测试省{n}", RegionLevel.Province, null);
        var cityA = new Region($"97{n:00}01", $"甲市{n}", RegionLevel.City, province);
        var cityB = new Region($"97{n:00}02", $"乙市{n}", RegionLevel.City, province);
        var county = new Region($"97{n:00}0101", $"甲县{n}", RegionLevel.County, cityA);
        var town = new Region($"97{n:00}0101001", $"甲镇{n}", RegionLevel.Township, county);
        db.Regions.AddRange(province, cityA, cityB, county, town);
        var now = DateTimeOffset.UtcNow;
        Report NewReport(Region region, AgencyKind kind, int reportYear, decimal applications, decimal fees)
        {
            var agency = new Agency(UnifiedSocialCreditCode.Complete($"11970000M{Interlocked.Increment(ref _codes):D8}"),
                $"{region.Name}单位{_codes}", kind, region, null, mayMakeRules: false);
            db.Agencies.Add(agency);
            var report = new Report(agency, reportYear, template, now);
            report.SetCell("apps.new.np", applications, now);
            report.SetCell("a20_8.fees.amount", fees, now);
            db.Reports.Add(report);
            return report;
        }
        NewReport(province, AgencyKind.Government, year, 1m, 0.000001m);
        NewReport(cityA, AgencyKind.Government, year, 10m, 0.1m);
        var cityBReport = NewReport(cityB, AgencyKind.Government, year, 20000m, 2m);
        NewReport(county, AgencyKind.Government, year, 100m, 1.25m);
        var townReport = NewReport(town, AgencyKind.Township, year, 1000m, 10.5m);
        NewReport(town, AgencyKind.Township, year + 1, 5555m, 5m); // another year: never in this year's sums
        await db.SaveChangesAsync();

        async Task<decimal?> Sum(Region region, string cell = "apps.new.np")
        {
            await using var read = app.Db();
            return (await RegionTotals.SumAsync(read, region.Id, year, CancellationToken.None)).TryGetValue(cell, out var v) ? v : null;
        }
        Assert.Equal(1000m, await Sum(town));
        Assert.Equal(1100m, await Sum(county));
        Assert.Equal(1110m, await Sum(cityA));
        Assert.Equal(21111m, await Sum(province));
        Assert.Equal(13.850001m, await Sum(province, "a20_8.fees.amount"));
        Assert.Null(await Sum(province, "apps.r1.np")); // no report has a value there: absent, never an invented 0

        // A clerk's edit (the form's path: the tracked report's cells) and a cell blanked.
        townReport.SetCell("apps.new.np", 1003m, now);
        townReport.SetCell("a20_8.fees.amount", null, now);
        await db.SaveChangesAsync();
        Assert.Equal(1003m, await Sum(town));
        Assert.Equal(21114m, await Sum(province));
        Assert.Equal(3.350001m, await Sum(province, "a20_8.fees.amount"));
        Assert.Null(await Sum(town, "a20_8.fees.amount"));

        // The county (with its town) moved from 市A to 市B: both cities' sums follow, the province's does not change.
        await ExecuteAsync($"UPDATE regions SET parent_id = {cityB.Id} WHERE id = {county.Id}");
        Assert.Equal(10m, await Sum(cityA));
        Assert.Equal(21103m, await Sum(cityB));
        Assert.Equal(21114m, await Sum(province));
        Assert.Equal(1103m, await Sum(county));
        // A region cannot be moved under its own subtree (the tree would lose its root).
        var cycle = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync($"UPDATE regions SET parent_id = {town.Id} WHERE id = {cityB.Id}"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, cycle.SqlState);
        Assert.Equal(21103m, await Sum(cityB));

        // A new town under the county, with its own report; then the first town's agency moved into it (the admin's
        // 单位 page path: Agency.Update).
        var newTown = new Region($"97{n:00}0101002", $"乙镇{n}", RegionLevel.Township, county);
        db.Regions.Add(newTown);
        NewReport(newTown, AgencyKind.Township, year, 7m, 0m);
        await db.SaveChangesAsync();
        Assert.Equal(7m, await Sum(newTown));
        Assert.Equal(1110m, await Sum(county));
        Assert.Equal(21121m, await Sum(province));
        var townAgency = await db.Agencies.SingleAsync(a => a.Id == townReport.AgencyId);
        townAgency.Update(townAgency.Name, townAgency.Kind, newTown, null, mayMakeRules: false);
        await db.SaveChangesAsync();
        Assert.Null(await Sum(town));
        Assert.Equal(1010m, await Sum(newTown));
        Assert.Equal(1110m, await Sum(county));

        // In one transaction: a cell changed (staged until the commit), then its agency moved back, then the county moved
        // back to 市A; the change lands once, where the report is when the transaction commits.
        await ExecuteAsync($"""
            BEGIN;
            UPDATE report_cells SET value = 1004 WHERE report_id = {townReport.Id} AND cell_id = 'apps.new.np';
            UPDATE agencies SET region_id = {town.Id} WHERE id = {townReport.AgencyId};
            UPDATE regions SET parent_id = {cityA.Id} WHERE id = {county.Id};
            UPDATE report_cells SET value = 1005 WHERE report_id = {townReport.Id} AND cell_id = 'apps.new.np';
            COMMIT;
            """);
        Assert.Equal(1005m, await Sum(town));
        Assert.Equal(7m, await Sum(newTown));
        Assert.Equal(1112m, await Sum(county));
        Assert.Equal(1122m, await Sum(cityA));
        Assert.Equal(20000m, await Sum(cityB));
        Assert.Equal(21123m, await Sum(province));
        await ExecuteAsync($"UPDATE regions SET parent_id = {cityB.Id} WHERE id = {county.Id}");

        // A report deleted leaves every sum above it.
        db.Reports.Remove(cityBReport);
        await db.SaveChangesAsync();
        Assert.Equal(1112m, await Sum(cityB));
        Assert.Equal(1123m, await Sum(province));
        Assert.Equal(1.350001m, await Sum(province, "a20_8.fees.amount"));

        // Whatever the path, the kept sums equal the sums computed from the reports themselves, region by region.
        await using var check = new NpgsqlConnection(app.ConnectionString);
        await check.OpenAsync();
        Assert.Equal(0L, await new NpgsqlCommand($"""
            WITH RECURSIVE sub AS (SELECT id AS root, id FROM regions WHERE code LIKE '97{n:00}%'
                                   UNION ALL SELECT sub.root, r.id FROM regions r JOIN sub ON r.parent_id = sub.id),
            expected AS (SELECT sub.root AS region_id, rep.year, c.cell_id, SUM(c.value) AS total, COUNT(*) AS reports
                         FROM sub JOIN agencies a ON a.region_id = sub.id JOIN reports rep ON rep.agency_id = a.id
                         JOIN report_cells c ON c.report_id = rep.id GROUP BY 1, 2, 3),
            kept AS (SELECT t.region_id, t.year, t.cell_id, SUM(t.total) AS total, SUM(t.reports) AS reports
                     FROM region_cell_totals t JOIN regions g ON g.id = t.region_id WHERE g.code LIKE '97{n:00}%'
                     GROUP BY 1, 2, 3 HAVING SUM(t.reports) > 0)
            SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM kept) m)
                 + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM expected) x)
            """, check).ExecuteScalarAsync());
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync();
    }
}
