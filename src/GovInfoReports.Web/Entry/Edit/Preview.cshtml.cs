using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Publishing;
using GovInfoReports.Web.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Entry;

/// <summary>A draft in the statutory layout, as it would be published (HTML, or PDF with ?format=pdf, or Word with
/// ?format=docx); only for those who may read the report.</summary>
public sealed class PreviewModel(ReportEditor editor, PdfRenderer pdf) : PageModel
{
    public ReportDocument Document { get; private set; } = null!;
    public int ReportId { get; private set; }

    public async Task<IActionResult> OnGetAsync(int reportId, string? format, CancellationToken ct)
    {
        var (refusal, _) = await this.AuthorizeReportAsync(reportId, ReportOperation.Read, ct);
        if (refusal is not null) return refusal;
        var state = await editor.LoadAsync(reportId, ct);
        if (state is null) return NotFound();
        Document = ReportDocument.Preview(state.Report, state.Template);
        ReportId = reportId;
        if (format == "pdf")
            return File(await pdf.RenderAsync(Document, ct), "application/pdf", $"preview-{state.Report.Agency.Code}-{state.Report.Year}.pdf");
        if (format == "docx")
            return File(DocxRenderer.Render(Document), DocxRenderer.ContentType, $"preview-{state.Report.Agency.Code}-{state.Report.Year}.docx");
        return Page();
    }
}
