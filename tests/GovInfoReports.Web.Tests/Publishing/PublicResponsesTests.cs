using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Publishing;

/// <summary>Issue 13: public pages and downloads leave compressed, with an ETag and Cache-Control, and a reader holding the
/// current copy gets 304; pages for signed-in users get none of it.</summary>
public sealed class PublicResponsesTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_published_report_is_served_compressed_with_an_etag_cache_control_and_304_for_a_current_copy()
    {
        var (code, year) = await PublishAsync();
        var permalink = $"/reports/{code}/{year}";
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false });

        var plain = await client.GetAsync(permalink);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        var html = await plain.Content.ReadAsStringAsync();
        var etag = plain.Headers.ETag;
        Assert.NotNull(etag);
        Assert.True(etag.IsWeak);
        Assert.Equal("public, no-cache", plain.Headers.CacheControl?.ToString());
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);

        foreach (var (encoding, open) in new (string, Func<Stream, Stream>)[]
                 {
                     ("gzip", s => new GZipStream(s, CompressionMode.Decompress)),
                     ("br", s => new BrotliStream(s, CompressionMode.Decompress)),
                 })
            for (var i = 0; i < 2; i++) // built, then from the output cache
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, permalink);
                request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
                var compressed = await client.SendAsync(request);
                Assert.Equal([encoding], compressed.Content.Headers.ContentEncoding);
                Assert.Equal(etag, compressed.Headers.ETag);
                var bytes = await compressed.Content.ReadAsByteArrayAsync();
                Assert.True(bytes.Length < System.Text.Encoding.UTF8.GetByteCount(html) / 3, $"{encoding}: {bytes.Length} bytes");
                using var reader = new StreamReader(open(new MemoryStream(bytes)));
                Assert.Equal(html, await reader.ReadToEndAsync());
            }

        // A reader that holds the current copy revalidates for nothing; a stale tag gets the page.
        foreach (var (tag, expected) in new[] { (etag, HttpStatusCode.NotModified), (new EntityTagHeaderValue("\"stale\"", true), HttpStatusCode.OK) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, permalink);
            request.Headers.IfNoneMatch.Add(tag);
            var response = await client.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
            if (expected == HttpStatusCode.NotModified) Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        // The stored PDF of a numbered version never changes; the latest one may (a correction).
        var numbered = await client.GetAsync($"{permalink}/v1.pdf");
        Assert.Equal("public, max-age=31536000, immutable", numbered.Headers.CacheControl?.ToString());
        Assert.Empty(numbered.Content.Headers.ContentEncoding);
        var latest = await client.GetAsync($"{permalink}.pdf");
        Assert.Equal("public, no-cache", latest.Headers.CacheControl?.ToString());
        Assert.NotNull(latest.Headers.ETag);
    }

    [Fact]
    public async Task A_signed_in_user_gets_public_pages_uncompressed_untagged_and_not_publicly_cacheable()
    {
        var (code, year) = await PublishAsync();
        var reviewer = await app.ClientAsync("reviewer");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/reports/{code}/{year}");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var response = await reviewer.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Null(response.Headers.ETag);
        Assert.NotEqual("public, no-cache", response.Headers.CacheControl?.ToString());
    }

    private async Task<(string Code, int Year)> PublishAsync()
    {
        var year = AppFixture.UniqueYear();
        var id = await app.NewReportAsync(year);
        await app.FillFixture002Async(id);
        await app.PublishViaFormsAsync(id);
        await using var db = app.Db();
        Assert.Equal(1, (await db.Reports.SingleAsync(r => r.Id == id)).PublishedVersions);
        return (await db.Agencies.Where(a => a.Name == "获嘉县教育局").Select(a => a.Code).SingleAsync(), year);
    }
}
