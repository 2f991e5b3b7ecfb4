using System.Diagnostics;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Consolidation;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Review;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace GovInfoReports.Bench;

/// <summary>
/// A province-sized agency tree for the region-scale benchmarks (issue 12 part 5), built straight into its own database
/// (gir_bench_region_{size}) with COPY: one province (its 人民政府 and 40 部门), cities (人民政府 and 40 部门 each), 8
/// counties per city (人民政府, 30 部门 and 12 乡镇, each 乡镇 in its own township region), as many cities as it takes to
/// reach the size asked for. Every agency has a 2024 report in the 2021 format, 已审核 (Approved), fully filled and
/// balanced: what the 全辖区 consolidation counts.
/// </summary>
public sealed class RegionScale
{
    public const int Year = 2024;
    private const int ProvinceDepartments = 40, CityDepartments = 40, CountiesPerCity = 8, CountyDepartments = 30, CountyTowns = 12;

    public required string ConnectionString { get; init; }
    public required int Agencies { get; init; }
    public required int Regions { get; init; }
    public required long CellRows { get; init; }
    public required int ProvinceGovernment { get; init; }
    public required int CityGovernment { get; init; }
    public required int CountyGovernment { get; init; }
    public required int ProvinceRegion { get; init; }
    public required string ProvinceRegionCode { get; init; }

    /// <summary>Agencies in one city: its 人民政府 and 部门, and its counties with theirs.</summary>
    public static int PerCity => 1 + CityDepartments + CountiesPerCity * (1 + CountyDepartments + CountyTowns);

    public AppDbContext Db() => new(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>Builds (or rebuilds) the tree of about <paramref name="size"/> agencies; <paramref name="filled"/> gives one
    /// balanced report's cells (cell id → value; totals included).</summary>
    public static async Task<RegionScale> BuildAsync(string pg, int size, Func<Dictionary<string, decimal>> filled)
    {
        var database = $"gir_bench_region_{size}";
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pg) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
            await new NpgsqlCommand($"CREATE DATABASE {database}", admin).ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(pg) { Database = database }.ConnectionString;
        await using (var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(cs).Options))
            await db.Database.MigrateAsync();

        var cities = Math.Max(1, (int)Math.Round((size - 1.0 - ProvinceDepartments) / PerCity));
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();

        // Regions: 980000 the province, 98cc00 its cities, 98cckk the counties, 98cckkttt the townships.
        var regions = new List<(string Code, string Name, string Level, string? Parent)> { ("980000", "基准省", nameof(RegionLevel.Province), null) };
        for (var c = 1; c <= cities; c++)
        {
            var city = $"98{c:000}00";
            regions.Add((city, $"基准市{c}", nameof(RegionLevel.City), "980000"));
            for (var k = 1; k <= CountiesPerCity; k++)
            {
                var county = $"98{c:000}{k:00}";
                regions.Add((county, $"基准市{c}县{k}", nameof(RegionLevel.County), city));
                for (var t = 1; t <= CountyTowns; t++) regions.Add(($"{county}{t:000}", $"基准市{c}县{k}镇{t}", nameof(RegionLevel.Township), county));
            }
        }
        // Parents first, so each row can look its parent up by code.
        await using (var importer = await connection.BeginBinaryImportAsync("COPY regions (code, name, level) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in regions)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(r.Code);
                await importer.WriteAsync(r.Name);
                await importer.WriteAsync(r.Level);
            }
            await importer.CompleteAsync();
        }
        await new NpgsqlCommand("CREATE TEMP TABLE region_parents (code text, parent text)", connection).ExecuteNonQueryAsync();
        await using (var importer = await connection.BeginBinaryImportAsync("COPY region_parents (code, parent) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in regions.Where(r => r.Parent is not null))
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(r.Code);
                await importer.WriteAsync(r.Parent!);
            }
            await importer.CompleteAsync();
        }
        await new NpgsqlCommand("""
            UPDATE regions r SET parent_id = p.id FROM region_parents x JOIN regions p ON p.code = x.parent WHERE r.code = x.code
            """, connection).ExecuteNonQueryAsync();
        var regionIds = new Dictionary<string, int>();
        await using (var reader = await new NpgsqlCommand("SELECT code, id FROM regions", connection).ExecuteReaderAsync())
            while (await reader.ReadAsync()) regionIds[reader.GetString(0)] = reader.GetInt32(1);

