using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace GovInfoReports.Web.Review;

/// <summary>What the dashboard shows: the report year, the filters and the window of 将到期 (due within
/// <see cref="DueSoonDays"/> days of <see cref="Today"/>, a Beijing day).</summary>
/// <param name="Status">A <see cref="ReportStatus"/> name, or <see cref="SupervisorDashboard.NoReport"/> for units without a
/// report of the year (未填报); null: every status.</param>
/// <param name="Due"><see cref="SupervisorDashboard.Overdue"/>, <see cref="SupervisorDashboard.DueSoon"/> or
/// <see cref="SupervisorDashboard.Late"/>; null: every unit.</param>
/// <param name="RegionId">A region: its units and those of every region below it; null: the whole subtree.</param>
/// <param name="Query">Part of the unit's name (case-insensitive).</param>
public sealed record DashboardFilter(int Year, DateOnly Today, int DueSoonDays, string? Status = null, string? Due = null,
    int? RegionId = null, AgencyKind? Kind = null, string? Query = null);

/// <summary>One unit of the subtree with its report of the year. <see cref="Due"/> is the publication deadline (Beijing
/// date) with its <see cref="Basis"/> (statute or the region's rule); <see cref="PublishedOn"/> the Beijing day of the
/// first publication (an archive record's original date); <see cref="LastActivity"/> the report's last change (any
/// edit or transition). <see cref="Overdue"/>: not yet published and the deadline has passed; <see cref="DueSoon"/>: not
/// yet published and due within the window; <see cref="Late"/>: first published after the deadline.</summary>
public sealed record DashboardUnit(int AgencyId, string Name, string Code, AgencyKind Kind, string RegionName, int? ReportId,
    ReportStatus? Status, DateTimeOffset? LastActivity, DateOnly Due, string Basis, DateOnly? PublishedOn, bool Overdue,
    bool DueSoon, bool Late, ReminderKind? ReminderKind, DateTimeOffset? ReminderAt, int ReminderRecipients);

/// <summary>Units per report status (null: 未填报) of the filtered subtree, with how many of them are overdue, due soon and
/// published late.</summary>
public sealed record StatusCount(ReportStatus? Status, int Units, int Overdue, int DueSoon, int Late);

/// <summary>
/// The supervisor's dashboard over a subtree of any size (issue 12): each unit × its report status × its deadline
/// (statutory or local, <see cref="DeadlineService.TableAsync"/>), counts per status, overdue and due-soon units, late
/// publication, last activity and the last reminder sent. Everything is computed in PostgreSQL: the deadlines enter as a
/// small (region, kind) table, the counts are one GROUP BY, the list one page (LIMIT/OFFSET) — never one round trip or one
/// entity per unit.
/// </summary>
// EF1003: the SQL concatenated here is made only of this class's constants; every value is a typed NpgsqlParameter.
#pragma warning disable EF1003
public sealed class SupervisorDashboard(AppDbContext db, DeadlineService deadlines)
{
    /// <summary>The status filter's value for units without a report of the year (未填报).</summary>
    public const string NoReport = "None";
    private (int Year, IReadOnlyCollection<int> Ids, DeadlineTable Table)? _table;
    public const string Overdue = "overdue";
    public const string DueSoon = "soon";
    public const string Late = "late";

    /// <summary>Counts per status (every status present, 未填报 as null) over the units matching the filter's region, kind
    /// and name; the status and due filters are ignored, so the counts can serve as the status filter's choices.</summary>
    public async Task<IReadOnlyList<StatusCount>> CountsAsync(IReadOnlyCollection<int> agencyIds, DashboardFilter filter, CancellationToken ct)
    {
        var (sql, parameters) = await UnitsAsync(agencyIds, filter, ct);
        var rows = await db.Database.SqlQueryRaw<CountRow>(sql + """
            SELECT COALESCE(status, 'None') AS status, count(*)::int AS units, count(*) FILTER (WHERE overdue)::int AS overdue,
                   count(*) FILTER (WHERE due_soon)::int AS due_soon, count(*) FILTER (WHERE late)::int AS late
            FROM units GROUP BY 1
            """, parameters.ToArray()).ToListAsync(ct);
        return rows.Select(r => new StatusCount(r.Status == NoReport ? null : Enum.Parse<ReportStatus>(r.Status), r.Units, r.Overdue, r.DueSoon, r.Late))
            .OrderBy(c => c.Status is null ? -1 : (int)c.Status).ToList();
    }

