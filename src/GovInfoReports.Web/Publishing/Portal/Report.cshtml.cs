using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Publishing;

/// <summary>A published report in the statutory layout: the latest version, or version n.</summary>
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = PublicCache.Policy)]
public sealed class ReportModel(PublicReports reports) : PageModel
{
    public PublishedReport Report { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string agencyCode, int year, string? version, CancellationToken ct)
    {
        int? number = null;
        if (version is not null)
        {
            if (!version.StartsWith('v') || !int.TryParse(version[1..], out var n)) return NotFound();
            number = n;
        }
        var report = await reports.FindAsync(agencyCode, year, number, ct);
        if (report is null) return NotFound();
        Report = report;
        return Page();
    }
}
