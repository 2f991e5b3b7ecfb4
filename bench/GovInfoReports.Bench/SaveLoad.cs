using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Review;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GovInfoReports.Bench;

/// <summary>
/// The save load (issue 13 part 2): 50 clerks of 50 agencies, each signed in through the real login form (antiforgery
/// token and cookie), post real 表三 saves — the section page's whole form as the browser posts it, with two cells
/// changed so the statutory identity still holds — and follow the redirect to the page's reload, back to back, all
/// 50 at once. Timed per save: the POST and the reload it redirects to (what the clerk waits for after 保存). Also, one
/// clerk alone; and per save the database's commits (<c>pg_stat_database.xact_commit</c>) and scans of
/// <c>reports</c> and <c>agencies</c> (<c>pg_stat_user_tables</c> seq + idx), the CPU seconds of the app and of
/// PostgreSQL (<c>/proc</c>) and what PostgreSQL's busy backends were doing (<c>pg_stat_activity</c> sampled), so the
/// figures show what limits the save: CPU, locks or I/O.
/// <para>The data is seeded into the app's own database, once (idempotent): a county region 负载测试县, its 人民政府
/// and 49 部门, each with a 填报员 (<c>loadclerk01</c>…<c>loadclerk50</c>, password <see cref="Password"/>), a
/// published 2024 report and a filled, balanced 2025 draft with narrative texts (so the cross-year rules, 内容雷同 and
/// every other check run on each load as they do for a real clerk).</para>
/// </summary>
public static partial class SaveLoad
{
    public const int Clerks = 50;
    public const int Year = 2025;
    public const string Password = "Load#2026bench";
    private const string RegionCode = "990300";
    private const string SectionId = "s3";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(60);

