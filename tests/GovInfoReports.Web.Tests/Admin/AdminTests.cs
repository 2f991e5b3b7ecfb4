using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Admin;

/// <summary>The administrator's pages: regions, deadlines, agencies (统一社会信用代码 checked), users and grants.</summary>
public sealed class AdminTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task An_administrator_sets_up_a_region_an_agency_a_clerk_and_a_local_deadline()
    {
        var admin = await app.ClientAsync("admin");
        await using var db = app.Db();
        var county = await db.Regions.SingleAsync(r => r.Code == "410724");

        var regions = await FormPage.GetAsync(admin, "/admin/regions");
        var badRegion = await regions.PostAsync(admin, "/admin/regions", new Dictionary<string, string>
        {
            ["NewRegion.Code"] = "4107", ["NewRegion.Name"] = "照镜镇", ["NewRegion.Level"] = "Township", ["NewRegion.ParentId"] = county.Id.ToString(),
        }, "form[action*='handler=Region']", "Region");
        Assert.Contains("行政区划代码应为6位", badRegion.Document.GetElementById("r-code-error")!.TextContent);
        Assert.Equal("照镜镇", badRegion.Fields("form[action*='handler=Region']")["NewRegion.Name"]);
        await badRegion.PostAsync(admin, "/admin/regions", new Dictionary<string, string> { ["NewRegion.Code"] = "410724102" },
            "form[action*='handler=Region']", "Region");
        var town = await db.Regions.SingleAsync(r => r.Code == "410724102");
        Assert.Equal(county.Id, town.ParentId);
        var renamePage = await FormPage.GetAsync(admin, "/admin/regions");
        var renameForm = $"form[action*='handler=Rename'][action*='id={town.Id}']";
        var emptyName = await renamePage.PostAsync(admin, renamePage.Document.QuerySelector(renameForm)!.GetAttribute("action")!,
            new Dictionary<string, string> { ["NewName"] = " " }, renameForm);
        Assert.Contains("请填写名称", emptyName.Document.GetElementById($"rename-{town.Id}-error")!.TextContent);
        await emptyName.PostAsync(admin, emptyName.Document.QuerySelector(renameForm)!.GetAttribute("action")!,
            new Dictionary<string, string> { ["NewName"] = "照镜镇（新）" }, renameForm);
        await db.Entry(town).ReloadAsync();
        Assert.Equal("照镜镇（新）", town.Name);

        var agencies = await FormPage.GetAsync(admin, "/admin/agencies");
        var fields = new Dictionary<string, string>
        {
            ["Input.Code"] = "11410724MB00000999", ["Input.Name"] = "获嘉县照镜镇人民政府", ["Input.Kind"] = "Township",
            ["Input.RegionId"] = town.Id.ToString(),
        };
        var badCode = await agencies.PostAsync(admin, "/admin/agencies", fields);
        Assert.Contains("统一社会信用代码", badCode.Document.GetElementById("a-code-error")!.TextContent);
        fields["Input.Code"] = UnifiedSocialCreditCode.Complete("11410724MB0000999");
        await badCode.PostAsync(admin, "/admin/agencies", fields);
        var agency = await db.Agencies.SingleAsync(a => a.Name == "获嘉县照镜镇人民政府");

        // Editing: the parent may not be the agency itself or one of its subordinates.
        var government = await db.Agencies.SingleAsync(a => a.Name == "获嘉县人民政府");
        var edit = await FormPage.GetAsync(admin, $"/admin/agencies?edit={government.Id}");
        var cycle = await edit.PostAsync(admin, Action(edit), new Dictionary<string, string>
        {
            ["Input.ParentId"] = (await db.Agencies.SingleAsync(a => a.Name == "获嘉县教育局")).Id.ToString(),
        });
        Assert.Contains("上级机关不能是本机关或其下级机关", cycle.Document.GetElementById("a-parent-error")!.TextContent);
        var moved = await FormPage.GetAsync(admin, $"/admin/agencies?edit={agency.Id}");
        await moved.PostAsync(admin, Action(moved), new Dictionary<string, string> { ["Input.ParentId"] = government.Id.ToString() });
        await db.Entry(agency).ReloadAsync();
        Assert.Equal(government.Id, agency.ParentId);

        // A clerk for the new agency.
        var users = await FormPage.GetAsync(admin, "/admin/users");
        var weak = await users.PostAsync(admin, "/admin/users", new Dictionary<string, string>
        {
            ["Input.UserName"] = "zhaojing", ["Input.DisplayName"] = "照镜镇填报员", ["Input.Password"] = "short",
            ["Input.Role"] = "Clerk", ["Input.AgencyId"] = agency.Id.ToString(),
        }, "form[action*='handler=Create']", "Create");
        Assert.Contains("密码至少10位", weak.Document.GetElementById("u-password-error")!.TextContent);
        await weak.PostAsync(admin, "/admin/users", new Dictionary<string, string> { ["Input.Password"] = "Zhaojing#2026" }, "form[action*='handler=Create']", "Create");
        var clerkId = await db.Users.Where(u => u.UserName == "zhaojing").Select(u => u.Id).SingleAsync();
        Assert.True(await db.RoleGrants.AnyAsync(g => g.UserId == clerkId && g.AgencyId == agency.Id));

        // A local deadline for 乡镇 in the county: the supervisor's dashboard shows it.
        var setDeadline = await FormPage.GetAsync(admin, "/admin/regions");
        await setDeadline.PostAsync(admin, "/admin/regions", new Dictionary<string, string>
        {
            ["NewDeadline.RegionId"] = county.Id.ToString(), ["NewDeadline.Kind"] = "Township", ["NewDeadline.Date"] = "2月20日", ["NewDeadline.Basis"] = "县政务公开办通知",
        }, "form[action*='handler=Deadline']", "Deadline");
        var dashboard = await FormPage.GetAsync(await app.ClientAsync("reviewer"), "/review?Year=2025");
        var row = dashboard.Document.GetElementById("dashboard")!.QuerySelectorAll("tr").Single(r => r.TextContent.Contains("获嘉县照镜镇人民政府"));
        Assert.Contains("2026-02-20", row.TextContent);
        Assert.Contains("已逾期", row.TextContent);
    }

    private static string Action(FormPage page) => page.Document.QuerySelector("main form[method=post]")!.GetAttribute("action")!;
}
