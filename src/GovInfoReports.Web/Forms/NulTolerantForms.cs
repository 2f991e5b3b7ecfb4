using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace GovInfoReports.Web.Forms;

/// <summary>
/// ASP.NET Core's URL-encoded form reader refuses the whole form when any value holds <c>%00</c> (U+0000): the
/// request ends as a bare 400 page and everything typed is lost (dotnet/aspnetcore#29420). For such a request
/// only, this middleware reads the form with <see cref="FormReader"/>, which decodes <c>%00</c> like any other
/// character, and installs the result as the request's form; model binding then reports the field
/// (<see cref="CleanTextBinder"/>). Every other request is read by the framework as before.
/// </summary>
public static class NulTolerantForms
{
    /// <summary>Adds the middleware; it must run before anything reads the form (antiforgery, model binding).</summary>
    public static IApplicationBuilder UseNulTolerantForms(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
            && context.Features.Get<IFormFeature>()?.Form is null)
        {
            request.EnableBuffering();
            var hasNul = await HoldsNulAsync(request.Body, context.RequestAborted);
            request.Body.Position = 0;
            if (hasNul)
            {
                var options = context.RequestServices.GetRequiredService<IOptions<FormOptions>>().Value;
                using var reader = new FormReader(request.Body, System.Text.Encoding.UTF8)
                {
                    ValueCountLimit = options.ValueCountLimit,
                    KeyLengthLimit = options.KeyLengthLimit,
                    ValueLengthLimit = options.ValueLengthLimit,
                };
                var fields = await reader.ReadFormAsync(context.RequestAborted);
                context.Features.Set<IFormFeature>(new FormFeature(new FormCollection(fields)));
                request.Body.Position = 0;
            }
        }
        await next(context);
    });

    /// <summary>Whether the URL-encoded body holds U+0000: the escape <c>%00</c> (a literal % is sent as %25,
    /// so "%00" is never anything else) or a raw zero byte.</summary>
    private static async Task<bool> HoldsNulAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var state = 0; // bytes of "%00" matched so far, carried across reads
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var b = buffer[i];
                if (b == 0) return true;
                state = b == '%' ? 1 : state > 0 && b == '0' ? state + 1 : 0;
                if (state == 3) return true;
            }
        }
        return false;
    }
}
