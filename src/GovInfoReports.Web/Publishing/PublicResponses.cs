using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace GovInfoReports.Web.Publishing;

/// <summary>
/// How public pages and downloads (the <see cref="PublicCache.Policy"/> endpoints, for anonymous readers) leave the app:
/// <list type="bullet">
/// <item>compressed (Brotli or gzip, whichever the reader accepts; HTML, JSON, CSV, SVG — a PDF is compressed already) and
/// stored compressed in the output cache, one entry per <c>Accept-Encoding</c>, so a cached page costs no compression;</item>
/// <item>with a weak <c>ETag</c> over the uncompressed body (the same on every instance that renders the same content) and
/// <c>304 Not Modified</c> for a reader that already holds it (the output cache answers <c>If-None-Match</c> itself once
/// the page is cached);</item>
/// <item>with <c>Cache-Control</c>: a numbered version's PDF (…/v{n}.pdf, the stored record with its SHA-256, which never
/// changes) <c>public, max-age=31536000, immutable</c>; everything else <c>public, no-cache</c> (a reader may keep it but
/// revalidates, so a correction is seen at once: the latest version, the notice on an older version, renamed agencies).</item>
/// </list>
/// Signed-in users' pages are neither cached, compressed nor tagged (compressing pages that carry antiforgery tokens over
/// HTTPS would open them to BREACH).
/// </summary>
public static partial class PublicResponses
{
    private const string Marker = "gir.public-response";

    /// <summary>The policy part that marks a request as a cacheable public one (the default policy, which runs first, has
    /// allowed storing it: an anonymous GET or HEAD) and keys its cache entry by <c>Accept-Encoding</c>.</summary>
    public sealed class Policy : IOutputCachePolicy
    {
        ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
        {
            if (context.AllowCacheStorage) context.HttpContext.Items[Marker] = true;
            context.CacheVaryByRules.HeaderNames = new([.. context.CacheVaryByRules.HeaderNames, HeaderNames.AcceptEncoding]);
            return ValueTask.CompletedTask;
        }

        ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

        ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;
    }

    /// <summary>Whether the request is a public one (<see cref="Policy"/> marked it).</summary>
    public static bool IsPublic(HttpContext context) => context.Items.ContainsKey(Marker);

    /// <summary>Compresses public responses only (see the class summary).</summary>
    public sealed class CompressionProvider(IServiceProvider services, IOptions<ResponseCompressionOptions> options)
        : ResponseCompressionProvider(services, options)
    {
        public override bool ShouldCompressResponse(HttpContext context) => IsPublic(context) && base.ShouldCompressResponse(context);
    }

    /// <summary>Registers compression (Brotli, then gzip, both at their fastest level as nginx's gzip level 1).</summary>
    public static IServiceCollection AddPublicResponses(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            // Only public, anonymous responses are ever compressed (CompressionProvider), so HTTPS is safe.
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "text/csv", "image/svg+xml"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.AddSingleton<IResponseCompressionProvider, CompressionProvider>();
        return services;
    }

    /// <summary>Inside the output cache: compression, then the ETag and Cache-Control of public responses (buffered, only
    /// when the output cache missed).</summary>
    public static IApplicationBuilder UsePublicResponses(this IApplicationBuilder app)
    {
        app.UseResponseCompression();
        return app.Use(async (context, next) =>
        {
            if (!IsPublic(context))
            {
                await next(context);
                return;
            }
            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }
            var response = context.Response;
            if (response.StatusCode == StatusCodes.Status200OK && !response.HasStarted)
            {
                var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))[..32]}\"", isWeak: true);
                response.Headers.ETag = tag.ToString();
                // Also on an uncompressed answer, so that a shared cache keeps one copy per encoding.
                if (!response.Headers.Vary.Contains(HeaderNames.AcceptEncoding)) response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
                response.Headers.CacheControl = ImmutableVersion().IsMatch(context.Request.Path.Value ?? "")
                    ? "public, max-age=31536000, immutable" : "public, no-cache";
                if (EntityTagHeaderValue.TryParseList(context.Request.Headers.IfNoneMatch, out var held)
                    && held.Any(h => h.Equals(EntityTagHeaderValue.Any) || h.Compare(tag, useStrongComparison: false)))
                {
                    response.StatusCode = StatusCodes.Status304NotModified;
                    response.ContentLength = null;
                    return;
                }
            }
            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted);
        });
    }

    [GeneratedRegex(@"^/reports/[^/]+/\d+/v\d+\.pdf$")]
    private static partial Regex ImmutableVersion();
}
