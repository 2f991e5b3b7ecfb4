using GovInfoReports.Domain.Reports;

namespace GovInfoReports.Domain.Tests.Reports;

public sealed class BeijingTimeTests
{
    // 16:30 UTC on 30 January is 00:30 on 31 January in Beijing (UTC+8).
    private static readonly DateTimeOffset LateEveningUtc = new(2025, 1, 30, 16, 30, 5, TimeSpan.Zero);

    [Fact]
    public void An_instant_after_16_00_UTC_falls_on_the_next_day_in_Beijing()
    {
        Assert.Equal(new DateOnly(2025, 1, 31), BeijingTime.Day(LateEveningUtc));
        Assert.Equal(new DateOnly(2025, 1, 30), BeijingTime.Day(new DateTimeOffset(2025, 1, 30, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromHours(8), BeijingTime.ToBeijing(LateEveningUtc).Offset);
    }

    [Fact]
    public void The_year_turns_at_midnight_in_Beijing_not_at_midnight_UTC()
    {
        Assert.Equal(2024, BeijingTime.Year(new DateTimeOffset(2024, 12, 31, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(2025, BeijingTime.Year(new DateTimeOffset(2024, 12, 31, 16, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Dates_are_written_in_the_Chinese_form_without_leading_zeros()
    {
        Assert.Equal("2025年1月31日", BeijingTime.Date(LateEveningUtc));
        Assert.Equal("2025年3月5日", BeijingTime.Date(new DateOnly(2025, 3, 5)));
    }

    [Fact]
    public void Compact_dates_and_times_are_Beijing_wall_clock_with_leading_zeros()
    {
        Assert.Equal("2025-01-31", BeijingTime.IsoDate(LateEveningUtc));
        Assert.Equal("2025-01-31 00:30", BeijingTime.DateTime(LateEveningUtc));
        Assert.Equal("2025-01-31 00:30:05", BeijingTime.DateTime(LateEveningUtc, seconds: true));
        // An instant given with another offset is the same instant, shown on the Beijing clock.
        Assert.Equal("2025-01-31 00:30", BeijingTime.DateTime(LateEveningUtc.ToOffset(TimeSpan.FromHours(-5))));
    }
}
