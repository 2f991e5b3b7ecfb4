using GovInfoReports.Web.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Admin;

/// <summary>The 管理员's pages: agencies, regions and their deadline overrides, users and grants. Every page
/// under /Admin requires <see cref="AdminPolicy"/> (checked against the grants in the database per request).</summary>
public static class AdminRegistration
{
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.Configure<RazorPagesOptions>(o => o.Conventions.AuthorizeFolder("/Admin", AdminPolicy.Name));
        return services;
    }
}
