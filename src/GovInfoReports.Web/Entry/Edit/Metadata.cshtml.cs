using System.Globalization;
using FluentValidation;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Forms;
using GovInfoReports.Web.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Entry;

/// <summary>The report's metadata as typed: dates stay text so bad input can be shown back as typed.</summary>
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
        PeriodStart = m.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        PeriodEnd = m.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        PublicationPlace = m.PublicationPlace, Contact = m.Contact,
    };

    public ReportMetadata ToMetadata() => new(Title!.Trim(), CompilingOffice!.Trim(), Blank(UnitsCovered),
        ParseDate(PeriodStart)!.Value, ParseDate(PeriodEnd)!.Value, Blank(PublicationPlace), Blank(Contact));

    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy年M月d日"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>The metadata form's field rules (required fields, dates, lengths from <see cref="FieldLimits"/>); the
/// rule that the period lies in the report year needs the report and stays in the handler.</summary>
public sealed class MetadataInputValidator : AbstractValidator<MetadataInput>
{
    public MetadataInputValidator()
    {
        RuleFor(m => m.Title).NotEmpty().WithMessage("请填写报告标题")
            .MaximumLength(FieldLimits.ReportTitle).WithMessage($"标题最多{FieldLimits.ReportTitle}字");
        RuleFor(m => m.CompilingOffice).NotEmpty().WithMessage("请填写编制机关")
            .MaximumLength(FieldLimits.CompilingOffice).WithMessage($"编制机关最多{FieldLimits.CompilingOffice}字");
        RuleFor(m => m.UnitsCovered).MaximumLength(FieldLimits.UnitsCovered).WithMessage($"最多{FieldLimits.UnitsCovered}字");
        RuleFor(m => m.PeriodStart).Must(d => MetadataInput.ParseDate(d) is not null).WithMessage("请输入日期，例如 2024-01-01");
        RuleFor(m => m.PeriodEnd).Must(d => MetadataInput.ParseDate(d) is not null).WithMessage("请输入日期，例如 2024-12-31");
        RuleFor(m => m.PeriodEnd)
            .Must((m, end) => MetadataInput.ParseDate(end) >= MetadataInput.ParseDate(m.PeriodStart))
            .When(m => MetadataInput.ParseDate(m.PeriodStart) is not null && MetadataInput.ParseDate(m.PeriodEnd) is not null)
            .WithMessage("统计期结束日期不能早于开始日期");
        RuleFor(m => m.PublicationPlace).MaximumLength(FieldLimits.PublicationPlace).WithMessage($"最多{FieldLimits.PublicationPlace}字");
        RuleFor(m => m.Contact).MaximumLength(FieldLimits.Contact).WithMessage($"最多{FieldLimits.Contact}字");
    }
}

/// <summary>The report's metadata (报告信息). When the database cannot be reached, a save answers 503 with the
/// fields as posted, so nothing typed is lost and the same form can be saved again later.</summary>
public sealed class MetadataModel(ReportEditor editor, IValidator<MetadataInput> validator, AccessControl access) : PageModel
{
    [BindProperty] public MetadataInput Input { get; set; } = new();
    /// <summary>What the form showed when loaded, to save only the clerk's own changes.</summary>
    [BindProperty] public MetadataInput Original { get; set; } = new();
    [TempData] public string? Notice { get; set; }
    /// <summary>The report as loaded; null while the database is unreachable (<see cref="Outage"/>).</summary>
    public ReportState? State { get; private set; }
    public string? Refusal { get; private set; }
    public int ReportId { get; private set; }
    /// <summary>The save could not reach the database: the page shows the fields as posted, with HTTP 503.</summary>
    public bool Outage { get; private set; }

    public ReportAccess Access { get; private set; } = null!;
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
        (await validator.ValidateAsync(Input, ct)).AddTo(ModelState, nameof(Input));
        // 统计期 is the report year (spec N9: 1 Jan – 31 Dec); a shorter period inside the year is allowed.
        var year = State!.Report.Year;
        if (MetadataInput.ParseDate(Input.PeriodStart) is { } start && start.Year != year)
            ModelState.AddModelError("Input.PeriodStart", $"统计期应在报告年度{year}年内");
        if (MetadataInput.ParseDate(Input.PeriodEnd) is { } end && end.Year != year)
            ModelState.AddModelError("Input.PeriodEnd", $"统计期应在报告年度{year}年内");
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
