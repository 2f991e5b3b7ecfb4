using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Pages.Admin;

/// <summary>Agencies: 统一社会信用代码 (check digit validated), name, kind, region, parent, 规章 power.</summary>
public sealed class AgenciesModel(AppDbContext db) : PageModel
{
    public sealed class AgencyInput
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public AgencyKind Kind { get; set; } = AgencyKind.Department;
        public int? RegionId { get; set; }
        public int? ParentId { get; set; }
        public bool MayMakeRules { get; set; }
    }

    [BindProperty] public AgencyInput Input { get; set; } = new();
    [TempData] public string? Notice { get; set; }
    public IReadOnlyList<Agency> Agencies { get; private set; } = [];
    public IReadOnlyList<Region> Regions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var code = Input.Code?.Trim().ToUpperInvariant();
        if (UnifiedSocialCreditCode.Validate(code) is { } codeError) ModelState.AddModelError("Input.Code", codeError);
        else if (await db.Agencies.AnyAsync(a => a.Code == code, ct)) ModelState.AddModelError("Input.Code", "该统一社会信用代码已登记");
        if (string.IsNullOrWhiteSpace(Input.Name) || Input.Name.Trim().Length > 100) ModelState.AddModelError("Input.Name", "请填写机关名称（最多100字）");
        var region = Input.RegionId is { } r ? await db.Regions.FindAsync([r], ct) : null;
        if (region is null) ModelState.AddModelError("Input.RegionId", "请选择所属区划");
        var parent = Input.ParentId is { } p ? await db.Agencies.FindAsync([p], ct) : null;
        if (Input.ParentId is not null && parent is null) ModelState.AddModelError("Input.ParentId", "上级机关不存在");
        if (!ModelState.IsValid || region is null)
        {
            await LoadAsync(ct);
            return Page();
        }
        db.Agencies.Add(new Agency(code!, Input.Name!, Input.Kind, region, parent, Input.MayMakeRules));
        await db.SaveChangesAsync(ct);
        Notice = $"已添加{Input.Name!.Trim()}";
        return Redirect("/admin/agencies");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Agencies = await db.Agencies.AsNoTracking().Include(a => a.Region).Include(a => a.Parent).OrderBy(a => a.Region.Code).ThenBy(a => a.Name).ToListAsync(ct);
        Regions = await db.Regions.AsNoTracking().OrderBy(r => r.Code).ToListAsync(ct);
    }
}
