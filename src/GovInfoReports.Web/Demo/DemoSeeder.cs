using System.Text.Json;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Demo;

/// <summary>
/// Seeds a demo region (河南省 › 新乡市 › 获嘉县 › 太山镇), a few agencies and one draft report built
/// from the copy of fixture 002 in the repository (Demo/demo-report.json). Idempotent: a second run
/// finds the region and changes nothing.
/// </summary>
public sealed class DemoSeeder(AppDbContext db, TemplateCatalog catalog, TimeProvider clock, Accounts.AccountSeeder accounts,
    IServiceProvider services)
{
    public const string CountyCode = "410724";

    /// <summary>The years of 获嘉县人民政府 published by the demo, one carry-over chain (each year's 上年结转 = the previous
    /// 结转下年度) across the change of format: 2019–2020 in the 2019 format, 2021 on in the 2021 format.</summary>
    public static readonly int[] PublishedYears = [2019, 2020, 2021, 2022, 2023, 2024];

    /// <summary>The years whose 全辖区 report the demo consolidates from its units (<see cref="DemoUnits"/>): the units publish
    /// their reports first, then 获嘉县人民政府's report takes their sums through 采用汇总值 and is published. The earlier
    /// years stand as filled in by hand, as reports made before the county consolidated in this system.</summary>
    public static readonly int[] ConsolidatedYears = [2023, 2024];

    /// <summary>The pre-2019 archive year the demo also publishes (free form with its key-figure sheet).</summary>
    public const int ArchiveYear = DemoHistory.ArchiveYear;

    /// <param name="publishHistory">Also publish the county government's years (<see cref="ArchiveYear"/> and
    /// <see cref="PublishedYears"/>; renders PDFs; most tests skip it).</param>
    public async Task<bool> SeedAsync(CancellationToken ct, bool publishHistory = true)
    {
        var created = await SeedBaseAsync(ct);
        if (publishHistory) created |= await PublishHistoryAsync(ct);
        return created;
    }

    private async Task<bool> SeedBaseAsync(CancellationToken ct)
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
        var report = new Report(office, demo.Year, template, now);
        report.SetMetadata(report.Metadata with
        {
            Title = demo.Metadata.Title,
            CompilingOffice = demo.Metadata.CompilingOffice,
            PublicationPlace = demo.Metadata.PublicationPlace,
            Contact = demo.Metadata.Contact,
        }, template, now);
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

    /// <summary>Publishes 获嘉县人民政府's <see cref="ArchiveYear"/> and <see cref="PublishedYears"/> through the real
    /// workflow (clerk submits, supervisor approves and publishes, PDFs rendered); 2024 also gets a correction as
    /// version 2. Skips years already there, so a demo seeded before a year was added gains it and nothing else
    /// changes; the added year's carry-over then meets the stored years on either side.</summary>
    private async Task<bool> PublishHistoryAsync(CancellationToken ct)
    {
        var government = await db.Agencies.Include(a => a.Region).SingleAsync(a => a.Name == "获嘉县人民政府", ct);
        var held = (await db.Reports.AsNoTracking().Include(r => r.Cells)
                .Where(r => r.AgencyId == government.Id && (r.Year == ArchiveYear || PublishedYears.Contains(r.Year)))
                .ToListAsync(ct))
            .ToDictionary(r => r.Year, r => r.CellValues());
        if (held.Count == PublishedYears.Length + 1) return false;
        var clerk = await db.Users.Where(u => u.UserName == "county").Select(u => u.Id).SingleAsync(ct);
        var reviewer = await db.Users.Where(u => u.UserName == "reviewer").Select(u => u.Id).SingleAsync(ct);
        var workflow = services.GetRequiredService<Review.ReportWorkflow>();

        if (!held.ContainsKey(ArchiveYear))
        {
            var template = catalog.ForYear(ArchiveYear)!;
            await PublishAsync(NewReport(government, ArchiveYear, template, DemoHistory.ArchiveCells(), new Dictionary<string, string>(), DemoHistory.ArchiveTexts()));
        }
        IReadOnlyDictionary<string, decimal>? previous = null;
        foreach (var year in PublishedYears)
        {
            if (held.TryGetValue(year, out var stored))
            {
                previous = stored;
                continue;
            }
            var template = catalog.ForYear(year)!;
            var values = DemoHistory.Cells(template, year, previous, held.GetValueOrDefault(year + 1));
            Report report;
            if (ConsolidatedYears.Contains(year))
            {
                await PublishUnitsAsync(year, template, values);
                // The county's own cells (stocks such as 现行有效件数); every summable cell comes from the units.
                var own = values.Where(v => template.CellsById[v.Key].Enterable && !template.SummableCells.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value);
                report = NewReport(government, year, template, own, DemoHistory.Units(template, year), DemoHistory.Texts(template, year, values));
                db.Reports.Add(report);
                await db.SaveChangesAsync(ct);
                var result = await services.GetRequiredService<Consolidation.ConsolidationReader>().ConsolidateAsync(report, ct);
                if (await services.GetRequiredService<Consolidation.ConsolidationService>().AcceptAsync(report.Id, result.Fingerprint(), clerk, ct) is { } refused)
                    throw new InvalidOperationException($"Demo consolidation of {year} refused: {refused}");
                var taken = RuleEvaluator.WithTotals(template, report.CellValues());
                if (values.Any(v => taken.GetValueOrDefault(v.Key) != v.Value))
                    throw new InvalidOperationException($"Demo consolidation of {year}: the units' sums are not the county's figures.");
                await SubmitAndPublishAsync(report);
            }
            else
            {
                report = NewReport(government, year, template, values, DemoHistory.Units(template, year), DemoHistory.Texts(template, year, values));
                await PublishAsync(report);
            }
            previous = values;
            if (year == PublishedYears[^1])
            {
                await Expect(workflow.StartCorrectionAsync(report.Id, clerk, "更正第二十条第（一）项行政规范性文件现行有效件数（原漏计清理后仍有效的文件2件）。", ct));
                report.SetCell("a20_1.normative.in_force", values["a20_1.normative.in_force"] + 2, clock.GetUtcNow(), clerk);
                // The corrected count no longer continues last year's (X2): the clerk says why, as every warning needs.
                report.Explain("X2:normative", "文件清理后确认上年报告漏计2件仍现行有效的行政规范性文件，本次更正一并计入。", clock.GetUtcNow(), clerk);
                await db.SaveChangesAsync(ct);
                await Expect(workflow.SubmitAsync(report.Id, clerk, ct));
                await Expect(workflow.ApproveAsync(report.Id, reviewer, ct));
                await Expect(workflow.PublishAsync(report.Id, reviewer, ct));
            }
        }
        return true;

        async Task PublishAsync(Report report)
        {
            db.Reports.Add(report);
            await db.SaveChangesAsync(ct);
            await SubmitAndPublishAsync(report);
        }

        async Task SubmitAndPublishAsync(Report report, string? by = null)
        {
            await Expect(workflow.SubmitAsync(report.Id, by ?? clerk, ct));
            await Expect(workflow.ApproveAsync(report.Id, reviewer, ct));
            await Expect(workflow.PublishAsync(report.Id, reviewer, ct));
        }

        // The units' reports of a consolidated year, each submitted by its own clerk and published: the county's figures
        // split among them (DemoUnits), each continuing its own previous year. A unit that already has the year keeps it.
        async Task PublishUnitsAsync(int year, ReportTemplate template, IReadOnlyDictionary<string, decimal> county)
        {
            var names = DemoUnits.Units.Select(u => u.Agency).ToList();
            var agencies = await db.Agencies.Where(a => names.Contains(a.Name)).ToDictionaryAsync(a => a.Name, ct);
            // Each unit's report of the year before, whatever its status (the cross-year rules read a draft too).
            var before = await db.Reports.AsNoTracking().Include(r => r.Cells)
                .Where(r => r.Year == year - 1 && names.Contains(r.Agency.Name)).ToDictionaryAsync(r => r.AgencyId, ct);
            var split = DemoUnits.Split(template, county,
                names.Select(n => before.TryGetValue(agencies[n].Id, out var r) ? (IReadOnlyDictionary<string, decimal>?)r.CellValues() : null).ToList());
            for (var k = 0; k < names.Count; k++)
            {
                var agency = agencies[names[k]];
                if (await db.Reports.AnyAsync(r => r.AgencyId == agency.Id && r.Year == year, ct)) continue;
                var now = clock.GetUtcNow();
                var unit = new Report(agency, year, template, now);
                unit.SetMetadata(unit.Metadata with
                {
                    PublicationPlace = "获嘉县人民政府门户网站“政府信息公开年报”栏目",
                    Contact = $"{agency.Name}（政务公开工作机构）",
                }, template, now);
                foreach (var (cell, value) in split[k]) unit.SetCell(cell, value, now);
                foreach (var (part, text) in DemoUnits.Texts(k, year)) unit.SetText(part, text, now);
                db.Reports.Add(unit);
                await db.SaveChangesAsync(ct);
                var unitClerk = await db.Users.Where(u => u.UserName == DemoUnits.Units[k].Clerk).Select(u => u.Id).SingleAsync(ct);
                await SubmitAndPublishAsync(unit, unitClerk);
            }
        }

        static async Task Expect(Task<Review.WorkflowResult> move)
        {
            var result = await move;
            if (!result.Done) throw new InvalidOperationException("Demo publication failed: " + string.Join("; ", result.Problems));
        }
    }

    /// <summary>A draft of the county government's <paramref name="year"/> with the given cells (money in 万元, with the
    /// unit printed where the format offers a choice) and texts of its template's default outline.</summary>
    private Report NewReport(Agency government, int year, ReportTemplate template, IReadOnlyDictionary<string, decimal> values,
        IReadOnlyDictionary<string, string> units, IReadOnlyDictionary<string, string> texts)
    {
        var now = clock.GetUtcNow();
        var report = new Report(government, year, template, now);
        report.SetMetadata(report.Metadata with
        {
            UnitsCovered = "县人民政府及其办公室、22个县直部门和9个乡镇（街道）",
            PublicationPlace = "获嘉县人民政府门户网站“政府信息公开年报”栏目",
            Contact = "获嘉县人民政府办公室（政务公开办），地址：获嘉县人民路",
        }, template, now);
        foreach (var (cell, value) in values) report.SetCell(cell, value, now, unit: units.GetValueOrDefault(cell));
        foreach (var (part, text) in texts) report.SetText(part, text, now);
        return report;
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
