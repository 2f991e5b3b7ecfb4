using System.ComponentModel.DataAnnotations;
using FluentValidation;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Accounts;

/// <summary>A signed-in user changes their own password (Identity checks the current one and the new one's strength).</summary>
public sealed partial class PasswordModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, IValidator<PasswordModel.PasswordInput> validator,
    ILogger<PasswordModel> logger) : PageModel
{
    /// <summary>The form as posted; passwords are bound verbatim (never cleaned).</summary>
    public sealed record PasswordInput
    {
        [DataType(DataType.Password)] public string? Current { get; set; }
        [DataType(DataType.Password)] public string? New { get; set; }
        [DataType(DataType.Password)] public string? Confirm { get; set; }
    }

    [BindProperty] public PasswordInput Input { get; set; } = new();
    [TempData] public string? Notice { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (!(await validator.ValidateAsync(Input, ct)).AddTo(ModelState, nameof(Input))) return Page();
        var result = await users.ChangePasswordAsync(user, Input.Current!, Input.New!);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
                ModelState.AddModelError(e.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "Input.Current" : "Input.New", e.Description);
            return Page();
        }
        await signIn.RefreshSignInAsync(user);
        LogPasswordChanged(logger, user.Id);
        Notice = "密码已修改";
        return Redirect("/account/password");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} changed their password")]
    private static partial void LogPasswordChanged(ILogger logger, string userId);
}

/// <summary>The password form's field rules: both passwords given and the new one typed twice alike; its
/// strength and the current password are Identity's to check.</summary>
public sealed class PasswordInputValidator : AbstractValidator<PasswordModel.PasswordInput>
{
    public PasswordInputValidator()
    {
        RuleFor(p => p.Current).NotEmpty().WithMessage("请输入原密码");
        RuleFor(p => p.New).NotEmpty().WithMessage("请输入新密码");
        RuleFor(p => p.Confirm).Equal(p => p.New).When(p => !string.IsNullOrEmpty(p.New)).WithMessage("两次输入的新密码不一致");
    }
}
