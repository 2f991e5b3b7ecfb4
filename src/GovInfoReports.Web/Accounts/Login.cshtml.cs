using System.ComponentModel.DataAnnotations;
using FluentValidation;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Accounts;

/// <summary>Sign-in with user name and password; five wrong passwords lock the account (Identity lockout).</summary>
public sealed class LoginModel(SignInManager<AppUser> signIn, IValidator<LoginModel.LoginInput> validator) : PageModel
{
    /// <summary>The form as posted; the password is bound verbatim (never cleaned).</summary>
    public sealed record LoginInput
    {
        public string? UserName { get; set; }
        [DataType(DataType.Password)] public string? Password { get; set; }
    }

    [BindProperty] public LoginInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    /// <summary>Why signing in failed (wrong credentials, locked); field problems are shown at their fields.</summary>
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!(await validator.ValidateAsync(Input, ct)).AddTo(ModelState, nameof(Input))) return Page();
        var result = await signIn.PasswordSignInAsync(Input.UserName!.Trim(), Input.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/entry");
        Error = result.IsLockedOut ? "登录失败次数过多，账户已暂时锁定，请15分钟后再试或联系管理员" : "用户名或密码不正确";
        return Page();
    }
}

/// <summary>The login form's field rules: a user name (within <see cref="FieldLimits.UserName"/>) and a password.</summary>
public sealed class LoginInputValidator : AbstractValidator<LoginModel.LoginInput>
{
    public LoginInputValidator()
    {
        RuleFor(l => l.UserName).NotEmpty().WithMessage("请输入用户名")
            .Must(n => (n?.Trim().Length ?? 0) <= FieldLimits.UserName).WithMessage("用户名或密码不正确");
        RuleFor(l => l.Password).NotEmpty().WithMessage("请输入密码");
    }
}