    /// <summary>Runs the save load against the app at <paramref name="app"/> whose database is <paramref name="pg"/>
    /// (a connection string; without a database name, <c>gir_bench_app</c> as bench/run.sh creates it). The app must
    /// let 50 clerks of one address sign in at once (the default limits do: see <c>LoginThrottle</c>).
    /// <paramref name="filled"/> gives one balanced report's cells; <paramref name="report"/> prints a timing line
    /// (name, times, unit, goal).</summary>
    public static async Task RunAsync(string app, string pg, ReportTemplate template, Func<Dictionary<string, decimal>> filled,
        Action<string, double[], string, double> report, int savesPerClerk = 20)
    {
        var csb = new NpgsqlConnectionStringBuilder(pg);
        if (string.IsNullOrEmpty(csb.Database)) csb.Database = "gir_bench_app";
        var cs = csb.ConnectionString;
        var reports = await SeedAsync(cs, template, filled);
        Console.WriteLine($"  (save load: {Clerks} agencies, each a 填报员 and a filled {Year} draft of the 2021 format, {Year - 1} published)");

        // An office behind one address signing in at once, with the login limits as configured by default (issue 13).
        var signIn = Stopwatch.StartNew();
        var clerks = (await Task.WhenAll(reports.Select(r => Clerk.SignInAsync(app, r.User, r.ReportId)))).ToList();
        signIn.Stop();
        Console.WriteLine($"{$"{clerks.Count} clerks sign in at once from one address",-52} {signIn.Elapsed.TotalSeconds,9:F1} s  {"",12} {"≤ 60 s",10} {(signIn.Elapsed.TotalSeconds <= 60 ? "ok" : "MISSED")} (none refused)");
        var apps = template.Tables["apps"];
        var changes = new Changes(
            apps.LeafRows.First(r => r.Id!.StartsWith('r') && r.Id != "r7").Id!,
            apps.LeafColumns.Where(c => c.Id != "tot").Select(c => c.Id!).ToList());

        // Warm-up: 60 s of saves, all at once (pools, caches, and the JIT: the runtime recompiles a method optimised only
        // after it has run 30 times, in the background, and the app may have just started; measured, a fresh app still
        // spent 12 ms of CPU per save + reload after 20 s of this, and its steady 7 ms after 60 s), then a pause for
        // those compilations to finish; then one clerk alone, then all at once.
        var warmUp = Stopwatch.StartNew();
        await Task.WhenAll(clerks.Select(async clerk => { await clerk.LoadAsync(); while (warmUp.Elapsed < WarmUp) await clerk.SaveAsync(changes); }));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var alone = new List<double>();
        for (var i = 0; i < 100; i++) alone.Add(await clerks[0].SaveAsync(changes));

        await using var stats = new NpgsqlConnection(cs);
        await stats.OpenAsync();
        var processes = Processes.Find(app, await ScalarAsync<string>(stats, "SHOW data_directory"));
        var before = await CountersAsync(stats, processes);
        using var sampling = new CancellationTokenSource();
        var waits = SampleWaitsAsync(cs, sampling.Token);
        var wall = Stopwatch.StartNew();
        var times = await Task.WhenAll(clerks.Select(async clerk =>
        {
            var own = new List<double>();
            for (var i = 0; i < savesPerClerk; i++) own.Add(await clerk.SaveAsync(changes));
            return own;
        }));
        wall.Stop();
        await sampling.CancelAsync();
        var (busy, samples) = await waits;
        var after = await CountersAsync(stats, processes);
        var all = times.SelectMany(t => t).ToArray();
        var failures = clerks.Sum(c => c.Failures);
        if (failures > 0) throw new InvalidOperationException($"{failures} saves were not confirmed by the reloaded page.");

        report($"save + reload, {Clerks} clerks back to back ({all.Length} saves)", all, "ms", 100);
        report("save + reload, one clerk alone (100 saves)", alone.ToArray(), "ms", 100);
        var saves = (double)all.Length;
        Console.WriteLine($"  ({all.Length / wall.Elapsed.TotalSeconds:F0} saves/s; per save: {(after.Commits - before.Commits - samples - 3) / saves:F1} commits, "
            + $"{(after.Scans - before.Scans) / saves:F1} scans of reports and agencies, "
            + $"app CPU {(after.AppCpu - before.AppCpu) * 1000 / saves:F1} ms, PostgreSQL CPU {(after.PgCpu - before.PgCpu) * 1000 / saves:F1} ms, "
            + $"bench client CPU {(after.BenchCpu - before.BenchCpu) * 1000 / saves:F1} ms; "
            + $"CPU busy {(after.AllCpu - before.AllCpu) / wall.Elapsed.TotalSeconds / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores)");
        Console.WriteLine("  (PostgreSQL backends sampled every 10 ms while saving, average count: "
            + string.Join(", ", busy.OrderByDescending(b => b.Value).Select(b => $"{b.Key} {b.Value:F2}")) + ")");

        // The same 50 clerks each saving once a second (started spread over the second), as a busy office does: the
        // offered load is fixed (50 saves/s), so the time shows what a clerk waits for when the machine keeps up.
        var paced = await Task.WhenAll(clerks.Select(async (clerk, i) =>
        {
            var own = new List<double>();
            await Task.Delay(TimeSpan.FromMilliseconds(1000.0 * i / clerks.Count));
            var next = Stopwatch.GetTimestamp();
            for (var k = 0; k < savesPerClerk; k++)
            {
                own.Add(await clerk.SaveAsync(changes));
                next += Stopwatch.Frequency;
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
            }
            return own;
        }));
        if (clerks.Sum(c => c.Failures) > 0) throw new InvalidOperationException("Saves were not confirmed by the reloaded page.");
        var pacedAll = paced.SelectMany(t => t).ToArray();
        report($"save + reload, {Clerks} clerks each saving once a second ({pacedAll.Length} saves)", pacedAll, "ms", 100);
        foreach (var clerk in clerks) clerk.Dispose();
    }

    private sealed record Changes(string Row, IReadOnlyList<string> Columns);

    /// <summary>One clerk's browser: its cookies, and the section form as last drawn.</summary>
    private sealed partial class Clerk : IDisposable
    {
        private readonly HttpClient _http;
        private readonly int _reportId;
        private List<KeyValuePair<string, string>> _form = [];
        private int _saves;

        private Clerk(HttpClient http, int reportId) { _http = http; _reportId = reportId; }

        public int Failures { get; private set; }

        public static async Task<Clerk> SignInAsync(string app, string user, int reportId) =>
            new(await BenchBrowser.SignInAsync(app, user, Password, followRedirects: true), reportId);

        /// <summary>Draws the section page (the first visit).</summary>
        public async Task LoadAsync() => _form = SectionForm(await _http.GetStringAsync($"/entry/{_reportId}/{SectionId}"));

