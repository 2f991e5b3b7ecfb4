using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Accounts;

/// <summary>
/// What a user wants to do with one report: the requirement of resource-based authorization
/// (<see cref="IAuthorizationService"/> with a <see cref="ReportResource"/>). Read: its 填报员 and the 审核员
/// of its agency's subtree; Edit: its 填报员 only; Review: the 审核员 of its subtree only.
/// </summary>
public sealed class ReportOperation : IAuthorizationRequirement
{
    public static readonly ReportOperation Read = new(nameof(Read));
    public static readonly ReportOperation Edit = new(nameof(Edit));
    public static readonly ReportOperation Review = new(nameof(Review));

    private ReportOperation(string name) => Name = name;

    public string Name { get; }

    public bool AllowedBy(ReportAccess access) =>
        this == Read ? access.Read : this == Edit ? access.Edit : access.Review;
}

/// <summary>The report an authorization is about, by id.</summary>
public sealed record ReportResource(int ReportId);

/// <summary>Decides every <see cref="ReportOperation"/> from the grants in the database (<see cref="AccessControl"/>,
/// read fresh per request).</summary>
public sealed class ReportAuthorizationHandler(AccessControl access) : AuthorizationHandler<ReportOperation, ReportResource>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ReportOperation requirement, ReportResource resource)
    {
        if (requirement.AllowedBy(await access.ForReportAsync(resource.ReportId))) context.Succeed(requirement);
    }
}

public static class ReportAuthorization
{
    /// <summary>The one prologue of every page about a report: 404 when there is no such report, 403 when the
    /// user may not do <paramref name="operation"/> with it, else no refusal; with what the user may do, for the
    /// page to offer (edit links, review buttons).</summary>
    public static async Task<(IActionResult? Refusal, ReportAccess Access)> AuthorizeReportAsync(this PageModel page, int reportId,
        ReportOperation operation, CancellationToken ct)
    {
        var services = page.HttpContext.RequestServices;
        var access = await services.GetRequiredService<AccessControl>().ForReportAsync(reportId, ct);
        if (!access.Exists) return (page.NotFound(), access);
        var allowed = await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(page.User, new ReportResource(reportId), operation);
        return (allowed.Succeeded ? null : page.Forbid(), access);
    }
}
