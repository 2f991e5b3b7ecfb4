using GovInfoReports.Domain.Agencies;
using Microsoft.AspNetCore.Identity;

namespace GovInfoReports.Web.Accounts;

public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}

/// <summary>填报员 edits its agency's reports; 审核员 reviews, returns, approves and publishes the reports of
/// its agency's subtree but never edits cells; 管理员 manages regions, agencies and users.</summary>
public enum AppRole { Clerk, Supervisor, Admin }

/// <summary>A role granted to a user for one agency (管理员: for the whole installation, no agency).</summary>
public sealed class RoleGrant
{
    private RoleGrant() { }

    public RoleGrant(string userId, AppRole role, int? agencyId)
    {
        if (role == AppRole.Admin ? agencyId is not null : agencyId is null)
            throw new ArgumentException("管理员不对应机关；填报员和审核员必须对应一个机关", nameof(agencyId));
        UserId = userId;
        Role = role;
        AgencyId = agencyId;
    }

    public int Id { get; private set; }
    public string UserId { get; private set; } = "";
    public AppRole Role { get; private set; }
    public int? AgencyId { get; private set; }
    public Agency? Agency { get; private set; }

    public static string RoleName(AppRole role) => role switch
    {
        AppRole.Clerk => "填报员",
        AppRole.Supervisor => "审核员",
        _ => "管理员",
    };
}
