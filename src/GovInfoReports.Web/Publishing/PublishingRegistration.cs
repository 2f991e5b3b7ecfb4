using GovInfoReports.Web.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Publishing;

/// <summary>What the public sees and what comes in from outside: the portal pages (home, agency, region,
/// report, search), the statutory documents (HTML, PDF), open data (JSON, CSV, schema) and the import of
/// published reports. Public pages and downloads are output-cached for anonymous readers and evicted (tag
/// <see cref="PublicCache.Tag"/>) in every instance whenever something is published (<see cref="PublicCacheEviction"/>). The JSON import page is for 管理员 only; 导入报告 (/import) reads published reports for 填报员 (drafts) and 审核员/管理员 (archive records).</summary>
public static class PublishingRegistration
{
    public static IServiceCollection AddPublishing(this IServiceCollection services)
    {
        services.AddOptions<PdfOptions>().BindConfiguration(PdfOptions.SectionName);
        services.AddSingleton<PdfRenderer>();
        services.AddHostedService<PdfWarmUp>();
        services.AddScoped<PublicReports>();
        services.AddScoped<PublicSearch>();
        services.AddScoped<RegionalView>();
        services.AddScoped<ReportImporter>();
        services.AddScoped<Import.ReportImports>();
        services.AddSingleton<PublicCacheEviction>();
        services.AddSingleton<PublicCacheListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PublicCacheListener>());
        services.AddOutputCache(o => o.AddPolicy(PublicCache.Policy, b => b.Expire(TimeSpan.FromMinutes(10)).Tag(PublicCache.Tag)
            .AddPolicy<PublicResponses.Policy>()));
        services.AddPublicResponses();
        services.Configure<RazorPagesOptions>(o =>
        {
            o.Conventions.AuthorizePage("/Publishing/Import/Import", AdminPolicy.Name);
            // 导入报告 (/import): signed-in users; each handler checks the agency and destination (ReportImports).
            o.Conventions.AuthorizeFolder("/Publishing/Import");
            // The home page answers at / (its @page) and, as it always has, at /Index.
            o.Conventions.AddPageRoute("/Publishing/Portal/Index", "/Index");
        });
        return services;
    }

    /// <summary>Maps the permalinks' downloads (<see cref="PublicDownloads"/>).</summary>
    public static WebApplication MapPublishing(this WebApplication app)
    {
        // The original file of an import, for whoever may see the import (its importer, or who may import for its agency).
        app.MapGet("/import/{id:int}/original", async (int id, Import.ReportImports imports, CancellationToken ct) =>
            await imports.FindAsync(id, ct) switch
            {
                ({ } import, true) => Results.File(import.Content, "application/octet-stream", import.FileName),
                ({ }, false) => Results.Forbid(),
                _ => Results.NotFound(),
            }).RequireAuthorization();
        return app.MapPublicDownloads();
    }
}
