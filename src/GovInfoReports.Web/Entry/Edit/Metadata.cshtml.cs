using System.Globalization;
using System.Runtime.CompilerServices;
using FluentValidation;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Forms;
using GovInfoReports.Web.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Entry;

/// <summary>The report's metadata as typed: dates stay text so bad input can be shown back as typed. Form fields
/// are named after the properties (<c>Input.Title</c> …); the template addresses them by field id (<c>title</c> …).</summary>
public sealed record MetadataInput
{
    public string? Title { get; init; }
    public string? CompilingOffice { get; init; }
    public string? UnitsCovered { get; init; }
    public string? PeriodStart { get; init; }
    public string? PeriodEnd { get; init; }
    public string? PublicationPlace { get; init; }
    public string? Contact { get; init; }

    public static MetadataInput From(ReportMetadata m) => new()
    {
        Title = m.Title, CompilingOffice = m.CompilingOffice, UnitsCovered = m.UnitsCovered,
        PeriodStart = m.Text(ReportMetadata.PeriodStartField), PeriodEnd = m.Text(ReportMetadata.PeriodEndField),
        PublicationPlace = m.PublicationPlace, Contact = m.Contact,
    };

    public ReportMetadata ToMetadata() => new(Title!.Trim(), CompilingOffice!.Trim(), Blank(UnitsCovered),
        ParseDate(PeriodStart)!.Value, ParseDate(PeriodEnd)!.Value, Blank(PublicationPlace), Blank(Contact));

    /// <summary>The form property (and field name after <c>Input.</c>) of a template field id: title → Title.</summary>
    public static string PropertyName(string fieldId) => char.ToUpperInvariant(fieldId[0]) + fieldId[1..];

    /// <summary>The typed text of a field, by template field id.</summary>
    public string? Get(string fieldId) => fieldId switch
    {
        ReportMetadata.TitleField => Title,
        ReportMetadata.CompilingOfficeField => CompilingOffice,
        ReportMetadata.UnitsCoveredField => UnitsCovered,
        ReportMetadata.PeriodStartField => PeriodStart,
        ReportMetadata.PeriodEndField => PeriodEnd,
        ReportMetadata.PublicationPlaceField => PublicationPlace,
        ReportMetadata.ContactField => Contact,
        _ => throw new ArgumentOutOfRangeException(nameof(fieldId), fieldId, "Not a metadata field."),
    };

    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy年M月d日"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>The metadata form's field rules, all from the template's metadata block: required fields, dates,
/// lengths (never more than the column, <see cref="FieldLimits.Metadata"/>) and the period's order, with the
/// template's messages. The rule that the period lies in the report year needs the report and stays in the
/// handler. One instance per template (<see cref="For"/>).</summary>
public sealed class MetadataInputValidator : AbstractValidator<MetadataInput>
{
    private static readonly ConditionalWeakTable<ReportTemplate, MetadataInputValidator> ByTemplate = new();

    /// <summary>The validator of <paramref name="template"/>'s metadata fields, made once per template.</summary>
    public static MetadataInputValidator For(ReportTemplate template) => ByTemplate.GetValue(template, t => new MetadataInputValidator(t));

    private MetadataInputValidator(ReportTemplate template)
    {
        foreach (var field in template.MetadataFields)
        {
            var id = field.Id;
            var property = MetadataInput.PropertyName(id);
            object label = field.Label;
            if (ReportMetadata.IsDate(id))
            {
                RuleFor(m => m.Get(id)).Must(d => MetadataInput.ParseDate(d) is not null)
                    .WithMessage(template.MetadataMessage("notDate", ("example", field.Example ?? ""), ("label", label)))
                    .OverridePropertyName(property);
                continue;
            }
            if (field.Required)
                RuleFor(m => m.Get(id)).Must(v => !string.IsNullOrWhiteSpace(v))
                    .WithMessage(template.MetadataMessage("required", ("label", label)))
                    .OverridePropertyName(property);
            var max = Math.Min(field.MaxLength ?? int.MaxValue, FieldLimits.Metadata(id) ?? int.MaxValue);
            RuleFor(m => m.Get(id)).Must(v => v is null || v.Length <= max)
                .WithMessage((_, v) => template.MetadataMessage("tooLong", ("label", label), ("max", max), ("length", v?.Length ?? 0)))
                .OverridePropertyName(property);
        }
        RuleFor(m => m.PeriodEnd)
            .Must((m, end) => MetadataInput.ParseDate(end) >= MetadataInput.ParseDate(m.PeriodStart))
            .When(m => MetadataInput.ParseDate(m.PeriodStart) is not null && MetadataInput.ParseDate(m.PeriodEnd) is not null)
            .WithMessage(template.MetadataMessage("periodOrder"));
    }
}

/// <summary>The report's metadata (报告信息). When the database cannot be reached, a save answers 503 with the
/// fields as posted, so nothing typed is lost and the same form can be saved again later.</summary>
public sealed class MetadataModel(ReportEditor editor, TemplateCatalog catalog, AccessControl access) : PageModel
{
    [BindProperty] public MetadataInput Input { get; set; } = new();
    /// <summary>What the form showed when loaded, to save only the clerk's own changes.</summary>
    [BindProperty] public MetadataInput Original { get; set; } = new();
    /// <summary>The report's template code, posted back so the form can be drawn again during an outage.</summary>
    [BindProperty] public string? TemplateCode { get; set; }
    [TempData] public string? Notice { get; set; }
    /// <summary>The report as loaded; null while the database is unreachable (<see cref="Outage"/>).</summary>
    public ReportState? State { get; private set; }
    public string? Refusal { get; private set; }
    public int ReportId { get; private set; }
    /// <summary>The save could not reach the database: the page shows the fields as posted, with HTTP 503.</summary>
    public bool Outage { get; private set; }

