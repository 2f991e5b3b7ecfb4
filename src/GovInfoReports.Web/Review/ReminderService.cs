using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GovInfoReports.Web.Review;

/// <summary>The scheduled reminders (section <c>Reminders</c>): whether the job runs, how often, and how many days before
/// its deadline a unit is reminded (将到期).</summary>
public sealed class ReminderOptions
{
    public const string SectionName = "Reminders";

    /// <summary>False: no scheduled job (tests; an install that reminds only by hand). 「发送提醒」 still works.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between runs of the job (e.g. "01:00:00"); at least one minute.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A unit whose deadline is at most this many days away is reminded 将到期 (1–366).</summary>
    public int DueWithinDays { get; set; } = 7;
}

/// <summary>A reminder as the clerk sees it: the unit, the report year, 将到期 or 已逾期, the deadline with its basis, when it
/// was sent, the report to open (null: not yet created) and the days left today (negative: overdue by that many days).</summary>
public sealed record ReminderNotice(int AgencyId, string AgencyName, int Year, ReminderKind Kind, DateOnly Deadline, string DeadlineBasis,
    DateTimeOffset SentAt, int? ReportId, int DaysLeft);

/// <summary>What one run of reminders did: units due within the window or overdue with an unsubmitted report
/// (<see cref="Due"/>), reminders newly recorded (<see cref="Sent"/>, to <see cref="Recipients"/> clerks), units already
/// reminded today (<see cref="AlreadySent"/>) and units that have no clerk to remind (<see cref="WithoutClerk"/>).</summary>
public sealed record ReminderResult(int Due, int Sent, int Recipients, int AlreadySent, int WithoutClerk);

