using System.Security.Claims;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Accounts;

/// <summary>
/// Who may do what, decided on the server from the role grants in the database (read fresh per request):
/// a 填报员 reads and edits its agency's reports; a 审核员 reads and reviews the reports of its agency and
/// every agency below it, and never edits; a 管理员 manages regions, agencies and users.
/// </summary>
public sealed class AccessControl(AppDbContext db, IHttpContextAccessor http)
{
    private IReadOnlyList<RoleGrant>? _grants;
    private Dictionary<int, int?>? _parents;
    private readonly Dictionary<int, ReportAccess> _reports = [];

    public string? UserId => http.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier);

    public async Task<IReadOnlyList<RoleGrant>> GrantsAsync(CancellationToken ct = default)
    {
        if (_grants is not null) return _grants;
        EnsureSessionVerified();
        var userId = UserId;
        if (userId is null) return _grants = [];
        var grants = new List<RoleGrant>();
        await foreach (var grant in GrantsQuery(db, userId).WithCancellation(ct)) grants.Add(grant);
        return _grants = grants;
    }

    // Read on every signed-in request; compiled once (EF's look-up of the query per call was measurable).
    private static readonly Func<AppDbContext, string, IAsyncEnumerable<RoleGrant>> GrantsQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string userId) => db.RoleGrants.AsNoTracking().Where(g => g.UserId == userId));
    private static readonly Func<AppDbContext, int, CancellationToken, Task<int?>> AgencyOfReportQuery = EF.CompileAsyncQuery(
        (AppDbContext db, int reportId, CancellationToken ct) => db.Reports.Where(r => r.Id == reportId).Select(r => (int?)r.AgencyId).SingleOrDefault());

    public async Task<bool> IsAdminAsync(CancellationToken ct = default) =>
        (await GrantsAsync(ct)).Any(g => g.Role == AppRole.Admin);

    public async Task<IReadOnlySet<int>> ClerkAgenciesAsync(CancellationToken ct = default) =>
        (await GrantsAsync(ct)).Where(g => g.Role == AppRole.Clerk).Select(g => g.AgencyId!.Value).ToHashSet();

    /// <summary>The agencies a 审核员 oversees: those it was granted and all below them.</summary>
    public async Task<IReadOnlySet<int>> SupervisedAgenciesAsync(CancellationToken ct = default)
    {
        var roots = (await GrantsAsync(ct)).Where(g => g.Role == AppRole.Supervisor).Select(g => g.AgencyId!.Value).ToHashSet();
        if (roots.Count == 0) return roots;
        var parents = await ParentsAsync(ct);
        return parents.Keys.Where(id => AncestorsAndSelf(id, parents).Any(roots.Contains)).ToHashSet();
    }

    public async Task<IReadOnlySet<int>> ReadableAgenciesAsync(CancellationToken ct = default)
    {
        var set = new HashSet<int>(await ClerkAgenciesAsync(ct));
        set.UnionWith(await SupervisedAgenciesAsync(ct));
        return set;
    }

    public async Task<bool> CanEditAsync(int agencyId, CancellationToken ct = default) => (await ClerkAgenciesAsync(ct)).Contains(agencyId);

    public async Task<bool> CanReviewAsync(int agencyId, CancellationToken ct = default) => (await SupervisedAgenciesAsync(ct)).Contains(agencyId);

    /// <summary>What the current user may do with one report (all false when it does not exist).</summary>
    public async Task<ReportAccess> ForReportAsync(int reportId, CancellationToken ct = default)
    {
        if (_reports.TryGetValue(reportId, out var known)) return known;
        var access = await DecideAsync(reportId, ct);
        _reports[reportId] = access;
        return access;
    }

    private async Task<ReportAccess> DecideAsync(int reportId, CancellationToken ct)
    {
        var agencyId = await AgencyOfReportAsync(reportId, ct);
        if (agencyId is not { } id) return new ReportAccess(false, false, false, false);
        var edit = await CanEditAsync(id, ct);
        var review = await CanReviewAsync(id, ct);
        return new ReportAccess(true, edit || review, edit, review);
    }

    /// <summary>The agency a report belongs to, or null when there is no such report.</summary>
    public Task<int?> AgencyOfReportAsync(int reportId, CancellationToken ct = default)
    {
        EnsureSessionVerified();
        return AgencyOfReportQuery(db, reportId, ct);
    }

    /// <summary>Which menu entries the layout shows (管理, 审核). None when the database cannot be reached: the page
    /// itself (the 503 page, or a form drawn again from what was posted) must still render.</summary>
    public async Task<(bool Admin, bool Supervisor)> MenuAsync(CancellationToken ct = default)
    {
        if (UserId is null) return (false, false);
        try
        {
            return (await IsAdminAsync(ct), (await SupervisedAgenciesAsync(ct)).Count > 0);
        }
        catch (Exception e) when (DatabaseOutage.Is(e))
        {
            return (false, false);
        }
    }

    /// <summary>A session that could not be checked against the database (it was unreachable when the request
    /// began) is never granted anything, even if the database answers again by now.</summary>
    private void EnsureSessionVerified()
    {
        if (SessionValidator.IsUnverified(http.HttpContext))
            throw new DatabaseUnavailableException("The session could not be verified: the database was unreachable.");
    }

    private async Task<Dictionary<int, int?>> ParentsAsync(CancellationToken ct) =>
        _parents ??= await db.Agencies.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.ParentId, ct);

    private static IEnumerable<int> AncestorsAndSelf(int id, Dictionary<int, int?> parents)
    {
        var seen = new HashSet<int>();
        for (int? current = id; current is { } c && seen.Add(c); current = parents.GetValueOrDefault(c)) yield return c;
    }
}

public sealed record ReportAccess(bool Exists, bool Read, bool Edit, bool Review);
