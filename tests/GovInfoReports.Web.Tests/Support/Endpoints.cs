using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>Every endpoint the app serves, as "METHOD /route [handler]": each page handler (GET, POST,
/// named handlers) and each minimal-API endpoint, read from the app's EndpointDataSource.</summary>
public static class Endpoints
{
    public static async Task<SortedSet<string>> ListAsync(IServiceProvider services)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var loader = services.GetRequiredService<PageLoader>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                if (compiled.HandlerMethods.Count == 0) result.Add($"GET {route}");
                foreach (var handler in compiled.HandlerMethods)
                    result.Add($"{handler.HttpMethod.ToUpperInvariant()} {route}{(handler.Name is null ? "" : " " + handler.Name)}");
            }
            else
            {
                foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                    result.Add($"{method} {route}");
            }
        }
        return result;
    }
}