        // Agencies: each government, then its units (parent = the government), in one COPY with the parent by code.
        var agencies = new List<(string Code, string Name, string Kind, string Region, string? Parent)>();
        var serial = 0;
        string NewCode() => UnifiedSocialCreditCode.Complete($"11980000C{++serial:00000000}");
        string Government(string name, string region, string? parent)
        {
            var code = NewCode();
            agencies.Add((code, name + "人民政府", nameof(AgencyKind.Government), region, parent));
            return code;
        }
        void Units(string government, string name, string region, int departments, int towns, Func<int, string>? townRegion = null)
        {
            agencies.Add((NewCode(), name + "人民政府办公室", nameof(AgencyKind.Department), region, government));
            for (var d = 2; d <= departments; d++) agencies.Add((NewCode(), $"{name}第{d}局", nameof(AgencyKind.Department), region, government));
            for (var t = 1; t <= towns; t++) agencies.Add((NewCode(), $"{name}第{t}镇人民政府", nameof(AgencyKind.Township), townRegion!(t), government));
        }
        var province = Government("基准省", "980000", null);
        Units(province, "基准省", "980000", ProvinceDepartments, 0);
        string? firstCity = null, firstCounty = null;
        for (var c = 1; c <= cities; c++)
        {
            var cityRegion = $"98{c:000}00";
            var city = Government($"基准市{c}", cityRegion, province);
            firstCity ??= city;
            Units(city, $"基准市{c}", cityRegion, CityDepartments, 0);
            for (var k = 1; k <= CountiesPerCity; k++)
            {
                var countyRegion = $"98{c:000}{k:00}";
                var county = Government($"基准市{c}县{k}", countyRegion, city);
                firstCounty ??= county;
                Units(county, $"基准市{c}县{k}", countyRegion, CountyDepartments, CountyTowns, t => $"{countyRegion}{t:000}");
            }
        }
        await using (var importer = await connection.BeginBinaryImportAsync("COPY agencies (code, name, kind, region_id, may_make_rules) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var a in agencies)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(a.Code);
                await importer.WriteAsync(a.Name);
                await importer.WriteAsync(a.Kind);
                await importer.WriteAsync(regionIds[a.Region]);
                await importer.WriteAsync(false);
            }
            await importer.CompleteAsync();
        }
        await new NpgsqlCommand("CREATE TEMP TABLE agency_parents (code text, parent text)", connection).ExecuteNonQueryAsync();
        await using (var importer = await connection.BeginBinaryImportAsync("COPY agency_parents (code, parent) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var a in agencies.Where(a => a.Parent is not null))
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(a.Code);
                await importer.WriteAsync(a.Parent!);
            }
            await importer.CompleteAsync();
        }
        await new NpgsqlCommand("""
            UPDATE agencies a SET parent_id = p.id FROM agency_parents x JOIN agencies p ON p.code = x.parent WHERE a.code = x.code;
            INSERT INTO reports (agency_id, year, template_code, status, title, compiling_office, period_start, period_end, created_at, updated_at, published_versions)
            SELECT id, 2024, '2021', 'Approved', name || '2024年政府信息公开工作年度报告', name, '2024-01-01', '2024-12-31', now(), now(), 0 FROM agencies;
            """, connection).ExecuteNonQueryAsync();

        var ids = new List<int>();
        await using (var reader = await new NpgsqlCommand("SELECT id FROM reports ORDER BY id", connection).ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add(reader.GetInt32(0));
        long rows = 0;
        await using (var importer = await connection.BeginBinaryImportAsync("COPY report_cells (report_id, cell_id, value) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var id in ids)
                foreach (var (cell, value) in filled())
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync(id);
                    await importer.WriteAsync(cell);
                    await importer.WriteAsync(value, NpgsqlDbType.Numeric);
                    rows++;
                }
            await importer.CompleteAsync();
        }
        await new NpgsqlCommand("VACUUM ANALYZE", connection).ExecuteNonQueryAsync();

        async Task<int> IdOf(string code) => (int)(await new NpgsqlCommand($"SELECT id FROM agencies WHERE code = '{code}'", connection).ExecuteScalarAsync())!;
        return new RegionScale
        {
            ConnectionString = cs,
            Agencies = agencies.Count,
            Regions = regions.Count,
            CellRows = rows,
            ProvinceGovernment = await IdOf(province),
            CityGovernment = await IdOf(firstCity!),
            CountyGovernment = await IdOf(firstCounty!),
            ProvinceRegion = regionIds["980000"],
            ProvinceRegionCode = "980000",
        };
    }

    /// <summary>Drops the tree's database (the 50,000 tree takes some GB).</summary>
    public async Task DropAsync(string pg)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pg) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(ConnectionString).Database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
    }

    /// <summary>Times consolidating the 全辖区 report of <paramref name="governmentId"/> (scope, sums and drill-down, the
    /// page's whole read: <see cref="ConsolidationReader.ConsolidateAsync"/>), a fresh scope per run as a request has;
    /// returns the times (ms) and the number of units in its scope.</summary>
    public async Task<(double[] Times, int Units)> ConsolidateAsync(int governmentId, TemplateCatalog catalog, int runs)
    {
        var units = 0;
        async Task Once()
        {
            await using var db = Db();
            var reader = new ConsolidationReader(db, catalog, new DeadlineService(db, catalog));
            var report = await db.Reports.AsNoTracking().Include(r => r.Agency).ThenInclude(a => a.Region)
                .SingleAsync(r => r.AgencyId == governmentId && r.Year == Year);
            var result = await reader.ConsolidateAsync(report, CancellationToken.None);
            if (result.Counted.Count == 0 || result.Cells.Any(c => c.Sum is null)) throw new InvalidOperationException("The bench tree's units should all count.");
            units = result.Units.Count;
        }
        for (var i = 0; i < 3; i++) await Once();
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await Once();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return (times, units);
    }
}
