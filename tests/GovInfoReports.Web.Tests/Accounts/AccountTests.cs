using System.Diagnostics;
using System.Net;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Accounts;

public sealed class AccountTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<FormPage> LoginAsync(HttpClient client, string user, string password)
    {
        var page = await FormPage.GetAsync(client, "/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>(page.Fields())
        {
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
        }));
        return await FormPage.ReadAsync(response);
    }

    [Fact]
    public async Task Passwords_are_stored_hashed()
    {
        await using var db = app.Db();
        var hash = await db.Users.Where(u => u.UserName == "edu").Select(u => u.PasswordHash).SingleAsync();
        Assert.NotNull(hash);
        Assert.DoesNotContain(AppFixture.PasswordOf("edu"), hash);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_one()
    {
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < 4; i++)
            Assert.Equal("用户名或密码不正确", (await LoginAsync(client, "town", "wrong-password-1")).Document.GetElementById("login-error")!.TextContent.Trim());
        Assert.Equal("登录失败次数过多，账户已暂时锁定，请15分钟后再试或联系管理员",
            (await LoginAsync(client, "town", "wrong-password-1")).Document.GetElementById("login-error")!.TextContent.Trim());
        var locked = await LoginAsync(client, "town", AppFixture.PasswordOf("town"));
        Assert.Equal(HttpStatusCode.OK, locked.Response.StatusCode);
        Assert.Contains("账户已暂时锁定", locked.Document.GetElementById("login-error")!.TextContent);

        // The administrator unlocks it from the users page.
        var admin = await app.ClientAsync("admin");
        var users = await FormPage.GetAsync(admin, "/admin/users");
        var unlock = users.Document.QuerySelectorAll("form[action*='handler=Unlock']").Single();
        await users.PostAsync(admin, unlock.GetAttribute("action")!, new Dictionary<string, string>(), "form[action*='handler=Unlock']");
        var again = await LoginAsync(client, "town", AppFixture.PasswordOf("town"));
        Assert.Equal(HttpStatusCode.Redirect, again.Response.StatusCode);
    }

    [Fact]
    public async Task A_user_changes_the_password_and_a_wrong_current_password_is_refused_next_to_the_field()
    {
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await using var db = app.Db();
            var education = await db.Agencies.Where(a => a.Name == "获嘉县教育局").Select(a => a.Id).SingleAsync();
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<AccountSeeder>().CreateAsync("changer", "Changer#2026a", "改密测试", AppRole.Clerk, education));
        }
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        await LoginAsync(client, "changer", "Changer#2026a");
        var page = await FormPage.GetAsync(client, "/account/password");
        var wrong = await page.PostAsync(client, "/account/password", new Dictionary<string, string>
        {
            ["Input.Current"] = "not-it-2026", ["Input.New"] = "Changer#2026b", ["Input.Confirm"] = "Changer#2026b",
        });
        Assert.Equal("原密码不正确", wrong.Document.GetElementById("p-Current-error")!.TextContent.Trim());
        var weak = await wrong.PostAsync(client, "/account/password", new Dictionary<string, string>
        {
            ["Input.Current"] = "Changer#2026a", ["Input.New"] = "short1", ["Input.Confirm"] = "short1",
        });
        Assert.Contains("密码至少10位", weak.Document.GetElementById("p-New-error")!.TextContent);
        var ok = await weak.PostAsync(client, "/account/password", new Dictionary<string, string>
        {
            ["Input.Current"] = "Changer#2026a", ["Input.New"] = "Changer#2026b", ["Input.Confirm"] = "Changer#2026b",
        });
        Assert.Contains("密码已修改", ok.Text);
        var fresh = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(fresh, "changer", "Changer#2026b")).Response.StatusCode);
    }

    [Fact]
    public async Task A_restart_or_a_second_instance_keeps_the_user_signed_in_and_open_forms_postable()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var jar = new Dictionary<string, string>();
        async Task<FormPage> SendAsync(HttpClient client, HttpRequestMessage request)
        {
            if (jar.Count > 0) request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
            var response = await client.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';')[0].Split('=', 2);
                jar[pair[0]] = pair[1];
            }
            return await FormPage.ReadAsync(response);
        }

        // Instance 1: sign in and open the form of section 三.
        var first = app.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var login = await SendAsync(first, new HttpRequestMessage(HttpMethod.Get, "/account/login"));
        await SendAsync(first, new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(login.Fields())
            {
                ["Input.UserName"] = "edu",
                ["Input.Password"] = AppFixture.PasswordOf("edu"),
            }),
        });
        var form = await SendAsync(first, new HttpRequestMessage(HttpMethod.Get, $"/entry/{id}/s3"));
        Assert.Equal(HttpStatusCode.OK, form.Response.StatusCode);

        // Instance 2 (a restart, or a second server) on the same database accepts both the sign-in cookie
        // and the form's antiforgery token, because the keys live in PostgreSQL.
        await using var second = new AppFactory(app.ConnectionString);
        var other = second.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var saved = await SendAsync(other, new HttpRequestMessage(HttpMethod.Post, $"/entry/{id}/s3")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(form.Fields("#section-form")) { ["Input.Cells[apps.new.np]"] = "12" }),
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.Response.StatusCode);
        Assert.EndsWith($"/entry/{id}/s3", saved.Response.Headers.Location!.ToString());
        await using var db = app.Db();
        Assert.Equal(12m, await db.ReportCells.Where(c => c.ReportId == id && c.CellId == "apps.new.np").Select(c => c.Value).SingleAsync());
        Assert.True(await db.DataProtectionKeys.AnyAsync());
    }

    [Fact]
    public async Task Create_admin_makes_the_first_administrator_from_the_command_line()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "GovInfoReports.Web.dll");
        async Task<(int Code, string Output)> RunAsync(string user, string password)
        {
            var start = new ProcessStartInfo("dotnet", [dll, "--create-admin", user])
            {
                RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.Environment["ConnectionStrings__Default"] = app.ConnectionString;
            start.Environment["GIR_ADMIN_PASSWORD"] = password;
            using var process = Process.Start(start)!;
            var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, output);
        }

        var weak = await RunAsync("chief", "short");
        Assert.Equal(1, weak.Code);
        Assert.Contains("密码至少10位", weak.Output);

        var created = await RunAsync("chief", "Chief#2026admin");
        Assert.True(created.Code == 0, created.Output);
        await using var db = app.Db();
        var user = await db.Users.SingleAsync(u => u.UserName == "chief");
        Assert.True(await db.RoleGrants.AnyAsync(g => g.UserId == user.Id && g.Role == AppRole.Admin && g.AgencyId == null));
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, "chief", "Chief#2026admin")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task An_administrator_resets_a_forgotten_password_and_a_weak_one_is_refused_next_to_the_field()
    {
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await using var db = app.Db();
            var education = await db.Agencies.Where(a => a.Name == "获嘉县教育局").Select(a => a.Id).SingleAsync();
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<AccountSeeder>().CreateAsync("forgetful", "Forget#2026a", "忘记密码", AppRole.Clerk, education));
        }
        var admin = await app.ClientAsync("admin");
        await using var db2 = app.Db();
        var id = await db2.Users.Where(u => u.UserName == "forgetful").Select(u => u.Id).SingleAsync();
        var users = await FormPage.GetAsync(admin, "/admin/users");
        var selector = $"form[action*='handler=ResetPassword'][action*='{id}']";
        var action = users.Document.QuerySelector(selector)!.GetAttribute("action")!;
        var weak = await users.PostAsync(admin, action, new Dictionary<string, string> { ["NewPassword"] = "abc" }, selector);
        Assert.Contains("密码至少10位", weak.Document.GetElementById($"np-{id}-error")!.TextContent);
        await weak.PostAsync(admin, action, new Dictionary<string, string> { ["NewPassword"] = "Remember#2026" }, selector);
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, "forgetful", "Remember#2026")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(app.Factory.CreateClient(new() { AllowAutoRedirect = false }), "forgetful", "Forget#2026a")).Response.StatusCode);
    }
}
