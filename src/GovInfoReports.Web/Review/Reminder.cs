namespace GovInfoReports.Web.Review;

/// <summary>Why a unit was reminded: its report's publication deadline is near (将到期, within the configured number of
/// days) or has passed (已逾期) while the report is not yet submitted.</summary>
public enum ReminderKind { DueSoon, Overdue }

/// <summary>
/// An in-app reminder to the clerks (填报员) of one unit about its report of one year: sent by the scheduled job
/// (<see cref="ReminderJob"/>) or by a supervisor's 「发送提醒」, at most once per unit, year, kind and Beijing day (a unique
/// index; re-runs on the same day add nothing). Written by <see cref="ReminderService"/> in one SQL statement; the entity
/// serves reads.
/// </summary>
public sealed class Reminder
{
    private readonly List<ReminderRecipient> _recipients = [];

    private Reminder() { }

    public long Id { get; private set; }
    public int AgencyId { get; private set; }
    public Domain.Agencies.Agency Agency { get; private set; } = null!;
    /// <summary>The report year (统计年度) the reminder is about.</summary>
    public int Year { get; private set; }
    public ReminderKind Kind { get; private set; }
    /// <summary>The Beijing day it was sent for (the once-a-day key).</summary>
    public DateOnly Day { get; private set; }
    /// <summary>The publication deadline it announced (Beijing date).</summary>
    public DateOnly Deadline { get; private set; }
    /// <summary>What the deadline rests on (条例 article or the region's rule), as the dashboard shows it.</summary>
    public string DeadlineBasis { get; private set; } = "";
    public DateTimeOffset SentAt { get; private set; }
    /// <summary>The supervisor who pressed 「发送提醒」; null when the scheduled job sent it.</summary>
    public string? SentBy { get; private set; }
    public IReadOnlyList<ReminderRecipient> Recipients => _recipients;

    /// <summary>"将到期" or "已逾期".</summary>
    public static string KindName(ReminderKind kind) => kind == ReminderKind.Overdue ? "已逾期" : "将到期";
}

/// <summary>One clerk who received a reminder, and when that clerk marked it read (null: unread).</summary>
public sealed class ReminderRecipient
{
    private ReminderRecipient() { }

    public long ReminderId { get; private set; }
    public string UserId { get; private set; } = "";
    public DateTimeOffset? ReadAt { get; private set; }

    /// <summary>Marks the reminder read (idempotent: the first time stays).</summary>
    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;
}
