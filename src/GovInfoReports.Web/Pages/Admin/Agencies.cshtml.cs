using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Pages.Admin;

/// <summary>Agencies: 统一社会信用代码 (check digit validated), name, kind, region, parent, 规章 power.</summary>
public sealed class AgenciesModel(AppDbContext db, Microsoft.AspNetCore.OutputCaching.IOutputCacheStore cache) : PageModel
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
    /// <summary>The agency being edited (null: adding a new one).</summary>
    [BindProperty(SupportsGet = true)] public int? Edit { get; set; }
    [TempData] public string? Notice { get; set; }
    public IReadOnlyList<Agency> Agencies { get; private set; } = [];
    public IReadOnlyList<Region> Regions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Edit is { } id)
        {
            var agency = await db.Agencies.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
            if (agency is null) return NotFound();
            Input = new AgencyInput
            {
                Code = agency.Code, Name = agency.Name, Kind = agency.Kind, RegionId = agency.RegionId,
                ParentId = agency.ParentId, MayMakeRules = agency.MayMakeRules,
            };
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUpdateAsync(CancellationToken ct)
    {
        var agency = Edit is { } id ? await db.Agencies.Include(a => a.Parent).FirstOrDefaultAsync(a => a.Id == id, ct) : null;
        if (agency is null) return NotFound();
        if (string.IsNullOrWhiteSpace(Input.Name) || Input.Name.Trim().Length > 100) ModelState.AddModelError("Input.Name", "请填写机关名称（最多100字）");
        var region = Input.RegionId is { } r ? await db.Regions.FindAsync([r], ct) : null;
        if (region is null) ModelState.AddModelError("Input.RegionId", "请选择所属区划");
        var parent = Input.ParentId is { } p ? await db.Agencies.Include(a => a.Parent).FirstOrDefaultAsync(a => a.Id == p, ct) : null;
        if (Input.ParentId is not null && parent is null) ModelState.AddModelError("Input.ParentId", "上级机关不存在");
        if (ModelState.IsValid && region is not null)
        {
            // Track every agency so each parent chain is complete for the cycle check (the table is small).
            await db.Agencies.LoadAsync(ct);
            try
            {
                agency.Update(Input.Name!, Input.Kind, region, parent, Input.MayMakeRules);
                await db.SaveChangesAsync(ct);
                await cache.EvictByTagAsync(Hosting.PublicCache.Tag, ct); // agency pages show the current name
                Notice = $"已修改{agency.Name}";
                return Redirect("/admin/agencies");
            }
            catch (ArgumentException e)
            {
                ModelState.AddModelError("Input.ParentId", e.Message.Split(" (Parameter")[0]);
            }
        }
        Input.Code = agency.Code;
        await LoadAsync(ct);
        return Page();
    }

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
