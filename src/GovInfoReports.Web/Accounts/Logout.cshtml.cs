using GovInfoReports.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Accounts;

/// <summary>退出: ends this session and, by rotating the user's security stamp, every other session of the user
/// (a cookie copied or left signed in elsewhere is refused on its next request).</summary>
public sealed class LogoutModel(SignInManager<AppUser> signIn, UserManager<AppUser> users) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            if (await users.GetUserAsync(User) is { } user) await users.UpdateSecurityStampAsync(user);
        }
        catch (Exception e) when (Data.DatabaseOutage.Is(e))
        {
            // This browser is still signed out below; the other sessions could not be ended now.
        }
        await signIn.SignOutAsync();
        return Redirect("/");
    }
}
