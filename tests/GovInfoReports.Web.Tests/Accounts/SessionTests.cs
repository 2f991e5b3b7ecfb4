using System.Net;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Accounts;

/// <summary>Logging out, changing one's password and an administrator's reset end every older session of the
/// user at once (the security stamp is checked on every request). Each test signs in a user of its own twice,
/// as two browsers would, so no other test's demo sessions are touched.</summary>
public sealed class SessionTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task AssertSignedInAsync(HttpClient client)
    {
        var response = await client.GetAsync("/entry");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task AssertSentToLoginAsync(HttpClient client)
    {
        var response = await client.GetAsync("/entry");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
    }

    private async Task<(string UserName, string Password, HttpClient First, HttpClient Second)> SignedInTwiceAsync(string purpose)
    {
        var (user, password) = await app.NewUserAsync(purpose, (AppRole.Clerk, "获嘉县教育局"));
        var first = await app.ClientAsync(user, password);
        var second = await app.ClientAsync(user, password);
        await AssertSignedInAsync(first);
        await AssertSignedInAsync(second);
        return (user, password, first, second);
    }

    [Fact]
    public async Task Logging_out_in_one_browser_ends_the_session_in_every_other()
    {
        var (_, _, first, second) = await SignedInTwiceAsync("logout");
        var page = await FormPage.GetAsync(first, "/entry");
        await page.PostAsync(first, "/account/logout", new Dictionary<string, string>(), "form[action='/account/logout']");

        await AssertSentToLoginAsync(second);
        await AssertSentToLoginAsync(first);
    }

    [Fact]
    public async Task Changing_ones_own_password_ends_the_other_sessions_and_keeps_this_one()
    {
        var (user, password, first, second) = await SignedInTwiceAsync("changer");
        var page = await FormPage.GetAsync(first, "/account/password");
        var changed = await page.PostAsync(first, "/account/password", new Dictionary<string, string>
        {
            ["Input.Current"] = password, ["Input.New"] = "newpass#2026x", ["Input.Confirm"] = "newpass#2026x",
        });
        Assert.Contains("密码已修改", changed.Text);

        await AssertSentToLoginAsync(second);
        await AssertSignedInAsync(first);
        await AssertSignedInAsync(await app.ClientAsync(user, "newpass#2026x"));
    }

    [Fact]
    public async Task An_administrators_password_reset_ends_every_session_of_the_user()
    {
        var (user, _, first, second) = await SignedInTwiceAsync("reset");
        await using (var db = app.Db())
        {
            var id = await db.Users.Where(u => u.UserName == user).Select(u => u.Id).SingleAsync();
            var admin = await app.ClientAsync("admin");
            var users = await FormPage.GetAsync(admin, "/admin/users");
            var selector = $"form[action*='handler=ResetPassword'][action*='{id}']";
            var done = await users.PostAsync(admin, users.Document.QuerySelector(selector)!.GetAttribute("action")!,
                new Dictionary<string, string> { ["NewPassword"] = "resetby#2026admin" }, selector);
            Assert.Contains($"已为 {user} 设置新密码", done.Text);
        }

        await AssertSentToLoginAsync(first);
        await AssertSentToLoginAsync(second);
    }
}
