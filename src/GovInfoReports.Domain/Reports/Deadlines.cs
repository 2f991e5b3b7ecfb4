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
/// When the report of a year is due: the nearest region override wins; else the statutory date of the year's
/// template (data: e.g. 2021 format, 《政府信息公开条例》第四十九条 — 县级以上人民政府部门 by 1月31日 of the following
/// year, 人民政府 by 3月31日; 乡镇 and 街道, for which the 条例 names no date, 3月31日 until a region sets its own).
/// </summary>
public static class Deadlines
{
    /// <param name="template">The template of the report year (its statutory deadlines).</param>
    public static Deadline For(Agency agency, int year, Templates.ReportTemplate template, IReadOnlyList<DeadlineOverride> overrides, IReadOnlyDictionary<int, Region> regions) =>
        For(agency.RegionId, agency.Kind, year, template, overrides, regions);

    /// <summary>The same deadline from an agency's region and kind alone (all a deadline depends on), for a list of many
    /// agencies read as plain rows (the public regional view).</summary>
    /// <param name="regions">Every region by id, at least the agency's region and the regions above it.</param>
    public static Deadline For(int regionId, AgencyKind kind, int year, Templates.ReportTemplate template, IReadOnlyList<DeadlineOverride> overrides,
        IReadOnlyDictionary<int, Region> regions)
    {
        for (Region? region = regions[regionId]; region is not null; region = region.ParentId is { } p ? regions[p] : null)
        {
            var local = overrides.FirstOrDefault(o => o.RegionId == region.Id && o.Kind == kind);
            if (local is not null)
                return new Deadline(new DateOnly(year + 1, local.Month, local.Day), local.Basis ?? $"{region.Name}规定");
        }
        return template.StatutoryDeadline(kind, year);
    }
}
