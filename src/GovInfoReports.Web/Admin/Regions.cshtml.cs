using GovInfoReports.Domain.Templates;
using System.Text.RegularExpressions;
using FluentValidation;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Forms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Admin;

/// <summary>The region tree (省/市/县/乡镇) and the regions' deadline overrides.</summary>
public sealed partial class RegionsModel(AppDbContext db, AccessControl access, IValidator<RegionsModel.RegionInput> regionValidator,
    IValidator<RegionsModel.RenameInput> renameValidator, IValidator<RegionsModel.DeadlineInput> deadlineValidator,
    Publishing.PublicCacheEviction cache, ILogger<RegionsModel> logger) : PageModel
{
    /// <summary>A new region as posted.</summary>
    public sealed record RegionInput
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public RegionLevel Level { get; set; } = RegionLevel.County;
        public int? ParentId { get; set; }
    }

    /// <summary>A region's new name, posted as the form field <c>NewName</c>.</summary>
    public sealed record RenameInput(string? NewName);

    /// <summary>A local deadline as posted: the month and day of the following year, as typed (e.g. 2-20 or 2月20日).</summary>
    public sealed record DeadlineInput
    {
        public int? RegionId { get; set; }
        public AgencyKind Kind { get; set; } = AgencyKind.Township;
        public string? Date { get; set; }
        public string? Basis { get; set; }

        /// <summary>The month and day typed in <see cref="Date"/>, or null when it is not a day of every year
        /// (not 29 February: the deadline applies to every following year).</summary>
        public (int Month, int Day)? MonthDay()
        {
            var match = DatePattern().Match(Date?.Trim() ?? "");
            if (!match.Success || !int.TryParse(match.Groups[1].Value, out var month) || !int.TryParse(match.Groups[2].Value, out var day)
                || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(2001, month))
                return null;
            return (month, day);
        }
    }

    [GeneratedRegex(@"^(\d{1,2})[-月/](\d{1,2})日?$")]
    private static partial Regex DatePattern();

    [BindProperty] public RegionInput NewRegion { get; set; } = new();
    [BindProperty] public DeadlineInput NewDeadline { get; set; } = new();
    [TempData] public string? Notice { get; set; }
    public IReadOnlyList<(Region Region, int Depth)> Tree { get; private set; } = [];
    public IReadOnlyList<DeadlineOverride> Overrides { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRegionAsync(CancellationToken ct)
    {
        (await regionValidator.ValidateAsync(NewRegion, ct)).AddTo(ModelState, nameof(NewRegion));
        var code = NewRegion.Code?.Trim() ?? "";
        if (ModelState.GetFieldValidationState("NewRegion.Code") != Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid
            && await db.Regions.AnyAsync(r => r.Code == code, ct))
            ModelState.AddModelError("NewRegion.Code", $"代码{code}已存在");
        var parent = NewRegion.ParentId is { } p ? await db.Regions.FindAsync([p], ct) : null;
        if (NewRegion.ParentId is not null && parent is null) ModelState.AddModelError("NewRegion.ParentId", "上级区划不存在");
        if (parent is not null && parent.Level >= NewRegion.Level) ModelState.AddModelError("NewRegion.Level", "层级须低于上级区划");
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        var region = new Region(code, NewRegion.Name!.Trim(), NewRegion.Level, parent);
        db.Regions.Add(region);
        await db.SaveChangesAsync(ct);
        await cache.EvictAsync(ct); // the portal shows regions' names and who published late
        LogRegionCreated(logger, region.Id, access.UserId);
        Notice = $"已添加{region.Name}";
        return Redirect("/admin/regions");
    }

    [BindProperty] public string? NewName { get; set; }

    /// <summary>Renames a region (its code, the official identifier, stays).</summary>
    public async Task<IActionResult> OnPostRenameAsync(int id, CancellationToken ct)
    {
        var region = await db.Regions.FindAsync([id], ct);
        if (region is null) return NotFound();
        if (!(await renameValidator.ValidateAsync(new RenameInput(NewName), ct)).AddTo(ModelState))
        {
            RenameId = id;
            await LoadAsync(ct);
            return Page();
        }
        region.Rename(NewName!);
        await db.SaveChangesAsync(ct);
        await cache.EvictAsync(ct); // the portal shows regions' names and who published late
        LogRegionRenamed(logger, region.Id, access.UserId);
        Notice = $"已改名为{region.Name}";
        return Redirect("/admin/regions");
    }

    /// <summary>The region whose rename failed: its form is shown open, with what was typed.</summary>
    public int? RenameId { get; private set; }

    public async Task<IActionResult> OnPostDeadlineAsync(CancellationToken ct)
    {
        (await deadlineValidator.ValidateAsync(NewDeadline, ct)).AddTo(ModelState, nameof(NewDeadline));
        var region = NewDeadline.RegionId is { } id ? await db.Regions.FindAsync([id], ct) : null;
        if (NewDeadline.RegionId is not null && region is null) ModelState.AddModelError("NewDeadline.RegionId", "请选择区划");
        if (region is not null && await db.DeadlineOverrides.AnyAsync(o => o.RegionId == region.Id && o.Kind == NewDeadline.Kind, ct))
            ModelState.AddModelError("NewDeadline.Kind", "该区划已为这类机关设定期限，请先删除");
        if (!ModelState.IsValid || region is null || NewDeadline.MonthDay() is not { } date)
        {
            await LoadAsync(ct);
            return Page();
        }
        var deadline = new DeadlineOverride(region, NewDeadline.Kind, date.Month, date.Day, string.IsNullOrWhiteSpace(NewDeadline.Basis) ? null : NewDeadline.Basis.Trim());
        db.DeadlineOverrides.Add(deadline);
        await db.SaveChangesAsync(ct);
        await cache.EvictAsync(ct); // the portal shows regions' names and who published late
        LogDeadlineSet(logger, deadline.Id, region.Id, NewDeadline.Kind, access.UserId);
        Notice = "发布期限已设定";
        return Redirect("/admin/regions");
    }

    public async Task<IActionResult> OnPostDeleteDeadlineAsync(int id, CancellationToken ct)
    {
        if (await db.DeadlineOverrides.Where(o => o.Id == id).ExecuteDeleteAsync(ct) > 0)
        {
            await cache.EvictAsync(ct);
            LogDeadlineDeleted(logger, id, access.UserId);
        }
        Notice = "发布期限已删除，恢复为上级或法定期限";
        return Redirect("/admin/regions");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Tree = new RegionTree(await db.Regions.AsNoTracking().ToListAsync(ct)).DepthFirst();
        Overrides = await db.DeadlineOverrides.AsNoTracking().Include(o => o.Region).OrderBy(o => o.Region.Code).ToListAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Region {RegionId} created by {ActorId}")]
    private static partial void LogRegionCreated(ILogger logger, int regionId, string? actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Region {RegionId} renamed by {ActorId}")]
    private static partial void LogRegionRenamed(ILogger logger, int regionId, string? actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline override {DeadlineId} for region {RegionId}, agencies of kind {AgencyKind}, set by {ActorId}")]
    private static partial void LogDeadlineSet(ILogger logger, int deadlineId, int regionId, AgencyKind agencyKind, string? actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline override {DeadlineId} deleted by {ActorId}")]
    private static partial void LogDeadlineDeleted(ILogger logger, int deadlineId, string? actorId);
}

/// <summary>A new region's field rules: 行政区划代码 of 6 digits (县级 and above, GB/T 2260) or 9 (乡级), and a
/// name within <see cref="FieldLimits.RegionName"/>. Whether the code or the parent exists is the handler's.</summary>
public sealed partial class RegionInputValidator : AbstractValidator<RegionsModel.RegionInput>
{
    public RegionInputValidator()
    {
        RuleFor(r => r.Code).Must(c => CodePattern().IsMatch(c?.Trim() ?? "")).WithMessage("行政区划代码应为6位（县级及以上）或9位（乡级）数字");
        RuleFor(r => r.Name).Must(RegionNames.Valid).WithMessage(RegionNames.Message);
        RuleFor(r => r.Level).IsInEnum().WithMessage("请选择层级");
    }

    [GeneratedRegex(@"^\d{6}(\d{3})?$")]
    private static partial Regex CodePattern();
}

/// <summary>A region's new name: required, within <see cref="FieldLimits.RegionName"/>.</summary>
public sealed class RenameInputValidator : AbstractValidator<RegionsModel.RenameInput>
{
    public RenameInputValidator()
    {
        RuleFor(r => r.NewName).Must(RegionNames.Valid).WithMessage(RegionNames.Message);
    }
}

/// <summary>A local deadline's field rules: a region, a day of the year no later than the statutory one for that kind of
/// agency, and a 依据 within <see cref="FieldLimits.DeadlineBasis"/>. 条例 art. 49 sets the latest dates (县级以上人民政府部门
/// 1月31日, 本级政府 3月31日; 乡镇 and 街道 3月31日 by our default, as the 条例 names none): a region may set earlier ones,
/// never later. The statutory dates are those of the current format (the newest template's data).</summary>
public sealed class DeadlineInputValidator : AbstractValidator<RegionsModel.DeadlineInput>
{
    public DeadlineInputValidator(TemplateCatalog catalog)
    {
        var current = catalog.All.MaxBy(t => t.Definition.FirstYear ?? 0)!;
        RuleFor(d => d.RegionId).NotNull().WithMessage("请选择区划");
        RuleFor(d => d.Kind).IsInEnum().WithMessage("请选择机关类别");
        RuleFor(d => d.Date).Must((d, _) => d.MonthDay() is not null).WithMessage("请输入次年的月和日，例如 2-20 或 2月20日");
        RuleFor(d => d.Date).Must((d, _) => d.MonthDay() is not { } date || !Later(date, current.Definition.Deadlines.Single(x => x.AgencyKinds.Contains(d.Kind))))
            .When(d => Enum.IsDefined(d.Kind))
            .WithMessage(d =>
            {
                var statute = current.Definition.Deadlines.Single(x => x.AgencyKinds.Contains(d.Kind));
                return $"地方期限只能早于法定期限：{statute.Basis}，不能晚于次年{statute.Month}月{statute.Day}日";
            });
        RuleFor(d => d.Basis).Must(b => (b?.Trim().Length ?? 0) <= FieldLimits.DeadlineBasis)
            .WithMessage(d => $"依据最多{FieldLimits.DeadlineBasis}字，当前{d.Basis!.Trim().Length:N0}字");
    }

    private static bool Later((int Month, int Day) date, DeadlineDefinition statute) =>
        date.Month > statute.Month || (date.Month == statute.Month && date.Day > statute.Day);
}

/// <summary>What every region name must be (new or renamed).</summary>
internal static class RegionNames
{
    public static readonly string Message = $"请填写名称（最多{FieldLimits.RegionName}字）";

    public static bool Valid(string? name) => !string.IsNullOrWhiteSpace(name) && name.Trim().Length <= FieldLimits.RegionName;
}
