using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Pages.Admin;

/// <summary>Users and their role grants per agency; unlocking locked accounts.</summary>
public sealed class UsersModel(AppDbContext db, UserManager<AppUser> users, AccountSeeder seeder, TimeProvider clock) : PageModel
{
    public sealed class UserInput
    {
        public string? UserName { get; set; }
        public string? DisplayName { get; set; }
        public string? Password { get; set; }
        public AppRole Role { get; set; } = AppRole.Clerk;
        public int? AgencyId { get; set; }
    }

    public sealed record UserRow(AppUser User, IReadOnlyList<RoleGrant> Grants, bool LockedOut);

    [BindProperty] public UserInput Input { get; set; } = new();
    [BindProperty] public UserInput Grant { get; set; } = new();
    [TempData] public string? Notice { get; set; }
    public IReadOnlyList<UserRow> Users { get; private set; } = [];
    public IReadOnlyList<Agency> Agencies { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Input.UserName)) ModelState.AddModelError("Input.UserName", "请填写用户名");
        if (string.IsNullOrWhiteSpace(Input.DisplayName)) ModelState.AddModelError("Input.DisplayName", "请填写姓名或岗位");
        if (string.IsNullOrEmpty(Input.Password)) ModelState.AddModelError("Input.Password", "请设置初始密码");
        if (Input.Role != AppRole.Admin && (Input.AgencyId is not { } id || !await db.Agencies.AnyAsync(a => a.Id == id, ct)))
            ModelState.AddModelError("Input.AgencyId", "填报员和审核员须选择机关");
        if (ModelState.IsValid)
        {
            var errors = await seeder.CreateAsync(Input.UserName!, Input.Password!, Input.DisplayName!, Input.Role, Input.Role == AppRole.Admin ? null : Input.AgencyId);
            foreach (var e in errors) ModelState.AddModelError(e.Contains("密码") ? "Input.Password" : "Input.UserName", e);
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        Notice = $"已创建用户 {Input.UserName!.Trim()}";
        return Redirect("/admin/users");
    }

    public async Task<IActionResult> OnPostGrantAsync(string userId, CancellationToken ct)
    {
        if (await users.FindByIdAsync(userId) is null) return NotFound();
        if (Grant.Role != AppRole.Admin && (Grant.AgencyId is not { } id || !await db.Agencies.AnyAsync(a => a.Id == id, ct)))
        {
            ModelState.AddModelError("Grant.AgencyId", "填报员和审核员须选择机关");
            await LoadAsync(ct);
            return Page();
        }
        int? agencyId = Grant.Role == AppRole.Admin ? null : Grant.AgencyId;
        if (!await db.RoleGrants.AnyAsync(g => g.UserId == userId && g.Role == Grant.Role && g.AgencyId == agencyId, ct))
        {
            db.RoleGrants.Add(new RoleGrant(userId, Grant.Role, agencyId));
            await db.SaveChangesAsync(ct);
        }
        Notice = "已授权";
        return Redirect("/admin/users");
    }

    public async Task<IActionResult> OnPostRevokeAsync(int grantId, CancellationToken ct)
    {
        var grant = await db.RoleGrants.FindAsync([grantId], ct);
        if (grant is null) return NotFound();
        if (grant.Role == AppRole.Admin && await db.RoleGrants.CountAsync(g => g.Role == AppRole.Admin, ct) == 1)
        {
            Notice = "不能撤销最后一个管理员";
            return Redirect("/admin/users");
        }
        db.RoleGrants.Remove(grant);
        await db.SaveChangesAsync(ct);
        Notice = "已撤销授权";
        return Redirect("/admin/users");
    }

    [BindProperty] public string? NewPassword { get; set; }
    public string? ResetUserId { get; private set; }
    public string? ResetError { get; private set; }

    /// <summary>Sets a new password for a user who forgot theirs (and unlocks the account).</summary>
    public async Task<IActionResult> OnPostResetPasswordAsync(string userId, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return NotFound();
        if (string.IsNullOrEmpty(NewPassword)) ResetError = "请输入新密码";
        else
        {
            foreach (var validator in users.PasswordValidators)
            {
                var check = await validator.ValidateAsync(users, user, NewPassword);
                if (!check.Succeeded) { ResetError = string.Join("；", check.Errors.Select(e => e.Description)); break; }
            }
        }
        if (ResetError is not null)
        {
            ResetUserId = userId;
            await LoadAsync(ct);
            return Page();
        }
        await users.RemovePasswordAsync(user);
        var added = await users.AddPasswordAsync(user, NewPassword!);
        if (!added.Succeeded) throw new InvalidOperationException(string.Join("; ", added.Errors.Select(e => e.Description)));
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user); // signs the user out everywhere
        Notice = $"已为 {user.UserName} 设置新密码";
        return Redirect("/admin/users");
    }

    public async Task<IActionResult> OnPostUnlockAsync(string userId, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return NotFound();
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        Notice = $"已解锁 {user.UserName}";
        return Redirect("/admin/users");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
        var grants = await db.RoleGrants.AsNoTracking().Include(g => g.Agency).ToListAsync(ct);
        var now = clock.GetUtcNow();
        Users = all.Select(u => new UserRow(u, grants.Where(g => g.UserId == u.Id).ToList(), u.LockoutEnd > now)).ToList();
        Agencies = await db.Agencies.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
    }
}
