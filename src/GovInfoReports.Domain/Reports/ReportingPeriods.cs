namespace GovInfoReports.Domain.Reports;

/// <summary>
/// Whether a report year's statistical period (统计期, 1 January to 31 December of the report year; spec §10 N9) has
/// ended, in Beijing time. A report speaks of a whole year: until that year has ended it cannot be submitted, approved,
/// published or imported as a published report, and no report of it can have been published (issue 11 part 5).
/// Registered as a service so that a test host can set the day on which its reports of far years are judged.
/// </summary>
public sealed class ReportingPeriods(TimeProvider clock)
{
    /// <summary>Today in Beijing.</summary>
    public DateOnly Today => BeijingTime.Day(clock.GetUtcNow());

    /// <summary>The last day of the statistical period of <paramref name="year"/>: 31 December.</summary>
    public static DateOnly EndOf(int year) => new(year, 12, 31);

    /// <summary>Whether the period of <paramref name="year"/> has ended (today is after its 31 December).</summary>
    public bool HasEnded(int year) => Today > EndOf(year);

    /// <summary>Null when the period of <paramref name="year"/> has ended; else why <paramref name="action"/> (提交, 审核通过,
    /// 发布, 导入) must wait, naming the year and the day the period ends, e.g. “2026年度的统计期到2026年12月31日才结束（北京时间），
    /// 统计期结束前不能提交”.</summary>
    public string? NotEnded(int year, string action) => HasEnded(year) ? null
        : $"{year}年度的统计期到{BeijingTime.Date(EndOf(year))}才结束（北京时间），统计期结束前不能{action}";

    /// <summary>Null when a report of <paramref name="year"/> can have been published on <paramref name="publishedOn"/>
    /// (a Beijing date after its period ended); else why not.</summary>
    public static string? PublishedTooEarly(int year, DateOnly publishedOn) => publishedOn > EndOf(year) ? null
        : $"{year}年度报告的统计期到{BeijingTime.Date(EndOf(year))}结束，发布日期不能早于统计期结束（当前为{BeijingTime.Date(publishedOn)}）";
}
