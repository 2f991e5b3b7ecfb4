using System.Text.Json;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Hosting;

/// <summary>
/// Seeds a demo region (河南省 › 新乡市 › 获嘉县 › 太山镇), a few agencies and one draft report built
/// from the copy of fixture 002 in the repository (Demo/demo-report.json). Idempotent: a second run
/// finds the region and changes nothing.
/// </summary>
public sealed class DemoSeeder(AppDbContext db, TemplateCatalog catalog, TimeProvider clock, Accounts.AccountSeeder accounts)
{
    public const string CountyCode = "410724";

    public async Task<bool> SeedAsync(CancellationToken ct)
    {
        if (await db.Regions.AnyAsync(r => r.Code == CountyCode, ct)) return await accounts.SeedDemoAsync();

        var province = new Region("410000", "河南省", RegionLevel.Province, null);
        var city = new Region("410700", "新乡市", RegionLevel.City, province);
        var county = new Region(CountyCode, "获嘉县", RegionLevel.County, city);
        var town = new Region("410724101", "太山镇", RegionLevel.Township, county);
        db.Regions.AddRange(province, city, county, town);

        // Codes: 1 (机构编制) + 1 (机关) + region + a made-up 组织机构代码 + the GB 32100 check character.
        var cityGovernment = new Agency(UnifiedSocialCreditCode.Complete("11410700MB0000013"), "新乡市人民政府", AgencyKind.Government, city, null, mayMakeRules: true);
        var government = new Agency(UnifiedSocialCreditCode.Complete("11410724MB0000010"), "获嘉县人民政府", AgencyKind.Government, county, cityGovernment, mayMakeRules: false);
        var office = new Agency(UnifiedSocialCreditCode.Complete("11410724MB0000029"), "获嘉县人民政府办公室", AgencyKind.Department, county, government, mayMakeRules: false);
        var education = new Agency(UnifiedSocialCreditCode.Complete("11410724MB0000037"), "获嘉县教育局", AgencyKind.Department, county, government, mayMakeRules: false);
        var township = new Agency(UnifiedSocialCreditCode.Complete("11410724MB0000045"), "获嘉县太山镇人民政府", AgencyKind.Township, town, government, mayMakeRules: false);
        db.Agencies.AddRange(cityGovernment, government, office, education, township);

        var demo = ReadDemo();
        var template = catalog.ForYear(demo.Year) ?? throw new InvalidOperationException($"No template for {demo.Year}.");
        var now = clock.GetUtcNow();
        var report = new Report(office, demo.Year, template.Code, now);
        report.SetMetadata(report.Metadata with
        {
            Title = demo.Metadata.Title,
            CompilingOffice = demo.Metadata.CompilingOffice,
            PublicationPlace = demo.Metadata.PublicationPlace,
            Contact = demo.Metadata.Contact,
        }, now);
        foreach (var (partId, text) in demo.Texts) report.SetText(partId, text, now);
        foreach (var (cellId, raw) in demo.Cells)
        {
            var cell = template.CellsById[cellId];
            var parsed = CellValueParser.Parse(raw, cell.Kind, template.InputMessages);
            report.SetCell(cellId, parsed.Value ?? throw new InvalidDataException($"Demo cell {cellId}: {parsed.Error}"), now);
        }
        db.Reports.Add(report);
        await db.SaveChangesAsync(ct);
        await accounts.SeedDemoAsync();
        return true;
    }

    private sealed record DemoMetadata(string Title, string CompilingOffice, string? PublicationPlace, string? Contact);

    private sealed record DemoReport(int Year, DemoMetadata Metadata, Dictionary<string, string> Texts, Dictionary<string, string> Cells);

    private static DemoReport ReadDemo()
    {
        using var stream = typeof(DemoSeeder).Assembly.GetManifestResourceStream("GovInfoReports.Web.Demo.demo-report.json")
            ?? throw new InvalidOperationException("Demo data is missing from the build.");
        return JsonSerializer.Deserialize<DemoReport>(stream, TemplateDefinition.JsonOptions)!;
    }
}
