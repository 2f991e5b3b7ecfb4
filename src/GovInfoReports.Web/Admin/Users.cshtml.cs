using System.ComponentModel.DataAnnotations;
using FluentValidation;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Admin;

/// <summary>Users and their role grants per agency; unlocking locked accounts.</summary>
public sealed partial class UsersModel(AppDbContext db, UserManager<AppUser> users, AccountSeeder seeder, TimeProvider clock,
    IValidator<UsersModel.UserInput> userValidator, IValidator<UsersModel.GrantInput> grantValidator,
    IValidator<UsersModel.PasswordResetInput> resetValidator, ILogger<UsersModel> logger) : PageModel
{
    /// <summary>A new user as posted: login name, display name (姓名或岗位), initial password, and one grant.</summary>
    public sealed record UserInput
    {
        public string? UserName { get; set; }
        public string? DisplayName { get; set; }
        [DataType(DataType.Password)] public string? Password { get; set; }
        public AppRole Role { get; set; } = AppRole.Clerk;
        public int? AgencyId { get; set; }
    }

    /// <summary>A role to grant an existing user (管理员 without an agency, the others for one agency).</summary>
    public sealed record GrantInput
    {
        public AppRole Role { get; set; } = AppRole.Clerk;
        public int? AgencyId { get; set; }
    }

    /// <summary>A new password an administrator sets for a user, posted as the form field <c>NewPassword</c>.</summary>
    public sealed record PasswordResetInput(string? NewPassword);

    public sealed record UserRow(AppUser User, IReadOnlyList<RoleGrant> Grants, bool LockedOut);

    [BindProperty] public UserInput Input { get; set; } = new();
    [BindProperty] public GrantInput Grant { get; set; } = new();
    [TempData] public string? Notice { get; set; }
    public IReadOnlyList<UserRow> Users { get; private set; } = [];
    public IReadOnlyList<Agency> Agencies { get; private set; } = [];

    private string? ActorId => users.GetUserId(User);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        (await userValidator.ValidateAsync(Input, ct)).AddTo(ModelState, nameof(Input));
        if (Input.Role != AppRole.Admin && Input.AgencyId is { } id && !await db.Agencies.AnyAsync(a => a.Id == id, ct))
            ModelState.AddModelError("Input.AgencyId", GrantRules.AgencyRequired);
        if (ModelState.IsValid)
        {
            var agencyId = Input.Role == AppRole.Admin ? null : Input.AgencyId;
            var errors = await seeder.CreateAsync(Input.UserName!, Input.Password!, Input.DisplayName!, Input.Role, agencyId);
            foreach (var e in errors) ModelState.AddModelError(e.Contains("密码") ? "Input.Password" : "Input.UserName", e);
            if (errors.Count == 0 && await users.FindByNameAsync(Input.UserName!.Trim()) is { } created)
                LogUserCreated(logger, created.Id, Input.Role, agencyId, ActorId);
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
        (await grantValidator.ValidateAsync(Grant, ct)).AddTo(ModelState, nameof(Grant));
        if (Grant.Role != AppRole.Admin && Grant.AgencyId is { } id && !await db.Agencies.AnyAsync(a => a.Id == id, ct))
            ModelState.AddModelError("Grant.AgencyId", GrantRules.AgencyRequired);
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        int? agencyId = Grant.Role == AppRole.Admin ? null : Grant.AgencyId;
        if (!await db.RoleGrants.AnyAsync(g => g.UserId == userId && g.Role == Grant.Role && g.AgencyId == agencyId, ct))
        {
            var grant = new RoleGrant(userId, Grant.Role, agencyId);
            db.RoleGrants.Add(grant);
            await db.SaveChangesAsync(ct);
            LogRoleGranted(logger, grant.Id, userId, grant.Role, agencyId, ActorId);
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
        LogRoleRevoked(logger, grant.Id, grant.UserId, grant.Role, grant.AgencyId, ActorId);
        Notice = "已撤销授权";
        return Redirect("/admin/users");
    }

    [BindProperty, DataType(DataType.Password)] public string? NewPassword { get; set; }
    /// <summary>The user whose password reset failed: its form is shown open with <see cref="ResetError"/>.</summary>
    public string? ResetUserId { get; private set; }
    public string? ResetError => ModelState.TryGetValue(nameof(NewPassword), out var entry) ? entry.Errors.FirstOrDefault()?.ErrorMessage : null;

    /// <summary>Sets a new password for a user who forgot theirs (and unlocks the account).</summary>
    public async Task<IActionResult> OnPostResetPasswordAsync(string userId, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return NotFound();
        if ((await resetValidator.ValidateAsync(new PasswordResetInput(NewPassword), ct)).AddTo(ModelState))
        {
            // Identity's own rules (length, a lowercase letter, a digit), as for a password the user chooses.
            foreach (var validator in users.PasswordValidators)
            {
                var check = await validator.ValidateAsync(users, user, NewPassword);
                if (!check.Succeeded) { ModelState.AddModelError(nameof(NewPassword), string.Join("；", check.Errors.Select(e => e.Description))); break; }
            }
        }
        if (!ModelState.IsValid)
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
        LogPasswordReset(logger, user.Id, ActorId);
        Notice = $"已为 {user.UserName} 设置新密码";
        return Redirect("/admin/users");
    }

    public async Task<IActionResult> OnPostUnlockAsync(string userId, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return NotFound();
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        LogUserUnlocked(logger, user.Id, ActorId);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} created as {Role} of agency {AgencyId} by {ActorId}")]
    private static partial void LogUserCreated(ILogger logger, string userId, AppRole role, int? agencyId, string? actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grant {GrantId}: user {UserId} made {Role} of agency {AgencyId} by {ActorId}")]
    private static partial void LogRoleGranted(ILogger logger, int grantId, string userId, AppRole role, int? agencyId, string? actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grant {GrantId} revoked: user {UserId} no longer {Role} of agency {AgencyId}, by {ActorId}")]
    private static partial void LogRoleRevoked(ILogger logger, int grantId, string userId, AppRole role, int? agencyId, string? actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password of user {UserId} reset by {ActorId}")]
    private static partial void LogPasswordReset(ILogger logger, string userId, string? actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} unlocked by {ActorId}")]
    private static partial void LogUserUnlocked(ILogger logger, string userId, string? actorId);
}

/// <summary>What a 填报员 or 审核员 grant needs: an agency (a 管理员 has none).</summary>
internal static class GrantRules
{
    public const string AgencyRequired = "填报员和审核员须选择机关";
}

/// <summary>A new user's field rules: login name within Identity's <see cref="FieldLimits.UserName"/> (Identity
/// checks its characters), display name within <see cref="FieldLimits.UserDisplayName"/>, an initial password
/// (Identity checks its strength), and an agency for a 填报员 or 审核员.</summary>
public sealed class UserInputValidator : AbstractValidator<UsersModel.UserInput>
{
    public UserInputValidator()
    {
        RuleFor(u => u.UserName).NotEmpty().WithMessage("请填写用户名")
            .Must(n => (n?.Trim().Length ?? 0) <= FieldLimits.UserName).WithMessage($"用户名最多{FieldLimits.UserName}个字符");
        RuleFor(u => u.DisplayName).NotEmpty().WithMessage("请填写姓名或岗位")
            .Must(n => (n?.Trim().Length ?? 0) <= FieldLimits.UserDisplayName)
            .WithMessage(u => $"姓名或岗位最多{FieldLimits.UserDisplayName}字，当前{u.DisplayName!.Trim().Length}字");
        RuleFor(u => u.Password).NotEmpty().WithMessage("请设置初始密码");
        RuleFor(u => u.Role).IsInEnum().WithMessage("请选择角色");
        RuleFor(u => u.AgencyId).NotNull().When(u => u.Role != AppRole.Admin).WithMessage(GrantRules.AgencyRequired);
    }
}

/// <summary>A grant's field rules: an agency for a 填报员 or 审核员.</summary>
public sealed class GrantInputValidator : AbstractValidator<UsersModel.GrantInput>
{
    public GrantInputValidator()
    {
        RuleFor(g => g.Role).IsInEnum().WithMessage("请选择角色");
        RuleFor(g => g.AgencyId).NotNull().When(g => g.Role != AppRole.Admin).WithMessage(GrantRules.AgencyRequired);
    }
}

/// <summary>A password reset needs a password; its strength is Identity's to check (it knows the user).</summary>
public sealed class PasswordResetInputValidator : AbstractValidator<UsersModel.PasswordResetInput>
{
    public PasswordResetInputValidator()
    {
        RuleFor(r => r.NewPassword).NotEmpty().WithMessage("请输入新密码");
    }
}