/// <summary>
/// Records in-app reminders to the clerks (填报员, the clerk grant of the agency) of every unit whose report of a year is not
/// yet submitted (none, 草稿 or 退回, never published) and whose publication deadline (<see cref="DeadlineService"/>: statutory
/// or local, Beijing days) is within <c>dueWithinDays</c> days (将到期) or has passed (已逾期). At most one reminder per unit,
/// year, kind and Beijing day: one INSERT … ON CONFLICT DO NOTHING, so the job, a supervisor's 「发送提醒」 and any re-run on
/// the same day never send twice. The same method serves the job and the dashboard; "now" is a parameter.
/// </summary>
public sealed partial class ReminderService(AppDbContext db, DeadlineService deadlines, TemplateCatalog catalog, ILogger<ReminderService> logger)
{
    /// <summary>Reminds the due units of <paramref name="year"/> among <paramref name="agencyIds"/> (null: every agency).</summary>
    /// <param name="now">The instant of the run; its Beijing day is the day compared with deadlines and the once-a-day key.</param>
    /// <param name="dueWithinDays">The 将到期 window in days (0 or more).</param>
    /// <param name="sentBy">The supervisor who asked; null for the scheduled job.</param>
    public async Task<ReminderResult> SendAsync(DateTimeOffset now, int year, IReadOnlyCollection<int>? agencyIds, int dueWithinDays, string? sentBy, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dueWithinDays);
        if (catalog.ForYear(year) is null) return new ReminderResult(0, 0, 0, 0, 0);
        var today = BeijingTime.Day(now);
        var table = await deadlines.TableAsync(agencyIds, year, ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            // Data-modifying CTEs: one statement, so the reminders and their recipients are written together or not at all.
            await using var command = new NpgsqlCommand($"""
                WITH d AS ({DeadlineTable.Sql}),
                due AS (
                    SELECT a.id AS agency_id, d.due, d.basis, CASE WHEN d.due < @today THEN 'Overdue' ELSE 'DueSoon' END AS kind
                    FROM agencies a
                    JOIN d ON d.region_id = a.region_id AND d.kind = a.kind
                    LEFT JOIN reports r ON r.agency_id = a.id AND r.year = @year
                    WHERE (@all OR a.id = ANY(@ids)) AND d.due <= @until
                      AND (r.id IS NULL OR (r.status IN ('Draft', 'Returned') AND r.published_versions = 0))
                ),
                clerked AS (
                    SELECT * FROM due WHERE EXISTS (SELECT 1 FROM role_grants g WHERE g.agency_id = due.agency_id AND g.role = 'Clerk')
                ),
                inserted AS (
                    INSERT INTO reminders (agency_id, year, kind, day, deadline, deadline_basis, sent_at, sent_by)
                    SELECT agency_id, @year, kind, @today, due, basis, @now, @sent_by FROM clerked
                    ON CONFLICT (agency_id, year, kind, day) DO NOTHING
                    RETURNING id, agency_id
                ),
                recipients AS (
                    INSERT INTO reminder_recipients (reminder_id, user_id)
                    SELECT i.id, g.user_id FROM inserted i JOIN role_grants g ON g.agency_id = i.agency_id AND g.role = 'Clerk'
                    RETURNING reminder_id
                )
                SELECT (SELECT count(*) FROM due)::int, (SELECT count(*) FROM clerked)::int,
                       (SELECT count(*) FROM inserted)::int, (SELECT count(*) FROM recipients)::int
                """, connection);
            command.Parameters.AddRange(table.Parameters().ToArray());
            command.Parameters.Add(new NpgsqlParameter("all", NpgsqlDbType.Boolean) { Value = agencyIds is null });
            command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = agencyIds?.ToArray() ?? [] });
            command.Parameters.Add(new NpgsqlParameter("year", NpgsqlDbType.Integer) { Value = year });
            command.Parameters.Add(new NpgsqlParameter("today", NpgsqlDbType.Date) { Value = today });
            command.Parameters.Add(new NpgsqlParameter("until", NpgsqlDbType.Date) { Value = today.AddDays(dueWithinDays) });
            command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter("sent_by", NpgsqlDbType.Varchar) { Value = (object?)sentBy ?? DBNull.Value });
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var (due, clerked, sent, recipients) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
            var result = new ReminderResult(due, sent, recipients, clerked - sent, due - clerked);
            LogSent(logger, year, result.Due, result.Sent, result.Recipients, result.AlreadySent, result.WithoutClerk, sentBy is null ? "job" : "supervisor");
            return result;
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    /// <summary>How long a reminder stays on the clerk's page unless marked read.</summary>
    public const int NoticeDays = 30;

    /// <summary>The unread reminders of <paramref name="userId"/> from the last <see cref="NoticeDays"/> days: the latest per
    /// unit and year, and only while that report is still not submitted (once submitted the reminder has done its work).</summary>
    public async Task<IReadOnlyList<ReminderNotice>> NoticesAsync(string userId, DateOnly today, CancellationToken ct)
    {
        var since = today.AddDays(-NoticeDays);
        var rows = await db.ReminderRecipients.AsNoTracking()
            .Where(x => x.UserId == userId && x.ReadAt == null)
            .Join(db.Reminders, x => x.ReminderId, m => m.Id, (x, m) => m)
            .Where(m => m.Day >= since)
            .Select(m => new
            {
                m.AgencyId, AgencyName = m.Agency.Name, m.Year, m.Kind, m.Deadline, m.DeadlineBasis, m.SentAt,
                Report = db.Reports.Where(r => r.AgencyId == m.AgencyId && r.Year == m.Year)
                    .Select(r => new { r.Id, r.Status, r.PublishedVersions }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows
            .Where(r => r.Report is null || (r.Report.Status is ReportStatus.Draft or ReportStatus.Returned && r.Report.PublishedVersions == 0))
            .GroupBy(r => (r.AgencyId, r.Year)).Select(g => g.MaxBy(r => r.SentAt)!)
            .OrderBy(r => r.Deadline).ThenBy(r => r.AgencyName, StringComparer.Ordinal)
            .Select(r => new ReminderNotice(r.AgencyId, r.AgencyName, r.Year, r.Kind, r.Deadline, r.DeadlineBasis, r.SentAt, r.Report?.Id,
                r.Deadline.DayNumber - today.DayNumber))
            .ToList();
    }

    /// <summary>Marks read every reminder <paramref name="userId"/> received about <paramref name="agencyId"/>'s report of
    /// <paramref name="year"/> (all of them, null and null); returns how many were unread.</summary>
    public Task<int> MarkReadAsync(string userId, int? agencyId, int? year, DateTimeOffset now, CancellationToken ct) =>
        db.ReminderRecipients
            .Where(x => x.UserId == userId && x.ReadAt == null)
            .Where(x => db.Reminders.Any(m => m.Id == x.ReminderId && (agencyId == null || m.AgencyId == agencyId) && (year == null || m.Year == year)))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.ReadAt, now), ct);

    /// <summary>The report years a run on <paramref name="now"/> looks at: the year being reported on (last year, due this
    /// year) and the current one (a local deadline could fall early in January), each only if a template covers it.</summary>
    public IReadOnlyList<int> CurrentYears(DateTimeOffset now)
    {
        var year = BeijingTime.Year(now);
        return new[] { year - 1, year }.Where(y => catalog.ForYear(y) is not null).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminders for {Year} ({Source}): {Due} units due, {Sent} reminders to {Recipients} clerks, {AlreadySent} already sent today, {WithoutClerk} without a clerk")]
    private static partial void LogSent(ILogger logger, int year, int due, int sent, int recipients, int alreadySent, int withoutClerk, string source);
}

/// <summary>
/// The scheduled reminders: every <see cref="ReminderOptions.Interval"/> (first run a few seconds after start), remind the
/// due and overdue units of the current report years (<see cref="ReminderService.CurrentYears"/>). A failed run (e.g. the
/// database unreachable) is logged and retried at the next tick; the once-a-day key makes frequent runs harmless.
/// </summary>
public sealed partial class ReminderJob(IServiceScopeFactory scopes, IOptions<ReminderOptions> options, TimeProvider clock, ILogger<ReminderJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken);
            using var timer = new PeriodicTimer(settings.Interval, clock);
            do
            {
                await RunOnceAsync(settings.DueWithinDays, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task RunOnceAsync(int dueWithinDays, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var reminders = scope.ServiceProvider.GetRequiredService<ReminderService>();
            var now = clock.GetUtcNow();
            foreach (var year in reminders.CurrentYears(now))
                await reminders.SendAsync(now, year, null, dueWithinDays, null, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The scheduled reminders failed; the next run retries")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
