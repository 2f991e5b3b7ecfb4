using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Publishing;

public sealed class RegionTotalsTests(AppFixture app) : IClassFixture<AppFixture>
{
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
}
