namespace GovInfoReports.Web.Publishing;

/// <summary>The permalinks' downloads: /reports/{agencyCode}/{year}[.pdf|.docx|.json|.csv] and …/v{n}.{format}; the year's
/// open data /open-data/{year}.csv; a region's year /regions/{regionCode}/{year}.csv.</summary>
public static class PublicDownloads
{
    public static WebApplication MapPublicDownloads(this WebApplication app)
    {
        app.MapGet("/reports/{agencyCode}/{year:int}.{format}", (string agencyCode, int year, string format, PublicReports reports, CancellationToken ct) =>
            DownloadAsync(reports, agencyCode, year, null, format, ct)).CacheOutput(PublicCache.Policy);
        app.MapGet("/reports/{agencyCode}/{year:int}/v{version:int}.{format}", (string agencyCode, int year, int version, string format, PublicReports reports, CancellationToken ct) =>
            DownloadAsync(reports, agencyCode, year, version, format, ct)).CacheOutput(PublicCache.Policy);
        app.MapGet("/open-data/{year:int}.csv", async (int year, PublicReports reports, CancellationToken ct) =>
        {
            var all = await reports.AllOfYearAsync(year, ct);
            return all.Count == 0 ? Results.NotFound()
                : Results.File(OpenData.Csv(all.SelectMany(OpenData.CsvRows)), "text/csv; charset=utf-8", $"govinforeports-{year}.csv");
        }).CacheOutput(PublicCache.Policy);
        // The regional view's table (RegionYear page), every unit in its default order.
        app.MapGet("/regions/{regionCode}/{year:int}.csv", async (string regionCode, int year, RegionalView view, CancellationToken ct) =>
            await view.ReadAsync(regionCode, year, ct) is { } read
                ? Results.File(OpenData.CsvTable(RegionalView.CsvRows(read, read.Units)), "text/csv; charset=utf-8", $"govinforeports-{regionCode}-{year}.csv")
                : Results.NotFound()).CacheOutput(PublicCache.Policy);
        return app;
    }

    private static async Task<IResult> DownloadAsync(PublicReports reports, string agencyCode, int year, int? version, string format, CancellationToken ct)
    {
        if (format is not ("pdf" or "docx" or "json" or "csv")) return Results.NotFound();
        var report = await reports.FindAsync(agencyCode, year, version, ct);
        if (report is null) return Results.NotFound();
        var name = $"{report.Agency.Code}-{year}-v{report.Snapshot.Version}";
        switch (format)
        {
            case "pdf":
                var pdf = await reports.PdfAsync(report.Snapshot.Id, ct);
                return pdf is null ? Results.NotFound() : Results.File(pdf, "application/pdf", $"{name}.pdf");
            case "docx":
                // Written on request from the frozen version (the output cache keeps it): unlike the PDF, it is not
                // the published record, so it is neither stored nor hashed.
                return Results.File(DocxRenderer.Render(report.Document), DocxRenderer.ContentType, $"{name}.docx");
            case "json":
                return Results.Text(OpenData.JsonText(report), "application/json; charset=utf-8");
            default:
                return Results.File(OpenData.Csv(OpenData.CsvRows(report)), "text/csv; charset=utf-8", $"{name}.csv");
        }
    }
}
