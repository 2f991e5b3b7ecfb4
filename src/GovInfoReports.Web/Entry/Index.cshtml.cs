using System.Globalization;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Entry;

public sealed class IndexModel(AppDbContext db, TemplateCatalog catalog, TimeProvider clock, AccessControl access, Review.ReminderService reminders) : PageModel
{
    public sealed record ReportRow(int Id, string AgencyName, string AgencyCode, int Year, ReportStatus Status, DateTimeOffset UpdatedAt);
    public sealed record AgencyOption(int Id, string Name, string RegionName);

    public sealed class NewReportInput
    {
        public string? AgencyId { get; set; }
        public string? Year { get; set; }
        /// <summary>A format other than the year's statutory one, for a report published late in an older format
        /// (empty: the year's own format). The report then carries a warning whose 说明 the clerk writes.</summary>
        public string? Template { get; set; }
    }

    [BindProperty] public NewReportInput Input { get; set; } = new();

    public IReadOnlyList<ReportRow> Reports { get; private set; } = [];
    public IReadOnlyList<AgencyOption> Agencies { get; private set; } = [];
    public int LatestYear => BeijingTime.Year(clock.GetUtcNow());
    /// <summary>The first report year of the oldest format the catalog holds (the pre-2019 free form: 2008).</summary>
    public int EarliestYear => catalog.EarliestYear;
    public int? ExistingReportId { get; private set; }
    /// <summary>The clerk's unread reminders (将到期 / 已逾期) about reports not yet submitted.</summary>
    public IReadOnlyList<Review.ReminderNotice> Reminders { get; private set; } = [];

    /// <summary>Every format, newest first, for the format chooser.</summary>
    public IReadOnlyList<ReportTemplate> Formats => catalog.All.OrderByDescending(t => t.Definition.FirstYear ?? int.MinValue).ToList();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.Year ??= (LatestYear - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var clerkOf = await access.ClerkAgenciesAsync(ct);
        var agency = int.TryParse(Input.AgencyId, out var id) && clerkOf.Contains(id) ? await db.Agencies.FirstOrDefaultAsync(a => a.Id == id, ct) : null;
        if (agency is null) ModelState.AddModelError("Input.AgencyId", "请选择您负责填报的机关");

        var yearText = Domain.Values.CellValueParser.Normalise(Input.Year);
        ReportTemplate? template = null;
        if (!int.TryParse(yearText, out var year) || year < 1900 || year > 9999)
            ModelState.AddModelError("Input.Year", "请输入四位数的报告年度，例如 2024");
        else if (catalog.Choose(year, LatestYear) is { Error: { } yearError })
            ModelState.AddModelError("Input.Year", yearError);
        // The year has a format; any refusal now is of the format chosen.
        else if (catalog.Choose(year, LatestYear, Input.Template?.Trim()) is var choice && choice.Error is { } formatError)
            ModelState.AddModelError("Input.Template", formatError);
        else
            template = choice.Template;

        if (agency is not null && template is not null)
        {
            ExistingReportId = await db.Reports.Where(r => r.AgencyId == agency.Id && r.Year == year).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
            if (ExistingReportId is not null)
                ModelState.AddModelError("Input.Year", $"{agency.Name}{year}年度报告已存在");
        }

        if (!ModelState.IsValid || agency is null || template is null)
        {
            await LoadAsync(ct);
            return Page();
        }

        var report = new Report(agency, year, template, clock.GetUtcNow());
        var carried = await CarryOverAsync(report, template, ct);
        db.Reports.Add(report);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone created the same report a moment ago (unique agency + year).
            ModelState.AddModelError("Input.Year", $"{agency.Name}{year}年度报告已存在");
            await LoadAsync(ct);
            return Page();
        }
        if (carried > 0 && template.Definition.CarryOverNotice is { } notice)
            Notice = ReportTemplate.Fill(notice, ("previousYear", (object)(year - 1)), ("count", carried));
        return Redirect($"/entry/{report.Id}");
    }

    [TempData] public string? Notice { get; set; }

    /// <summary>标为已读: the reminders about one unit's report of one year, or (without both) every reminder of the user.</summary>
    public async Task<IActionResult> OnPostReadAsync(int? agencyId, int? year, CancellationToken ct)
    {
        if (access.UserId is { } userId)
            await reminders.MarkReadAsync(userId, agencyId, year, clock.GetUtcNow(), ct);
        return Redirect("/entry");
    }

    /// <summary>Prefills 二、上年结转 from last year's 四、结转下年度 (spec §9 X1): from its latest published
    /// version, else from its current content. Last year may be in another format (2020 in the 2019 format →
    /// 2021): the rows are matched by the new template's carry-over definition and the cell ids the formats
    /// share; a cell last year's format does not have is left blank. Returns how many cells were filled.</summary>
    private async Task<int> CarryOverAsync(Report report, ReportTemplate template, CancellationToken ct)
    {
        var previous = await db.Reports.AsNoTracking().Where(r => r.AgencyId == report.Agency.Id && r.Year == report.Year - 1)
            .Select(r => new { r.Id, r.TemplateCode }).FirstOrDefaultAsync(ct);
        if (previous is null || catalog.Get(previous.TemplateCode) is not { } previousTemplate) return 0;
        var published = await db.Snapshots.AsNoTracking()
            .Where(s => s.ReportId == previous.Id && s.Kind == SnapshotKind.Publication).OrderByDescending(s => s.Version)
            .Select(s => s.Cells.Select(c => new { c.CellId, c.Value }).ToList()).FirstOrDefaultAsync(ct);
        var cells = (published ?? await db.ReportCells.AsNoTracking().Where(c => c.ReportId == previous.Id)
                .Select(c => new { c.CellId, c.Value }).ToListAsync(ct))
            .ToDictionary(c => c.CellId, c => c.Value);
        var filled = 0;
        foreach (var carry in template.Definition.CarryOver)
            foreach (var cell in template.Cells.Where(c => c.TableId == carry.Table && c.RowId == carry.ToRow && !c.Computed))
                if (TemplateTable.CellId(carry.Table, carry.FromRow, cell.ColumnId) is var from
                    && previousTemplate.CellsById.ContainsKey(from) && cells.TryGetValue(from, out var value))
                {
                    report.SetCell(cell.Id, value, clock.GetUtcNow(), access.UserId);
                    filled++;
                }
        if (filled > 0) ReportEditor.StoreTotals(report, template, clock.GetUtcNow(), access.UserId);
        return filled;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var readable = await access.ReadableAgenciesAsync(ct);
        if (access.UserId is { } userId)
            Reminders = await reminders.NoticesAsync(userId, BeijingTime.Day(clock.GetUtcNow()), ct);
        var clerkOf = await access.ClerkAgenciesAsync(ct);
        Reports = await db.Reports.AsNoTracking().Where(r => readable.Contains(r.AgencyId))
            .OrderByDescending(r => r.Year).ThenBy(r => r.Agency.Name)
            .Select(r => new ReportRow(r.Id, r.Agency.Name, r.Agency.Code, r.Year, r.Status, r.UpdatedAt))
            .ToListAsync(ct);
        Agencies = await db.Agencies.AsNoTracking().Where(a => clerkOf.Contains(a.Id)).OrderBy(a => a.Region.Code).ThenBy(a => a.Name)
            .Select(a => new AgencyOption(a.Id, a.Name, a.Region.Name))
            .ToListAsync(ct);
    }
}
