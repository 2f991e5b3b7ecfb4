namespace GovInfoReports.Web.Consolidation;

/// <summary>
/// That a government's 全辖区 report has taken the sums of its units (采用汇总值, template-spec §11): from then on every
/// load of the report compares its summable cells with the current sums (rule H1, a warning per differing cell) and
/// lists units not counted (H2) and units that look listed twice (H3). One row per report; the values themselves are
/// the report's cells, audited like any save. A report that never accepted its sums is not checked (a government may
/// still fill in its report by hand, e.g. an archived one).
/// </summary>
public sealed class ConsolidationAcceptance
{
    private ConsolidationAcceptance() { }

    public ConsolidationAcceptance(int reportId, string? userId, DateTimeOffset at)
    {
        ReportId = reportId;
        Accept(userId, at);
    }

    public int ReportId { get; private set; }
    /// <summary>When the sums were last accepted (UTC) and by whom (user id).</summary>
    public DateTimeOffset AcceptedAt { get; private set; }
    public string? AcceptedBy { get; private set; }

    public void Accept(string? userId, DateTimeOffset at)
    {
        AcceptedBy = userId;
        AcceptedAt = at;
    }
}

/// <summary>
/// A unit left out of a government's 汇总范围 with the clerk's reason (e.g. 垂直管理单位，不属本级编制主体; or one of two
/// registrations of the same unit): it is listed as 已排除 with the reason, never counted, and named in 汇总范围.
/// One row per report and unit; changed only while the report is editable (草稿/退回).
/// </summary>
public sealed class ConsolidationExclusion
{
    /// <summary>The longest reason accepted, in characters.</summary>
    public const int MaxReason = 200;

    private ConsolidationExclusion() { }

    public ConsolidationExclusion(int reportId, int agencyId, string reason, string? userId, DateTimeOffset at)
    {
        ReportId = reportId;
        AgencyId = agencyId;
        Reason = reason;
        ExcludedBy = userId;
        ExcludedAt = at;
    }

    public int ReportId { get; private set; }
    public int AgencyId { get; private set; }
    public string Reason { get; private set; } = "";
    public string? ExcludedBy { get; private set; }
    public DateTimeOffset ExcludedAt { get; private set; }
}
