using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Review;

/// <summary>One report waiting for a supervisor: 已提交 (to review: 退回 or 审核通过) or 已审核 (to publish).
/// <see cref="Since"/> is when it was submitted (UTC).</summary>
public sealed record PendingReport(int ReportId, string AgencyName, int Year, ReportStatus Status, DateTimeOffset? Since);

/// <summary>The work waiting for the signed-in supervisor across every report year of its subtree
/// (<see cref="AccessControl.SupervisedAgenciesAsync"/>): what the reviewer lands on after login and what the
/// review dashboard lists above its year table.</summary>
public sealed class ReviewQueue(AccessControl access, AppDbContext db)
{
    /// <summary>The statuses in which a report waits for its supervisor rather than its clerk.</summary>
    public static readonly IReadOnlyList<ReportStatus> Waiting = [ReportStatus.Submitted, ReportStatus.Approved];

    /// <summary>Every 已提交 or 已审核 report of the user's subtree, newest report year first, then the longest
    /// waiting first; empty for a user who supervises nothing.</summary>
    public async Task<IReadOnlyList<PendingReport>> PendingAsync(CancellationToken ct)
    {
        var supervised = await access.SupervisedAgenciesAsync(ct);
        if (supervised.Count == 0) return [];
        return await db.Reports.AsNoTracking()
            .Where(r => supervised.Contains(r.AgencyId) && (r.Status == ReportStatus.Submitted || r.Status == ReportStatus.Approved))
            .OrderByDescending(r => r.Year).ThenBy(r => r.SubmittedAt).ThenBy(r => r.Agency.Name)
            .Select(r => new PendingReport(r.Id, r.Agency.Name, r.Year, r.Status, r.SubmittedAt))
            .ToListAsync(ct);
    }

    /// <summary>Where the signed-in user starts after login (no returnUrl): the review page when the user
    /// supervises agencies and either has work waiting there or fills in no agency's report; otherwise
    /// 报告填报, as for a clerk (and for an administrator without other roles, as before).</summary>
    public async Task<string> LandingAsync(CancellationToken ct)
    {
        if ((await access.SupervisedAgenciesAsync(ct)).Count == 0) return "/entry";
        if ((await access.ClerkAgenciesAsync(ct)).Count == 0) return "/review";
        return (await PendingAsync(ct)).Count > 0 ? "/review" : "/entry";
    }
}
