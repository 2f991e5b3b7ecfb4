using GovInfoReports.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Pages.Account;

public sealed class PasswordModel(UserManager<AppUser> users, SignInManager<AppUser> signIn) : PageModel
{
    public sealed class PasswordInput
    {
        public string? Current { get; set; }
        public string? New { get; set; }
        public string? Confirm { get; set; }
    }

    [BindProperty] public PasswordInput Input { get; set; } = new();
    [TempData] public string? Notice { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (string.IsNullOrEmpty(Input.Current)) ModelState.AddModelError("Input.Current", "请输入原密码");
        if (string.IsNullOrEmpty(Input.New)) ModelState.AddModelError("Input.New", "请输入新密码");
        else if (Input.New != Input.Confirm) ModelState.AddModelError("Input.Confirm", "两次输入的新密码不一致");
        if (!ModelState.IsValid) return Page();
        var result = await users.ChangePasswordAsync(user, Input.Current!, Input.New!);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
                ModelState.AddModelError(e.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "Input.Current" : "Input.New", e.Description);
            return Page();
        }
        await signIn.RefreshSignInAsync(user);
        Notice = "密码已修改";
        return Redirect("/account/password");
    }
}
