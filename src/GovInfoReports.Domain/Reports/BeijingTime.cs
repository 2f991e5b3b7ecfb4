using System.Globalization;

namespace GovInfoReports.Domain.Reports;

/// <summary>
/// Beijing time (北京时间, UTC+8 all year, IANA zone Asia/Shanghai): the clock every date and time the app
/// shows or judges by is read on. Instants are stored in UTC; deadlines (条例 第四十九条 "每年1月31日前")
/// and report years are days in Beijing, and pages show times as Chinese readers read them. The one place
/// that converts and formats, so no page picks another zone or spelling.
/// </summary>
public static class BeijingTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>The same instant with the +08:00 offset.</summary>
    public static DateTimeOffset ToBeijing(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The calendar day in Beijing on which the instant falls (2025-01-30T16:30Z is 2025-01-31).</summary>
    public static DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(ToBeijing(instant).DateTime);

    /// <summary>The calendar year in Beijing (2024-12-31T16:00Z is already 2025).</summary>
    public static int Year(DateTimeOffset instant) => ToBeijing(instant).Year;

    /// <summary>The instant a Beijing date begins (00:00 at UTC+8), in UTC (what PostgreSQL stores).</summary>
    public static DateTimeOffset StartOf(DateOnly date) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), Zone.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();

    /// <summary>The Beijing day in the statutory Chinese form, without leading zeros: "2025年1月31日".</summary>
    public static string Date(DateTimeOffset instant) => Date(Day(instant));

    /// <summary>A calendar date (a deadline, a statistical period) in the Chinese form: "2025年1月31日".</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>The Beijing day as ISO 8601, for compact lists: "2025-01-31".</summary>
    public static string IsoDate(DateTimeOffset instant) => ToBeijing(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Beijing date and time to the minute, "2025-01-31 08:05", or to the second with
    /// <paramref name="seconds"/>, "2025-01-31 08:05:09" (the audit trail).</summary>
    public static string DateTime(DateTimeOffset instant, bool seconds = false) =>
        ToBeijing(instant).ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