        /// <summary>Posts the form as drawn with one more application received and handled in one column (一、本年新收 and
        /// the first 办理结果 row +1, so the identity still holds), follows the redirect; returns the milliseconds taken.</summary>
        public async Task<double> SaveAsync(Changes changes)
        {
            var column = changes.Columns[_saves++ % changes.Columns.Count];
            var post = _form.Select(f => f.Key == $"Input.Cells[apps.new.{column}]" || f.Key == $"Input.Cells[apps.{changes.Row}.{column}]"
                ? new KeyValuePair<string, string>(f.Key, (decimal.Parse(f.Value == "" ? "0" : f.Value) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
                : f).ToList();
            var start = Stopwatch.GetTimestamp();
            using var answer = await _http.PostAsync($"/entry/{_reportId}/{SectionId}", new FormUrlEncodedContent(post));
            var html = await answer.Content.ReadAsStringAsync();
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!answer.IsSuccessStatusCode || !html.Contains("已保存（", StringComparison.Ordinal))
            {
                if (Failures++ == 0 && Environment.GetEnvironmentVariable("GIR_BENCH_DUMP") is { } dump)
                    await File.WriteAllTextAsync(dump, $"{(int)answer.StatusCode} {answer.RequestMessage?.RequestUri}\n{html}");
            }
            _form = SectionForm(html);
            return elapsed;
        }

        /// <summary>The inputs of the page's section form (the layout's other forms carry their own tokens).</summary>
        private static List<KeyValuePair<string, string>> SectionForm(string html)
        {
            var start = html.IndexOf("id=\"section-form\"", StringComparison.Ordinal);
            if (start < 0) return [];
            var end = html.IndexOf("</form>", start, StringComparison.Ordinal);
            return Inputs(html[start..(end < 0 ? html.Length : end)]);
        }

        public void Dispose() => _http.Dispose();

        /// <summary>The named inputs of a page's forms (hidden and text), values decoded, as a browser posts them.</summary>
        private static List<KeyValuePair<string, string>> Inputs(string html) =>
            InputTag().Matches(html).Select(m => m.Value)
                .Where(tag => !tag.Contains("type=\"submit\"", StringComparison.Ordinal) && !tag.Contains("type=\"checkbox\"", StringComparison.Ordinal))
                .Select(tag => (Name: NameAttribute().Match(tag), Value: ValueAttribute().Match(tag)))
                .Where(a => a.Name.Success)
                .Select(a => new KeyValuePair<string, string>(WebUtility.HtmlDecode(a.Name.Groups[1].Value),
                    a.Value.Success ? WebUtility.HtmlDecode(a.Value.Groups[1].Value) : ""))
                .ToList();

        [GeneratedRegex("<input\\b[^>]*>")]
        private static partial Regex InputTag();
        [GeneratedRegex("\\sname=\"([^\"]*)\"")]
        private static partial Regex NameAttribute();
        [GeneratedRegex("\\svalue=\"([^\"]*)\"")]
        private static partial Regex ValueAttribute();
    }

    /// <summary>Creates the 50 agencies, clerks and reports unless they exist; returns (user name, draft report id).</summary>
    private static async Task<List<(string User, int ReportId)>> SeedAsync(string cs, ReportTemplate template, Func<Dictionary<string, decimal>> filled)
    {
        var users = Enumerable.Range(1, Clerks).Select(i => $"loadclerk{i:00}").ToList();
        await using (var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(cs).Options))
        {
            if (!await db.Users.AnyAsync(u => u.UserName == users[0]))
                await CreateAsync(cs, template, filled, users);
        }
        await using (var analyze = new NpgsqlConnection(cs)) { await analyze.OpenAsync(); await new NpgsqlCommand("ANALYZE", analyze).ExecuteNonQueryAsync(); }
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        var result = new List<(string, int)>();
        await using var reader = await new NpgsqlCommand($"""
            SELECT u.user_name, r.id FROM asp_net_users u JOIN role_grants g ON g.user_id = u.id JOIN reports r ON r.agency_id = g.agency_id AND r.year = {Year}
            WHERE u.user_name LIKE 'loadclerk%' ORDER BY u.user_name
            """, connection).ExecuteReaderAsync();
        while (await reader.ReadAsync()) result.Add((reader.GetString(0), reader.GetInt32(1)));
        if (result.Count != Clerks) throw new InvalidOperationException($"Expected {Clerks} load clerks with a {Year} report, found {result.Count}.");
        return result;
    }

