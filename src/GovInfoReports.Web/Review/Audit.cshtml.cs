using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Entry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Review;

/// <summary>Every change of every cell, narrative part and metadata field of a report: who, when, old → new.</summary>
public sealed class AuditModel(AppDbContext db, UserNames names, TemplateCatalog catalog) : PageModel
{
    public sealed record Row(DateTimeOffset At, string User, int Revision, string What, string? Old, string? New, AuditTarget Target);

    public string Title { get; private set; } = "";
    public int ReportId { get; private set; }
    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int reportId, CancellationToken ct)
    {
        var (refusal, _) = await this.AuthorizeReportAsync(reportId, ReportOperation.Review, ct);
        if (refusal is not null) return refusal;
        var report = await db.Reports.AsNoTracking().SingleAsync(r => r.Id == reportId, ct);
        var template = catalog.Get(report.TemplateCode)!;
        var entries = await db.AuditEntries.AsNoTracking().Where(a => a.ReportId == reportId)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).ToListAsync(ct);
        var who = await names.ForAsync(entries.Select(e => e.UserId), ct);
        Title = report.Metadata.Title;
        ReportId = reportId;
        Rows = entries.Select(e => new Row(e.At, e.UserId is null ? "系统" : who.GetValueOrDefault(e.UserId) ?? e.UserId, e.Revision,
            e.Target switch
            {
                AuditTarget.Cell when template.CellsById.TryGetValue(e.Key, out var c) => $"{template.Tables[c.TableId].ShortName} {c.AccessibleName}",
                // Parts are named by id prefix (their section) and, for the template's own parts, the recommended
                // heading: the agency may rename or add parts, and the entry's old → new shows the heading it wrote.
                AuditTarget.Text or AuditTarget.Heading when template.NarrativeParts.TryGetValue(e.Key, out var p) =>
                    $"{template.FindSection(p.SectionId)!.Heading} {p.Heading}{(e.Target == AuditTarget.Heading ? "（标题）" : "")}",
                AuditTarget.Text or AuditTarget.Heading when PartIds.IsValid(e.Key) && template.FindSection(PartIds.SectionOf(e.Key)) is { } section =>
                    $"{section.Heading} 新增部分{(e.Target == AuditTarget.Heading ? "（标题）" : "")}",
                AuditTarget.Outline when template.FindSection(e.Key) is { } section => $"{section.Heading}（各部分顺序）",
                _ => e.Key,
            }, e.OldValue, e.NewValue, e.Target)).ToList();
        return Page();
    }
}
