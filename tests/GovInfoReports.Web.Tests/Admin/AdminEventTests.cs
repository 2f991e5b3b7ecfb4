using System.Collections.Concurrent;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace GovInfoReports.Web.Tests.Admin;

/// <summary>Administrators' changes and imports are business events in the log: ids and the acting user, never
/// the names, texts or passwords they typed.</summary>
/// <remarks>Serilog's <c>AddSerilog</c> (without preserveStaticLogger) makes every host in the process write
/// through the static <c>Log.Logger</c>, which the last host built replaces and a disposed host silences; the
/// test therefore runs alone (<see cref="AdminEventCollection"/>), with its own host built last.</remarks>
[Collection(AdminEventCollection.Name)]
public sealed class AdminEventTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Admin_changes_and_imports_are_logged_with_ids_and_the_actor_and_nothing_typed()
    {
        var sink = new CollectingSink();
        await using var factory = app.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Serilog:MinimumLevel:Override:GovInfoReports", "Information");
            b.ConfigureTestServices(s => s.AddSingleton<ILogEventSink>(sink));
        });
        var admin = factory.CreateClient(new() { AllowAutoRedirect = false });
        var login = await FormPage.GetAsync(admin, "/account/login");
        await admin.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>(login.Fields())
        {
            ["Input.UserName"] = "admin", ["Input.Password"] = AppFixture.PasswordOf("admin"),
        }));
        await using var db = app.Db();
        var actor = await db.Users.Where(u => u.UserName == "admin").Select(u => u.Id).SingleAsync();
        var county = await db.Regions.SingleAsync(r => r.Code == "410724");
        string[] typed = ["日志测试局", "日志测试局（改）", "日志测试镇", "日志测试镇（改）", "市政务公开办日志依据", "日志测试员", "Logtest#2026a", "Logtest#2026b"];

        var code = UnifiedSocialCreditCode.Complete("11410724MB0000901");
        await (await FormPage.GetAsync(admin, "/admin/agencies")).PostAsync(admin, "/admin/agencies", new Dictionary<string, string>
        {
            ["Input.Code"] = code, ["Input.Name"] = typed[0], ["Input.Kind"] = "Department", ["Input.RegionId"] = county.Id.ToString(),
        });
        var agency = await db.Agencies.SingleAsync(a => a.Code == code);
        var edit = await FormPage.GetAsync(admin, $"/admin/agencies?edit={agency.Id}");
        await edit.PostAsync(admin, edit.Document.QuerySelector("main form[method=post]")!.GetAttribute("action")!,
            new Dictionary<string, string> { ["Input.Name"] = typed[1] });

        await (await FormPage.GetAsync(admin, "/admin/regions")).PostAsync(admin, "/admin/regions", new Dictionary<string, string>
        {
            ["NewRegion.Code"] = "410724199", ["NewRegion.Name"] = typed[2], ["NewRegion.Level"] = "Township", ["NewRegion.ParentId"] = county.Id.ToString(),
        }, "form[action*='handler=Region']", "Region");
        var region = await db.Regions.SingleAsync(r => r.Code == "410724199");
        var rename = $"form[action*='handler=Rename'][action*='id={region.Id}']";
        var regions = await FormPage.GetAsync(admin, "/admin/regions");
        await regions.PostAsync(admin, regions.Document.QuerySelector(rename)!.GetAttribute("action")!, new Dictionary<string, string> { ["NewName"] = typed[3] }, rename);
        await (await FormPage.GetAsync(admin, "/admin/regions")).PostAsync(admin, "/admin/regions", new Dictionary<string, string>
        {
            ["NewDeadline.RegionId"] = region.Id.ToString(), ["NewDeadline.Kind"] = "Township", ["NewDeadline.Date"] = "2-15", ["NewDeadline.Basis"] = typed[4],
        }, "form[action*='handler=Deadline']", "Deadline");
        var deadline = await db.DeadlineOverrides.SingleAsync(o => o.RegionId == region.Id);
        var delete = $"form[action*='handler=DeleteDeadline'][action*='id={deadline.Id}']";
        regions = await FormPage.GetAsync(admin, "/admin/regions");
        await regions.PostAsync(admin, regions.Document.QuerySelector(delete)!.GetAttribute("action")!, new Dictionary<string, string>(), delete);

        await (await FormPage.GetAsync(admin, "/admin/users")).PostAsync(admin, "/admin/users", new Dictionary<string, string>
        {
            ["Input.UserName"] = "logtest", ["Input.DisplayName"] = typed[5], ["Input.Password"] = typed[6],
            ["Input.Role"] = "Clerk", ["Input.AgencyId"] = agency.Id.ToString(),
        }, "form[action*='handler=Create']", "Create");
        var user = await db.Users.Where(u => u.UserName == "logtest").Select(u => u.Id).SingleAsync();
        var users = await FormPage.GetAsync(admin, "/admin/users");
        var grantForm = $"form[action*='handler=Grant'][action*='userId={user}']";
        await users.PostAsync(admin, users.Document.QuerySelector(grantForm)!.GetAttribute("action")!, new Dictionary<string, string>
        {
            ["Grant.Role"] = "Supervisor", ["Grant.AgencyId"] = agency.Id.ToString(),
        }, grantForm);
        var grant = await db.RoleGrants.SingleAsync(g => g.UserId == user && g.Role == GovInfoReports.Web.Accounts.AppRole.Supervisor);
        users = await FormPage.GetAsync(admin, "/admin/users");
        var revokeForm = $"form[action*='handler=Revoke'][action*='grantId={grant.Id}']";
        await users.PostAsync(admin, users.Document.QuerySelector(revokeForm)!.GetAttribute("action")!, new Dictionary<string, string>(), revokeForm);
        var resetForm = $"form[action*='handler=ResetPassword'][action*='userId={user}']";
        users = await FormPage.GetAsync(admin, "/admin/users");
        await users.PostAsync(admin, users.Document.QuerySelector(resetForm)!.GetAttribute("action")!, new Dictionary<string, string> { ["NewPassword"] = typed[7] }, resetForm);
        users = await FormPage.GetAsync(admin, "/admin/users");
        await users.PostAsync(admin, $"/admin/users?handler=Unlock&userId={user}", new Dictionary<string, string>(), resetForm);

        await (await FormPage.GetAsync(admin, "/admin/import")).PostAsync(admin, "/admin/import", new Dictionary<string, string> { ["Json"] = "{}" });

        var events = sink.Events.Where(e => e.Properties.TryGetValue("SourceContext", out var s) && s.ToString().StartsWith("\"GovInfoReports", StringComparison.Ordinal)).ToList();
        void Logged(string template, params (string Name, object Value)[] ids)
        {
            var match = events.Where(e => e.MessageTemplate.Text == template).ToList();
            Assert.True(match.Count > 0, $"No event “{template}” among:\n{string.Join("\n", events.Select(e => e.MessageTemplate.Text))}");
            Assert.Contains(match, e => ids.Append(("ActorId", actor)).All(id => e.Properties.TryGetValue(id.Name, out var v) && v is ScalarValue { Value: var x } && Equals(x, id.Value)));
        }
        Logged("Agency {AgencyId} created by {ActorId}", ("AgencyId", agency.Id));
        Logged("Agency {AgencyId} changed by {ActorId}", ("AgencyId", agency.Id));
        Logged("Region {RegionId} created by {ActorId}", ("RegionId", region.Id));
        Logged("Region {RegionId} renamed by {ActorId}", ("RegionId", region.Id));
        Logged("Deadline override {DeadlineId} for region {RegionId}, agencies of kind {AgencyKind}, set by {ActorId}", ("DeadlineId", deadline.Id), ("RegionId", region.Id));
        Logged("Deadline override {DeadlineId} deleted by {ActorId}", ("DeadlineId", deadline.Id));
        Logged("User {UserId} created as {Role} of agency {AgencyId} by {ActorId}", ("UserId", user), ("AgencyId", agency.Id));
        Logged("Grant {GrantId}: user {UserId} made {Role} of agency {AgencyId} by {ActorId}", ("GrantId", grant.Id), ("UserId", user));
        Logged("Grant {GrantId} revoked: user {UserId} no longer {Role} of agency {AgencyId}, by {ActorId}", ("GrantId", grant.Id), ("UserId", user));
        Logged("Password of user {UserId} reset by {ActorId}", ("UserId", user));
        Logged("User {UserId} unlocked by {ActorId}", ("UserId", user));
        Logged("Import by {ActorId} refused with {ProblemCount} problem(s)");
        foreach (var e in events)
        {
            var text = e.RenderMessage() + string.Join(" ", e.Properties.Values);
            Assert.DoesNotContain(typed, t => text.Contains(t, StringComparison.Ordinal));
        }
    }

    private sealed class CollectingSink : ILogEventSink
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
    }
}

/// <summary>Runs its tests after all parallel ones, with nothing else running: no other host may replace or
/// silence the process-wide logger while events are collected.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AdminEventCollection
{
    public const string Name = "Log capture";
}