    // Phrases of real reports: each agency's texts are drawn from them (and its own name), so they differ as real ones do.
    private static readonly string[] Phrases =
    [
        "本年度深入贯彻落实《中华人民共和国政府信息公开条例》", "坚持以公开为常态、不公开为例外", "主动公开政府信息", "依申请公开工作",
        "全年共收到政府信息公开申请", "按时办结率100%", "未收取信息处理费", "行政复议结果维持", "政府信息公开平台建设", "政策解读和回应关切",
        "重大建设项目批准和实施领域", "财政预决算信息", "规范性文件清理", "政务新媒体管理", "基层政务公开标准化规范化", "公开专栏内容不够丰富",
        "工作人员业务能力有待提升", "加强政务公开培训", "完善依申请公开办理流程", "落实工作考核、社会评议和责任追究制度",
    ];

    private static async Task CreateAsync(string cs, ReportTemplate template, Func<Dictionary<string, decimal>> filled, List<string> users)
    {
        var random = new Random(2026_13);
        var now = DateTimeOffset.UtcNow;
        // The app's fingerprint interceptor, so the texts seeded are in the 内容雷同 index as the app's saves put them.
        await using var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(cs)
            .AddInterceptors(new TextFingerprintInterceptor(TemplateCatalog.Load())).Options);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var region = new Region(RegionCode, "负载测试县", RegionLevel.County, null);
        db.Regions.Add(region);
        var government = new Agency(UnifiedSocialCreditCode.Complete($"11{RegionCode}MB0000001"), "负载测试县人民政府", AgencyKind.Government, region, null, false);
        var agencies = new List<Agency> { government };
        for (var i = 2; i <= Clerks; i++)
            agencies.Add(new Agency(UnifiedSocialCreditCode.Complete($"11{RegionCode}MB{i:0000000}"), $"负载测试县第{i}局", AgencyKind.Department, region, government, false));
        db.Agencies.AddRange(agencies);
        await db.SaveChangesAsync();