    public ReportAccess Access { get; private set; } = null!;

    /// <summary>The template whose metadata fields the form shows: the report's, or during an outage the posted
    /// one (else the newest).</summary>
    public ReportTemplate Template => State?.Template ?? (TemplateCode is { } code ? catalog.Get(code) : null) ?? catalog.All[^1];
    /// <summary>During an outage the form stays editable, so it can be posted again (rights are checked then).</summary>
    public bool Editable => Outage || (State!.Report.IsEditable && Access.Edit);

    /// <summary>"{agency} {year}年度", or a plain label when the report could not be loaded.</summary>
    public string ReportLabel => State is { Report: var r } ? $"{r.Agency.Name} {r.Year}年度" : "报告概览";

    public async Task<IActionResult> OnGetAsync(int reportId, CancellationToken ct)
    {
        ReportId = reportId;
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Read, ct);
        if (refusal is not null) return refusal;
        if (!await LoadAsync(reportId, ct)) return NotFound();
        Input = Original = MetadataInput.From(State!.Report.Metadata);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int reportId, CancellationToken ct)
    {
        ReportId = reportId;
        try
        {
            return await SaveAsync(reportId, ct);
        }
        catch (Exception e) when (DatabaseOutage.Is(e))
        {
            // Input and Original are drawn as posted; field errors found before the failure stay shown.
            Outage = true;
            Refusal = DatabaseOutage.UnsavedMessage;
            var page = Page();
            page.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return page;
        }
    }

    private async Task<IActionResult> SaveAsync(int reportId, CancellationToken ct)
    {
        (var refusal, Access) = await this.AuthorizeReportAsync(reportId, ReportOperation.Edit, ct);
        if (refusal is not null) return refusal;
        if (!await LoadAsync(reportId, ct)) return NotFound();
        var validator = MetadataInputValidator.For(State!.Template);
        (await validator.ValidateAsync(Input, ct)).AddTo(ModelState, nameof(Input));
        // 统计期 is the report year (spec N9: 1 Jan – 31 Dec); a shorter period inside the year is allowed.
        var year = State.Report.Year;
        var outside = State.Template.MetadataMessage("periodOutsideYear", ("year", year));
        if (MetadataInput.ParseDate(Input.PeriodStart) is { } start && start.Year != year)
            ModelState.AddModelError("Input.PeriodStart", outside);
        if (MetadataInput.ParseDate(Input.PeriodEnd) is { } end && end.Year != year)
            ModelState.AddModelError("Input.PeriodEnd", outside);
        if (!ModelState.IsValid) return Page();

        var current = State.Report.Metadata;
        var original = (await validator.ValidateAsync(Original, ct)).IsValid ? Original.ToMetadata() : current;
        var errors = await editor.SaveMetadataAsync(reportId, Input.ToMetadata(), original, access.UserId, ct);
        if (errors.Count == 0)
        {
            Notice = "报告信息已保存";
            return Redirect($"/entry/{reportId}/meta");
        }
        Refusal = errors.GetValueOrDefault("");
        foreach (var (field, message) in errors.Where(e => e.Key != "")) ModelState.AddModelError($"Input.{field}", message);
        await LoadAsync(reportId, ct);
        Original = MetadataInput.From(State!.Report.Metadata);
        return Page();
    }

    private async Task<bool> LoadAsync(int reportId, CancellationToken ct)
    {
        var state = await editor.LoadAsync(reportId, ct);
        if (state is null) return false;
        State = state;
        return true;
    }
}
