using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Pages.Admin;

/// <summary>The region tree (省/市/县/乡镇) and the regions' deadline overrides.</summary>
public sealed class RegionsModel(AppDbContext db) : PageModel
{
    public sealed class RegionInput
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public RegionLevel Level { get; set; } = RegionLevel.County;
        public int? ParentId { get; set; }
    }

    public sealed class DeadlineInput
    {
        public int? RegionId { get; set; }
        public AgencyKind Kind { get; set; } = AgencyKind.Township;
        public string? Date { get; set; }
        public string? Basis { get; set; }
    }

    [BindProperty] public RegionInput NewRegion { get; set; } = new();
    [BindProperty] public DeadlineInput NewDeadline { get; set; } = new();
    [TempData] public string? Notice { get; set; }
    public IReadOnlyList<(Region Region, int Depth)> Tree { get; private set; } = [];
    public IReadOnlyList<DeadlineOverride> Overrides { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRegionAsync(CancellationToken ct)
    {
        var code = NewRegion.Code?.Trim() ?? "";
        if (!System.Text.RegularExpressions.Regex.IsMatch(code, @"^\d{6}(\d{3})?$"))
            ModelState.AddModelError("NewRegion.Code", "行政区划代码应为6位（县级及以上）或9位（乡级）数字");
        else if (await db.Regions.AnyAsync(r => r.Code == code, ct))
            ModelState.AddModelError("NewRegion.Code", $"代码{code}已存在");
        if (string.IsNullOrWhiteSpace(NewRegion.Name) || NewRegion.Name.Trim().Length > 100)
            ModelState.AddModelError("NewRegion.Name", "请填写名称（最多100字）");
        var parent = NewRegion.ParentId is { } p ? await db.Regions.FindAsync([p], ct) : null;
        if (NewRegion.ParentId is not null && parent is null) ModelState.AddModelError("NewRegion.ParentId", "上级区划不存在");
        if (parent is not null && parent.Level >= NewRegion.Level) ModelState.AddModelError("NewRegion.Level", "层级须低于上级区划");
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        db.Regions.Add(new Region(code, NewRegion.Name!.Trim(), NewRegion.Level, parent));
        await db.SaveChangesAsync(ct);
        Notice = $"已添加{NewRegion.Name!.Trim()}";
        return Redirect("/admin/regions");
    }

    [BindProperty] public string? NewName { get; set; }

    /// <summary>Renames a region (its code, the official identifier, stays).</summary>
    public async Task<IActionResult> OnPostRenameAsync(int id, CancellationToken ct)
    {
        var region = await db.Regions.FindAsync([id], ct);
        if (region is null) return NotFound();
        var name = NewName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            ModelState.AddModelError("NewName", "请填写名称（最多100字）");
            RenameId = id;
            await LoadAsync(ct);
            return Page();
        }
        region.Rename(name);
        await db.SaveChangesAsync(ct);
        Notice = $"已改名为{name}";
        return Redirect("/admin/regions");
    }

    public int? RenameId { get; private set; }

    public async Task<IActionResult> OnPostDeadlineAsync(CancellationToken ct)
    {
        var region = NewDeadline.RegionId is { } id ? await db.Regions.FindAsync([id], ct) : null;
        if (region is null) ModelState.AddModelError("NewDeadline.RegionId", "请选择区划");
        var match = System.Text.RegularExpressions.Regex.Match(NewDeadline.Date?.Trim() ?? "", @"^(\d{1,2})[-月/](\d{1,2})日?$");
        int month = 0, day = 0;
        if (!match.Success || !int.TryParse(match.Groups[1].Value, out month) || !int.TryParse(match.Groups[2].Value, out day)
            || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(2001, month))
            ModelState.AddModelError("NewDeadline.Date", "请输入次年的月和日，例如 2-20 或 2月20日");
        if (region is not null && await db.DeadlineOverrides.AnyAsync(o => o.RegionId == region.Id && o.Kind == NewDeadline.Kind, ct))
            ModelState.AddModelError("NewDeadline.Kind", "该区划已为这类机关设定期限，请先删除");
        if (!ModelState.IsValid || region is null)
        {
            await LoadAsync(ct);
            return Page();
        }
        db.DeadlineOverrides.Add(new DeadlineOverride(region, NewDeadline.Kind, month, day, string.IsNullOrWhiteSpace(NewDeadline.Basis) ? null : NewDeadline.Basis.Trim()));
        await db.SaveChangesAsync(ct);
        Notice = "发布期限已设定";
        return Redirect("/admin/regions");
    }

    public async Task<IActionResult> OnPostDeleteDeadlineAsync(int id, CancellationToken ct)
    {
        await db.DeadlineOverrides.Where(o => o.Id == id).ExecuteDeleteAsync(ct);
        Notice = "发布期限已删除，恢复为上级或法定期限";
        return Redirect("/admin/regions");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Code).ToListAsync(ct);
        var tree = new List<(Region, int)>();
        void Walk(int? parent, int depth)
        {
            foreach (var r in regions.Where(r => r.ParentId == parent)) { tree.Add((r, depth)); Walk(r.Id, depth + 1); }
        }
        Walk(null, 0);
        Tree = tree;
        Overrides = await db.DeadlineOverrides.AsNoTracking().Include(o => o.Region).OrderBy(o => o.Region.Code).ToListAsync(ct);
    }
}
