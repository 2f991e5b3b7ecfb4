using FluentValidation;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Forms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Admin;

/// <summary>Agencies: 统一社会信用代码 (check digit validated), name, kind, region, parent, 规章 power.</summary>
public sealed partial class AgenciesModel(AppDbContext db, Publishing.PublicCacheEviction cache,
    IValidator<AgenciesModel.AgencyInput> validator, AccessControl access, ILogger<AgenciesModel> logger) : PageModel
{
    /// <summary>The agency form as posted. <see cref="Code"/> is posted only when adding (it never changes).</summary>
    public sealed record AgencyInput
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
        (await validator.ValidateAsync(Input, ct)).AddTo(ModelState, nameof(Input));
        var region = Input.RegionId is { } r ? await db.Regions.FindAsync([r], ct) : null;
        if (Input.RegionId is not null && region is null) ModelState.AddModelError("Input.RegionId", "请选择所属区划");
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
                await cache.EvictAsync(ct); // agency pages show the current name
                LogAgencyUpdated(logger, agency.Id, access.UserId);
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
        (await validator.ValidateAsync(Input, o => o.IncludeRuleSets(AgencyInputValidator.NewAgency).IncludeRulesNotInRuleSet(), ct))
            .AddTo(ModelState, nameof(Input));
        var code = Input.Code?.Trim().ToUpperInvariant();
        if (ModelState.GetFieldValidationState("Input.Code") != ModelValidationState.Invalid && await db.Agencies.AnyAsync(a => a.Code == code, ct))
            ModelState.AddModelError("Input.Code", "该统一社会信用代码已登记");
        var region = Input.RegionId is { } r ? await db.Regions.FindAsync([r], ct) : null;
        if (Input.RegionId is not null && region is null) ModelState.AddModelError("Input.RegionId", "请选择所属区划");
        var parent = Input.ParentId is { } p ? await db.Agencies.FindAsync([p], ct) : null;
        if (Input.ParentId is not null && parent is null) ModelState.AddModelError("Input.ParentId", "上级机关不存在");
        if (!ModelState.IsValid || region is null)
        {
            await LoadAsync(ct);
            return Page();
        }
        var agency = new Agency(code!, Input.Name!, Input.Kind, region, parent, Input.MayMakeRules);
        db.Agencies.Add(agency);
        await db.SaveChangesAsync(ct);
        LogAgencyCreated(logger, agency.Id, access.UserId);
        Notice = $"已添加{agency.Name}";
        return Redirect("/admin/agencies");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Agencies = await db.Agencies.AsNoTracking().Include(a => a.Region).Include(a => a.Parent).OrderBy(a => a.Region.Code).ThenBy(a => a.Name).ToListAsync(ct);
        Regions = await db.Regions.AsNoTracking().OrderBy(r => r.Code).ToListAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agency {AgencyId} created by {ActorId}")]
    private static partial void LogAgencyCreated(ILogger logger, int agencyId, string? actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agency {AgencyId} changed by {ActorId}")]
    private static partial void LogAgencyUpdated(ILogger logger, int agencyId, string? actorId);
}

/// <summary>The agency form's field rules; the code only in the rule set <see cref="NewAgency"/> (adding).
/// Whether the region, the parent and the code exist is the handler's to ask the database.</summary>
public sealed class AgencyInputValidator : AbstractValidator<AgenciesModel.AgencyInput>
{
    /// <summary>Rule set of the fields only a new agency has.</summary>
    public const string NewAgency = "New";

    public AgencyInputValidator()
    {
        RuleSet(NewAgency, () =>
            RuleFor(a => a.Code).Custom((code, context) =>
            {
                // GB 32100-2015: 18 characters with a check character (UnifiedSocialCreditCode).
                if (UnifiedSocialCreditCode.Validate(code?.Trim().ToUpperInvariant()) is { } error) context.AddFailure(error);
            }));
        RuleFor(a => a.Name).Must(n => !string.IsNullOrWhiteSpace(n) && n.Trim().Length <= FieldLimits.AgencyName)
            .WithMessage($"请填写机关名称（最多{FieldLimits.AgencyName}字）");
        RuleFor(a => a.Kind).IsInEnum().WithMessage("请选择类别");
        RuleFor(a => a.RegionId).NotNull().WithMessage("请选择所属区划");
    }
}
