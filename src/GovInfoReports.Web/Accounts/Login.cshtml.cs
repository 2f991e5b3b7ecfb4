using System.ComponentModel.DataAnnotations;
using FluentValidation;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Accounts;

/// <summary>Sign-in with user name and password; five wrong passwords lock the account (Identity lockout), and an address
/// with too many failed sign-ins is refused for a while (<see cref="LoginThrottle"/>).
/// Afterwards the user goes to the local <see cref="ReturnUrl"/>, else to where its work is
/// (<see cref="Review.ReviewQueue.LandingAsync"/>: a supervisor to the reports waiting for it, a clerk to 报告填报).</summary>
public sealed class LoginModel(SignInManager<AppUser> signIn, IValidator<LoginModel.LoginInput> validator, Review.ReviewQueue queue,
    LoginThrottle throttle, Microsoft.Extensions.Options.IOptions<SecurityOptions> security) : PageModel
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
        var address = LoginThrottle.AddressOf(HttpContext);
        if (await throttle.BlockedAsync(address, ct))
        {
            Error = $"本网络地址登录失败次数过多，请{security.Value.FailedLoginWindowMinutes}分钟后再试或联系管理员";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(Input.UserName!.Trim(), Input.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            if (Url.IsLocalUrl(ReturnUrl)) return LocalRedirect(ReturnUrl);
            // The sign-in cookie only takes effect on the next request; the grants are read for the user just
            // signed in, so this request's principal is set to it (AccessControl reads the current user).
            var user = await signIn.UserManager.FindByNameAsync(Input.UserName.Trim());
            if (user is null) return LocalRedirect("/entry");
            HttpContext.User = await signIn.CreateUserPrincipalAsync(user);
            return LocalRedirect(await queue.LandingAsync(ct));
        }
        await throttle.RecordFailureAsync(address, ct);
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