    /// <summary>How many units the whole filter (status and due included) selects, from the counts.</summary>
    public static int Total(IReadOnlyList<StatusCount> counts, DashboardFilter filter) => counts
        .Where(c => filter.Status is null || (c.Status?.ToString() ?? NoReport) == filter.Status)
        .Sum(c => filter.Due switch { Overdue => c.Overdue, DueSoon => c.DueSoon, Late => c.Late, _ => c.Units });

    /// <summary>The filtered units, overdue first, then due soon, then by deadline, region and name; <paramref name="limit"/>
    /// units from <paramref name="offset"/> (null: all, for the CSV export).</summary>
    public async Task<IReadOnlyList<DashboardUnit>> UnitsAsync(IReadOnlyCollection<int> agencyIds, DashboardFilter filter, int offset, int? limit, CancellationToken ct)
    {
        var (sql, parameters) = await UnitsAsync(agencyIds, filter, ct);
        parameters.Add(new NpgsqlParameter("offset", NpgsqlDbType.Integer) { Value = offset });
        parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = (object?)limit ?? DBNull.Value });
        var rows = await db.Database.SqlQueryRaw<UnitRow>(sql + $"""
            SELECT u.*, m.kind AS reminder_kind, m.sent_at AS reminder_at,
                   (SELECT count(*)::int FROM reminder_recipients x WHERE x.reminder_id = m.id) AS reminder_recipients
            FROM (
                SELECT * FROM units WHERE {Selected}
                ORDER BY overdue DESC, due_soon DESC, due, region_code, name, agency_id
                OFFSET @offset LIMIT @limit
            ) u
            LEFT JOIN LATERAL (
                SELECT id, kind, sent_at FROM reminders m WHERE m.agency_id = u.agency_id AND m.year = @year ORDER BY sent_at DESC LIMIT 1
            ) m ON true
            ORDER BY u.overdue DESC, u.due_soon DESC, u.due, u.region_code, u.name, u.agency_id
            """, parameters.ToArray()).ToListAsync(ct);
        return rows.Select(r => new DashboardUnit(r.AgencyId, r.Name, r.Code.Trim(), Enum.Parse<AgencyKind>(r.Kind), r.RegionName, r.ReportId,
            r.Status is null ? null : Enum.Parse<ReportStatus>(r.Status), r.UpdatedAt, r.Due, r.Basis, r.PublishedOn, r.Overdue, r.DueSoon, r.Late,
            r.ReminderKind is null ? null : Enum.Parse<ReminderKind>(r.ReminderKind), r.ReminderAt, r.ReminderRecipients)).ToList();
    }

    /// <summary>The ids of every unit the filter selects (for 「发送提醒」 on the filtered units).</summary>
    public async Task<IReadOnlyList<int>> AgencyIdsAsync(IReadOnlyCollection<int> agencyIds, DashboardFilter filter, CancellationToken ct)
    {
        var (sql, parameters) = await UnitsAsync(agencyIds, filter, ct);
        return await db.Database.SqlQueryRaw<int>(sql + $"SELECT agency_id AS \"Value\" FROM units WHERE {Selected}", parameters.ToArray()).ToListAsync(ct);
    }

    /// <summary>The regions the subtree's units are in, by 行政区划代码, for the region filter.</summary>
    public async Task<IReadOnlyList<Region>> RegionsAsync(IReadOnlyCollection<int> agencyIds, CancellationToken ct) =>
        await db.Regions.AsNoTracking().Where(r => db.Agencies.Any(a => a.RegionId == r.Id && agencyIds.Contains(a.Id)))
            .OrderBy(r => r.Code).ToListAsync(ct);

    /// <summary>The status and due filters, applied to the CTE <c>units</c>.</summary>
    private const string Selected = """
        (@status IS NULL OR COALESCE(status, 'None') = @status)
        AND (@due IS NULL OR (@due = 'overdue' AND overdue) OR (@due = 'soon' AND due_soon) OR (@due = 'late' AND late))
        """;

    /// <summary>The CTE <c>units</c>: every unit of <paramref name="agencyIds"/> matching the region, kind and name filters,
    /// with its deadline, its report of the year, its first publication day and the derived flags; and the parameters
    /// every query over it binds (fresh objects per command).</summary>
    private async Task<(string Sql, List<NpgsqlParameter> Parameters)> UnitsAsync(IReadOnlyCollection<int> agencyIds, DashboardFilter filter, CancellationToken ct)
    {
        // One page asks several questions of the same subtree and year: the deadline table is made once.
        if (_table is not { } cached || cached.Year != filter.Year || !ReferenceEquals(cached.Ids, agencyIds))
            _table = cached = (filter.Year, agencyIds, await deadlines.TableAsync(agencyIds, filter.Year, ct));
        var table = cached.Table;
        var parameters = new List<NpgsqlParameter>(table.Parameters())
        {
            new("ids", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = agencyIds.ToArray() },
            new("year", NpgsqlDbType.Integer) { Value = filter.Year },
            new("today", NpgsqlDbType.Date) { Value = filter.Today },
            new("until", NpgsqlDbType.Date) { Value = filter.Today.AddDays(filter.DueSoonDays) },
            new("region", NpgsqlDbType.Integer) { Value = (object?)filter.RegionId ?? DBNull.Value },
            new("kind", NpgsqlDbType.Text) { Value = (object?)filter.Kind?.ToString() ?? DBNull.Value },
            new("pattern", NpgsqlDbType.Text) { Value = string.IsNullOrWhiteSpace(filter.Query) ? DBNull.Value : "%" + Escape(filter.Query.Trim()) + "%" },
            new("status", NpgsqlDbType.Text) { Value = (object?)filter.Status ?? DBNull.Value },
            new("due", NpgsqlDbType.Text) { Value = (object?)filter.Due ?? DBNull.Value },
        };
        // A unit is done once its report has a published version (a correction in progress is Draft again, yet published).
        // Its first publication is version 1: an archive record's original date, else the day it was published here.
        var sql = $"""
            WITH RECURSIVE picked AS (
                SELECT id FROM regions WHERE id = @region
                UNION ALL
                SELECT c.id FROM regions c JOIN picked p ON c.parent_id = p.id
            ),
            d AS ({DeadlineTable.Sql}),
            units AS (
                SELECT a.id AS agency_id, a.name, a.code, a.kind, g.name AS region_name, g.code AS region_code,
                       r.id AS report_id, r.status, r.updated_at, d.due, d.basis, p.published_on,
                       (p.published_on IS NULL AND d.due < @today) AS overdue,
                       (p.published_on IS NULL AND d.due >= @today AND d.due <= @until) AS due_soon,
                       COALESCE(p.published_on > d.due, false) AS late
                FROM agencies a
                JOIN d ON d.region_id = a.region_id AND d.kind = a.kind
                JOIN regions g ON g.id = a.region_id
                LEFT JOIN reports r ON r.agency_id = a.id AND r.year = @year
                LEFT JOIN LATERAL (
                    SELECT COALESCE(s.archive_published_on, (s.at AT TIME ZONE 'Asia/Shanghai')::date) AS published_on
                    FROM report_snapshots s WHERE s.report_id = r.id AND s.kind = 'Publication' AND s.version = 1
                ) p ON true
                WHERE a.id = ANY(@ids)
                  AND (@region IS NULL OR a.region_id IN (SELECT id FROM picked))
                  AND (@kind IS NULL OR a.kind = @kind)
                  AND (@pattern IS NULL OR a.name ILIKE @pattern)
            )

            """;
        return (sql, parameters);
    }

    /// <summary>LIKE's wildcards typed in a search are searched for, not matched as wildcards.</summary>
    private static string Escape(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal)
        .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    internal sealed record CountRow(string Status, int Units, int Overdue, int DueSoon, int Late);

    internal sealed record UnitRow(int AgencyId, string Name, string Code, string Kind, string RegionName, string RegionCode, int? ReportId,
        string? Status, DateTimeOffset? UpdatedAt, DateOnly Due, string Basis, DateOnly? PublishedOn, bool Overdue, bool DueSoon, bool Late,
        string? ReminderKind, DateTimeOffset? ReminderAt, int ReminderRecipients);
}
#pragma warning restore EF1003
