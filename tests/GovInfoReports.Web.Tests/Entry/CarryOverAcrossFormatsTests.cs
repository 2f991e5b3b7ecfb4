using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Entry;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>Issue 8 part 4: a 2021 report takes 二、上年结转 from a 2020 report in the 2019 format, by the row roles of
/// the carry-over definition and the 表三 cell ids the formats share (spec §9 X1).</summary>
public sealed class CarryOverAcrossFormatsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_2021_report_takes_its_carry_in_from_a_2020_report_in_the_2019_format()
    {
        await using (var db = app.Db())
        {
            var agency = await db.Agencies.SingleAsync(a => a.Name == "获嘉县教育局");
            var template2019 = app.Templates.Get("2019")!;
            var last = new Report(agency, 2020, template2019, DateTimeOffset.UtcNow);
            foreach (var (column, value) in new[] { ("np", 2m), ("biz", 1m), ("res", 0m), ("ngo", 0m), ("law", 0m), ("oth", 0m) })
                last.SetCell($"apps.carry_out.{column}", value, DateTimeOffset.UtcNow);
            ReportEditor.StoreTotals(last, template2019, DateTimeOffset.UtcNow, null);
            db.Reports.Add(last);
            await db.SaveChangesAsync();
        }

        var clerk = await app.ClientAsync("edu");
        var page = await FormPage.GetAsync(clerk, "/entry");
        await using var check = app.Db();
        var edu = await check.Agencies.SingleAsync(a => a.Name == "获嘉县教育局");
        var created = await page.PostAsync(clerk, "/entry", new Dictionary<string, string> { ["Input.AgencyId"] = edu.Id.ToString(), ["Input.Year"] = "2021" });
        Assert.Contains("已从2020年度报告带入“二、上年结转”（6格），请核对", created.Text);

        var report = await check.Reports.Include(r => r.Cells).SingleAsync(r => r.AgencyId == edu.Id && r.Year == 2021);
        Assert.Equal("2021", report.TemplateCode);
        var cells = report.CellValues();
        Assert.Equal(2m, cells["apps.carry_in.np"]);
        Assert.Equal(1m, cells["apps.carry_in.biz"]);
        Assert.Equal(0m, cells["apps.carry_in.oth"]);
        Assert.Equal(3m, cells["apps.carry_in.tot"]);
        Assert.False(cells.ContainsKey("apps.new.np")); // nothing else is invented
    }
}
