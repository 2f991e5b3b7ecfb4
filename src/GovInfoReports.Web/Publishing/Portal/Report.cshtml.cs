using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Publishing;

/// <summary>A published report in the statutory layout: the latest version, or version n.</summary>
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = PublicCache.Policy)]
public sealed class ReportModel(PublicReports reports, Review.DeadlineService deadlines) : PageModel
{
    public PublishedReport Report { get; private set; } = null!;

    /// <summary>The report's publication deadline (statutory, or the region's earlier local date).</summary>
    public Domain.Reports.Deadline Deadline { get; private set; } = null!;

    /// <summary>The Beijing day the report was first published (version 1; for an archive record, its original date).</summary>
    public DateOnly FirstPublished => Report.Snapshot.ArchivePublishedOn is { } on && Report.Snapshot.Version == 1 ? on
        : Domain.Reports.BeijingTime.Day(Report.Versions[0].PublishedAt);

    /// <summary>Whether the first publication came after the deadline day (条例 art. 49): shown on the page as 逾期发布.</summary>
    public bool PublishedLate => FirstPublished > Deadline.Date;

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
        Deadline = await deadlines.ForAsync(report.Agency, year, ct);
        return Page();
    }
}
