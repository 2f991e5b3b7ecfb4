using GovInfoReports.Domain.Templates;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Entry;

/// <summary>The clerk's entry feature: the report list, the section forms with their live checks, the preview.
/// Pages under /Entry need a signed-in user; which reports a user may edit is decided per report
/// (<see cref="Accounts.ReportOperation.Edit"/>).</summary>
public static class EntryRegistration
{
    public static IServiceCollection AddEntry(this IServiceCollection services)
    {
        services.AddScoped<ReportEditor>();
        services.AddScoped<PreviousYears>();
        services.AddSingleton<PublishedCells>();
        services.AddSingleton<ClientTemplates>();
        services.AddScoped<Consolidation.ConsolidationService>();
        services.AddScoped<Consolidation.ConsolidationReader>();
        services.Configure<RazorPagesOptions>(o => o.Conventions.AuthorizeFolder("/Entry"));
        return services;
    }

    /// <summary>Maps <c>GET /templates/{code}.json</c>: the compiled template (cell ids → labels, kinds, messages,
    /// expanded rules) as the browser evaluator reads it, each cell with its row's and column's explanation
    /// (<c>help</c>: <c>row</c>/<c>column</c> → <c>text</c>, <c>source</c>) where the template has one; 404 for an
    /// unknown template code. A stable interface.
    /// <para>Maps <c>GET /templates/{code}/{section}.js?context=…&amp;v=…</c>: the entry form's compiled rules of one
    /// section for an agency's rule context (<see cref="ClientTemplates"/>), public like the template itself; kept by
    /// browsers for a year when <c>v</c> is the current version, else <c>no-cache</c>; 404 for an unknown template,
    /// section or context flag.</para></summary>
    public static IEndpointRouteBuilder MapEntry(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/templates/{code}/{sectionId}.js", (string code, string sectionId, string? context, string? v, TemplateCatalog catalog,
            ClientTemplates blocks, HttpContext http) =>
        {
            if (catalog.Get(code) is not { } template || template.FindSection(sectionId) is null
                || !ClientTemplates.TryParseContext(context, out var flags)) return Results.NotFound();
            var (script, version) = blocks.Script(template, flags, sectionId);
            http.Response.Headers.CacheControl = v == version ? "public, max-age=31536000, immutable" : "no-cache";
            return Results.Text(script, "text/javascript; charset=utf-8");
        });

        endpoints.MapGet("/templates/{code}.json", (string code, TemplateCatalog catalog) =>
            catalog.Get(code) is { } template
                ? Results.Json(ClientTemplate.For(template, new Dictionary<string, bool>(), withHelp: true), TemplateDefinition.JsonOptions)
                : Results.NotFound());
        return endpoints;
    }
}