        var hasher = new PasswordHasher<AppUser>();
        for (var i = 0; i < Clerks; i++)
        {
            var user = new AppUser
            {
                UserName = users[i], NormalizedUserName = users[i].ToUpperInvariant(), DisplayName = $"{agencies[i].Name}填报员",
                SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString(),
            };
            user.PasswordHash = hasher.HashPassword(user, Password);
            db.Users.Add(user);
            db.RoleGrants.Add(new RoleGrant(user.Id, AppRole.Clerk, agencies[i].Id));
            foreach (var year in new[] { Year - 1, Year })
            {
                var report = new Report(agencies[i], year, template, now);
                foreach (var (cell, value) in filled()) report.SetCell(cell, value, now, user.Id);
                foreach (var part in template.NarrativeParts.Keys)
                    report.SetText(part, $"{agencies[i].Name}{year}年" + string.Join("，",
                        Enumerable.Range(0, random.Next(8, 30)).Select(_ => Phrases[random.Next(Phrases.Length)])) + "。", now, user.Id);
                db.Reports.Add(report);
            }
        }
        await db.SaveChangesAsync();
        // Last year's reports published as version 1 (a published version's content is written in the transaction that
        // creates it: the immutability triggers), so the cross-year rules read a publication as they do in production.
        await db.Database.ExecuteSqlRawAsync($"""
            CREATE TEMP TABLE load_published ON COMMIT DROP AS
                SELECT r.id FROM reports r JOIN agencies a ON a.id = r.agency_id JOIN regions g ON g.id = a.region_id
                WHERE g.code = '{RegionCode}' AND r.year = {Year - 1};
            UPDATE reports SET status = 'Published', published_versions = 1, first_published_at = now() WHERE id IN (SELECT id FROM load_published);
            INSERT INTO report_snapshots (report_id, kind, revision, version, at, template_code, title, compiling_office, period_start, period_end,
                                          agency_name, agency_kind, region_code, region_name)
            SELECT r.id, 'Publication', 1, 1, now(), r.template_code, r.title, r.compiling_office, r.period_start, r.period_end, a.name, a.kind, g.code, g.name
            FROM reports r JOIN agencies a ON a.id = r.agency_id JOIN regions g ON g.id = a.region_id WHERE r.id IN (SELECT id FROM load_published);
            INSERT INTO snapshot_cells (snapshot_id, cell_id, value, unit)
            SELECT s.id, c.cell_id, c.value, c.unit FROM report_snapshots s JOIN report_cells c ON c.report_id = s.report_id
            WHERE s.report_id IN (SELECT id FROM load_published);
            INSERT INTO snapshot_texts (snapshot_id, part_id, text)
            SELECT s.id, t.part_id, t.text FROM report_snapshots s JOIN report_texts t ON t.report_id = s.report_id
            WHERE s.report_id IN (SELECT id FROM load_published);
            INSERT INTO snapshot_parts (snapshot_id, part_id, heading, position)
            SELECT s.id, p.part_id, p.heading, p.position FROM report_snapshots s JOIN report_parts p ON p.report_id = s.report_id
            WHERE s.report_id IN (SELECT id FROM load_published);
            """);
        await transaction.CommitAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql) =>
        (T)(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync())!;

    private sealed record Counters(long Commits, long Scans, double AppCpu, double PgCpu, double BenchCpu, double AllCpu);

    private static async Task<Counters> CountersAsync(NpgsqlConnection connection, Processes processes)
    {
        // Statistics reach the shared counters when a backend goes idle (at most once a second): wait for them.
        await Task.Delay(1500);
        await new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection).ExecuteNonQueryAsync();
        var commits = await ScalarAsync<long>(connection, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        var scans = await ScalarAsync<long>(connection,
            "SELECT COALESCE(sum(COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0)), 0)::bigint FROM pg_stat_user_tables WHERE relname IN ('reports', 'agencies')");
        return new Counters(commits, scans, processes.AppSeconds(), processes.PostgresSeconds(), Processes.Seconds(Environment.ProcessId), Processes.AllSeconds());
    }

    /// <summary>Samples <c>pg_stat_activity</c> every 10 ms (each sample is a commit of its own, not counted as the saves'): the average number of active backends on CPU (no wait event)
    /// and waiting, by wait event type (Lock, LWLock, IO…), and of backends idle in a transaction; and the samples taken.</summary>
    private static async Task<(Dictionary<string, double> Busy, int Samples)> SampleWaitsAsync(string cs, CancellationToken ct)
    {
        var counts = new Dictionary<string, long>();
        var samples = 0;
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("""
            SELECT CASE WHEN state = 'idle in transaction' THEN 'idle in transaction (app working)'
                        WHEN wait_event_type IS NULL THEN 'on CPU' ELSE wait_event_type || ':' || wait_event END, count(*)
            FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'
            GROUP BY 1
            """, connection);
        await command.PrepareAsync(CancellationToken.None);
        while (!ct.IsCancellationRequested)
        {
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
                while (await reader.ReadAsync(CancellationToken.None))
                    counts[reader.GetString(0)] = counts.GetValueOrDefault(reader.GetString(0)) + reader.GetInt64(1);
            samples++;
            try { await Task.Delay(10, ct); } catch (OperationCanceledException) { break; }
        }
        return (counts.ToDictionary(c => c.Key, c => (double)c.Value / Math.Max(1, samples)), samples);
    }

    /// <summary>The app's process (the one serving the --app port) and PostgreSQL's (the postmaster of the cluster and its
    /// children), for their CPU time from <c>/proc</c>.</summary>
    private sealed class Processes(int? app, int? postmaster)
    {
        public static Processes Find(string appUrl, string dataDirectory)
        {
            var port = new Uri(appUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            int? app = null;
            foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
            {
                try
                {
                    var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    if (cmdline.Contains("GovInfoReports.Web", StringComparison.Ordinal) && cmdline.Contains(":" + port, StringComparison.Ordinal))
                        app = int.Parse(Path.GetFileName(dir));
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            int? postmaster = null;
            try { postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First()); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
            return new Processes(app, postmaster);
        }

        public double AppSeconds() => app is { } pid ? Seconds(pid) : double.NaN;

        public double PostgresSeconds()
        {
            if (postmaster is not { } root) return double.NaN;
            var total = Seconds(root);
            foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
                if (Stat(int.Parse(Path.GetFileName(dir))) is { } stat && stat.Parent == root) total += stat.Seconds;
            return total;
        }

        /// <summary>CPU seconds (user + system) of one process, its threads included; 0 when it is gone.</summary>
        public static double Seconds(int pid) => Stat(pid)?.Seconds ?? 0;

        /// <summary>CPU seconds of the whole machine spent outside idle and iowait (/proc/stat).</summary>
        public static double AllSeconds()
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            return (fields.Sum() - fields[3] - fields[4]) / 100.0;
        }

        private static (int Parent, double Seconds)? Stat(int pid)
        {
            try
            {
                var text = File.ReadAllText($"/proc/{pid}/stat");
                // The command name (field 2) may hold spaces: the fields after it start at the last ')'.
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                return (int.Parse(fields[1]), (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
        }
    }
}
