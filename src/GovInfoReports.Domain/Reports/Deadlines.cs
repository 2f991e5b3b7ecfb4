using GovInfoReports.Domain.Agencies;

namespace GovInfoReports.Domain.Reports;

/// <summary>A local rule that sets the publication deadline for one kind of agency in a region and
/// every region below it (e.g. a city asking 乡镇 to publish by 2月20日).</summary>
public sealed class DeadlineOverride
{
    private DeadlineOverride() { }

    public DeadlineOverride(Region region, AgencyKind kind, int month, int day, string? basis)
    {
        _ = new DateOnly(2001, month, day); // throws for a date that does not exist (29 Feb is refused too)
        Region = region;
        Kind = kind;
        Month = month;
        Day = day;
        Basis = basis;
    }

    public int Id { get; private set; }
    public int RegionId { get; private set; }
    public Region Region { get; private set; } = null!;
    public AgencyKind Kind { get; private set; }
    public int Month { get; private set; }
    public int Day { get; private set; }
    public string? Basis { get; private set; }
}

public sealed record Deadline(DateOnly Date, string Basis)
{
    /// <summary>The report is late once the deadline day has ended in Beijing time.</summary>
    public bool IsOverdue(DateTimeOffset now) => BeijingTime.Day(now) > Date;
}

/// <summary>
/// When the report of a year is due. Statutory defaults (《政府信息公开条例》第四十九条): 县级以上人民政府部门
/// by 1月31日 of the following year; 人民政府 (the 本级政府 report) by 3月31日. The 条例 names no date for
/// 乡镇 and 街道, so they default to 3月31日 until a region sets its own. The nearest region override wins.
/// </summary>
public static class Deadlines
{
    public static Deadline For(Agency agency, int year, IReadOnlyList<DeadlineOverride> overrides, IReadOnlyDictionary<int, Region> regions)
    {
        for (Region? region = regions[agency.RegionId]; region is not null; region = region.ParentId is { } p ? regions[p] : null)
        {
            var local = overrides.FirstOrDefault(o => o.RegionId == region.Id && o.Kind == agency.Kind);
            if (local is not null)
                return new Deadline(new DateOnly(year + 1, local.Month, local.Day), local.Basis ?? $"{region.Name}规定");
        }
        return agency.Kind switch
        {
            AgencyKind.Department => new Deadline(new DateOnly(year + 1, 1, 31), "《政府信息公开条例》第四十九条：县级以上人民政府部门每年1月31日前"),
            AgencyKind.Government => new Deadline(new DateOnly(year + 1, 3, 31), "《政府信息公开条例》第四十九条：本级政府年度报告每年3月31日前"),
            _ => new Deadline(new DateOnly(year + 1, 3, 31), "条例未规定乡镇、街道的期限，默认3月31日前（可由地方规定）"),
        };
    }
}
