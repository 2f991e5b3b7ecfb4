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
/// reach the size asked for. Every agency has a 2024 report in the 2021 format, fully filled and balanced, three in four
/// of them published (one in eight of those after its deadline), the rest 已审核 (Approved): what the 全辖区 consolidation
/// counts and the public regional view shows.
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
        // Loading the 50,000 tree's ten million cell rows takes longer than the default 30 s command timeout.
        var cs = new NpgsqlConnectionStringBuilder(pg) { Database = database, CommandTimeout = 900 }.ConnectionString;
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
        await SetParentsAsync(connection, "regions", regions.Select(r => (r.Code, r.Parent)));
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
        await SetParentsAsync(connection, "agencies", agencies.Select(a => (a.Code, a.Parent)));
        await new NpgsqlCommand("""
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
        // Three reports in four are published (version 1, its cells copied as a published version's are; some after their
        // deadline), the rest stay 已审核: the consolidation then reads both, and the public regional view has both
        // published and unpublished units. A version's content can only be written in the transaction that creates it.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await new NpgsqlCommand("""
                UPDATE reports SET status = 'Published', published_versions = 1,
                       first_published_at = CASE WHEN id % 8 = 1 THEN timestamptz '2025-04-20 10:00+08' ELSE timestamptz '2025-01-20 10:00+08' END
                WHERE id % 4 <> 0;
                INSERT INTO report_snapshots (report_id, kind, revision, version, at, template_code, title, compiling_office, period_start, period_end,
                                              agency_name, agency_kind, region_code, region_name)
                SELECT r.id, 'Publication', 1, 1, r.first_published_at, r.template_code, r.title, r.compiling_office, r.period_start, r.period_end,
                       a.name, a.kind, g.code, g.name
                FROM reports r JOIN agencies a ON a.id = r.agency_id JOIN regions g ON g.id = a.region_id
                WHERE r.published_versions = 1;
                INSERT INTO snapshot_cells (snapshot_id, cell_id, value)
                SELECT s.id, c.cell_id, c.value FROM report_snapshots s JOIN report_cells c ON c.report_id = s.report_id;
                """, connection, transaction).ExecuteNonQueryAsync();
            await transaction.CommitAsync();
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

    /// <summary>
    /// Starts the app (the built GovInfoReports.Web.dll, Release) on the tree's database and times the public regional
    /// view of <paramref name="regionCode"/> over HTTP, as a citizen's browser gets it: <paramref name="uncachedRuns"/>
    /// first requests (each with a query no one asked before, so the output cache misses and the page is built) and
    /// <paramref name="cachedRuns"/> repeated requests of the plain address (served from the output cache). Returns the
    /// times (ms) and the page's size (bytes).
    /// </summary>
    public async Task<(double[] Uncached, double[] Cached, int Bytes)> RegionalViewAsync(string regionCode, int uncachedRuns, int cachedRuns)
    {
        var web = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/GovInfoReports.Web"));
        var port = Random.Shared.Next(20000, 60000);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(web, "bin/Release/net10.0/GovInfoReports.Web.dll"), "--urls", $"http://127.0.0.1:{port}", "--contentRoot", web })
            start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Default"] = ConnectionString;
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        using var app = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        app.OutputDataReceived += (_, _) => { };
        app.ErrorDataReceived += (_, _) => { };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
            for (var i = 0; ; i++)
            {
                try { if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) break; }
                catch (HttpRequestException) { }
                if (i > 240 || app.HasExited) throw new InvalidOperationException("The app did not become healthy.");
                await Task.Delay(250);
            }
            var url = $"/regions/{regionCode}/{Year}";
            async Task<(double Ms, int Bytes)> Get(string address)
            {
                var begin = Stopwatch.GetTimestamp();
                var response = await http.GetAsync(address);
                var body = await response.Content.ReadAsByteArrayAsync();
                var ms = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{address}: {(int)response.StatusCode}");
                return (ms, body.Length);
            }
            await Get("/"); // the app's own first-request warm-up, not the view's
            var uncached = new double[uncachedRuns];
            for (var i = 0; i < uncachedRuns; i++) uncached[i] = (await Get($"{url}?run={i}")).Ms;
            var (_, bytes) = await Get(url);
            var cached = new double[cachedRuns];
            for (var i = 0; i < cachedRuns; i++) cached[i] = (await Get(url)).Ms;
            return (uncached, cached, bytes);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Times the supervisor's region dashboard (/review/dashboard) for the province's supervisor, server side, doing what
    /// the page does for one request: the supervised subtree as <c>AccessControl</c> derives it (every agency's parent,
    /// walked up), the years, the regions of the filter, the counts per status, the first page of 100 units and the two
    /// lists of overdue and due-soon units. A fresh DbContext (and DeadlineService) per run, as a request has. Returns the
    /// times (ms) and the number of units supervised.
    /// </summary>
    public async Task<(double[] Times, int Units)> DashboardAsync(int runs)
    {
        var units = 0;
        var today = GovInfoReports.Domain.Reports.BeijingTime.Day(DateTimeOffset.UtcNow);
        async Task Once()
        {
            await using var db = Db();
            var dashboard = new SupervisorDashboard(db, new DeadlineService(db, TemplateCatalog.Load()));
            var parents = await db.Agencies.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.ParentId);
            bool Under(int id)
            {
                for (int? current = id; current is { } c; current = parents.GetValueOrDefault(c))
                    if (c == ProvinceGovernment) return true;
                return false;
            }
            var supervised = parents.Keys.Where(Under).ToHashSet();
            var filter = new DashboardFilter(Year, today, 14);
            _ = await db.Reports.Where(r => supervised.Contains(r.AgencyId)).Select(r => r.Year).Distinct().ToListAsync();
            _ = await dashboard.RegionsAsync(supervised, CancellationToken.None);
            var counts = await dashboard.CountsAsync(supervised, filter, CancellationToken.None);
            var page = await dashboard.UnitsAsync(supervised, filter, 0, 100, CancellationToken.None);
            _ = await dashboard.UnitsAsync(supervised, filter with { Due = SupervisorDashboard.Overdue }, 0, 10, CancellationToken.None);
            _ = await dashboard.UnitsAsync(supervised, filter with { Due = SupervisorDashboard.DueSoon }, 0, 10, CancellationToken.None);
            units = SupervisorDashboard.Total(counts, filter);
            if (page.Count == 0 || units != supervised.Count) throw new InvalidOperationException($"The dashboard should list every unit ({units} of {supervised.Count}).");
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

    /// <summary>Sets <c>parent_id</c> of the rows of <paramref name="table"/> (regions or agencies, keyed by their unique
    /// code) from (code, parent's code) pairs, through a temporary table filled by COPY; a null parent is left null.</summary>
    private static async Task SetParentsAsync(NpgsqlConnection connection, string table, IEnumerable<(string Code, string? Parent)> pairs)
    {
        await new NpgsqlCommand($"CREATE TEMP TABLE {table}_parents (code text, parent text)", connection).ExecuteNonQueryAsync();
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY {table}_parents (code, parent) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (code, parent) in pairs.Where(p => p.Parent is not null))
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(code);
                await importer.WriteAsync(parent!);
            }
            await importer.CompleteAsync();
        }
        await new NpgsqlCommand($"UPDATE {table} t SET parent_id = p.id FROM {table}_parents x JOIN {table} p ON p.code = x.parent WHERE t.code = x.code",
            connection).ExecuteNonQueryAsync();
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
