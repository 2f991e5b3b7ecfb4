using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>One database and one app per test class. Tests isolate their data by creating their own reports.</summary>
public class AppFixture : IAsyncLifetime
{
    protected virtual bool Kestrel => false;
    protected virtual string? TemplateDirectory => null;

    public AppFactory Factory { get; private set; } = null!;
    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync(GetType().Name);
        Factory = new AppFactory(ConnectionString, TemplateDirectory, Kestrel);
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    public AppDbContext Db() => TestPostgres.Context(ConnectionString);

    public TemplateCatalog Templates => Factory.Services.GetRequiredService<TemplateCatalog>();

    /// <summary>A fresh draft report for the given year of one of the demo agencies.</summary>
    public async Task<int> NewReportAsync(int year, string agencyName = "获嘉县教育局")
    {
        await using var db = Db();
        var agency = await db.Agencies.SingleAsync(a => a.Name == agencyName);
        var template = Templates.ForYear(year)!;
        var report = new Domain.Reports.Report(agency, year, template.Code, DateTimeOffset.UtcNow);
        db.Reports.Add(report);
        await db.SaveChangesAsync();
        return report.Id;
    }

    /// <summary>Every typed cell of fixture 002 (获嘉县人民政府办公室 2022, balanced), stored directly, with totals.</summary>
    public async Task FillFixture002Async(int id, params (string Cell, decimal Value)[] overrides)
    {
        await using var db = Db();
        var report = await db.Reports.Include(r => r.Cells).SingleAsync(r => r.Id == id);
        var template = Templates.Get(report.TemplateCode)!;
        var values = Domain.Tests.TestData.Fixture002(template);
        foreach (var (cell, value) in overrides) values[cell] = value;
        Domain.Rules.RuleEvaluator.ComputeTotals(template, values);
        foreach (var (cell, value) in values) report.SetCell(cell, value, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    }

    private static int _year = 2100;

    /// <summary>A report year nobody else in this test run uses (tests in a class share one database).</summary>
    public static int UniqueYear() => Interlocked.Increment(ref _year);
}

public class KestrelAppFixture : AppFixture
{
    protected override bool Kestrel => true;
}
