using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Accounts;

/// <summary>Creates accounts with their grants: the first 管理员 of an installation, and the demo users.</summary>
public sealed class AccountSeeder(UserManager<AppUser> users, AppDbContext db)
{
    /// <summary>Demo accounts (only ever created by --seed-demo). The README lists them.</summary>
    public static readonly IReadOnlyList<(string User, string Password, string Name, AppRole Role, string? Agency)> DemoUsers =
    [
        ("admin", "Admin#2026demo", "系统管理员", AppRole.Admin, null),
        ("office", "Office#2026demo", "县政府办公室填报员", AppRole.Clerk, "获嘉县人民政府办公室"),
        ("edu", "Edu#2026demo", "县教育局填报员", AppRole.Clerk, "获嘉县教育局"),
        ("town", "Town#2026demo", "太山镇填报员", AppRole.Clerk, "获嘉县太山镇人民政府"),
        ("county", "County#2026demo", "县政府填报员", AppRole.Clerk, "获嘉县人民政府"),
        ("reviewer", "Review#2026demo", "县政府审核员", AppRole.Supervisor, "获嘉县人民政府"),
        ("city", "City#2026demo", "市政府审核员", AppRole.Supervisor, "新乡市人民政府"),
    ];

    /// <summary>Creates a user with one grant. Returns the errors, empty on success.</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(string userName, string password, string displayName, AppRole role, int? agencyId)
    {
        var user = new AppUser { UserName = userName.Trim(), DisplayName = displayName.Trim() };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) return result.Errors.Select(e => e.Description).ToList();
        db.RoleGrants.Add(new RoleGrant(user.Id, role, agencyId));
        await db.SaveChangesAsync();
        return [];
    }

    public async Task<bool> SeedDemoAsync()
    {
        var created = false;
        foreach (var (userName, password, name, role, agencyName) in DemoUsers)
        {
            if (await users.FindByNameAsync(userName) is not null) continue;
            int? agencyId = agencyName is null ? null : await db.Agencies.Where(a => a.Name == agencyName).Select(a => a.Id).SingleAsync();
            var errors = await CreateAsync(userName, password, name, role, agencyId);
            if (errors.Count > 0) throw new InvalidOperationException($"Demo user {userName}: {string.Join("; ", errors)}");
            created = true;
        }
        return created;
    }
}
