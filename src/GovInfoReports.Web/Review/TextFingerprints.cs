using System.Runtime.CompilerServices;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Reports.Similarity;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace GovInfoReports.Web.Review;

/// <summary>
/// The MinHash fingerprint of one narrative part of a report's current content (table <c>text_fingerprints</c>), for
/// finding the same year's near-copies among a region's reports (内容雷同, spec X5) without reading their texts:
/// <see cref="Signature"/> holds <see cref="TextSimilarity.SignatureSize"/> 32-bit minima (stored as int, bit for bit) and
/// <see cref="Bands"/> the <see cref="TextSimilarity.Bands"/> LSH keys, GIN-indexed so the candidates of a part are
/// <c>bands &amp;&amp; @mine</c>. <see cref="Year"/> and <see cref="AgencyId"/> are copied from the report (neither ever
/// changes); the region is read from the agency at query time, so moving an agency needs no rewrite here.
/// Derived data: rewritten whenever the report's texts change (<see cref="TextFingerprintInterceptor"/>).
/// </summary>
public sealed class TextFingerprint
{
    private TextFingerprint() { }

    public int ReportId { get; private set; }
    public string PartId { get; private set; } = "";
    public int Year { get; private set; }
    public int AgencyId { get; private set; }
    /// <summary>Letters and digits of the part after normalisation (<see cref="TextSimilarity.Normalise"/>).</summary>
    public int Length { get; private set; }
    public int[] Signature { get; private set; } = [];
    public long[] Bands { get; private set; } = [];
}

/// <summary>Keeps <c>text_fingerprints</c> current: after any SaveChanges that added, changed or removed a report's text
/// (entry saves, outline edits, imports, drafts, corrections, the demo), that report's fingerprints are rewritten in
/// the same connection and transaction. One hook instead of one call per write path, so no path can forget it.</summary>
public sealed class TextFingerprintInterceptor(TemplateCatalog catalog) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<ReportText>> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        RefreshAsync(eventData.Context, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        await RefreshAsync(eventData.Context, ct);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null || catalog.ShingleSize is null) return;
        // Added texts may belong to a report inserted by the same save, whose id is known only afterwards: keep the
        // entities and read their ReportId after the save.
        var texts = context.ChangeTracker.Entries<ReportText>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).Select(e => e.Entity).ToList();
        if (texts.Count == 0) return;
        _pending.AddOrUpdate(context, texts);
    }

    private void Forget(DbContext? context)
    {
        if (context is not null) _pending.Remove(context);
    }

    private async Task RefreshAsync(DbContext? context, CancellationToken ct)
    {
        if (context is null || !_pending.TryGetValue(context, out var texts)) return;
        _pending.Remove(context);
        var ids = texts.Select(t => t.ReportId).Where(id => id > 0).Distinct().ToArray();
        if (ids.Length > 0 && catalog.ShingleSize is { } n) await TextFingerprintIndex.RefreshAsync((AppDbContext)context, ids, n, ct);
    }
}

/// <summary>Writes and reads <c>text_fingerprints</c>.</summary>
public static class TextFingerprintIndex
{
    /// <summary>One part's fingerprint as computed (before storage).</summary>
    public sealed record Computed(int ReportId, string PartId, int Year, int AgencyId, int Length, uint[] Signature, long[] Bands);

    /// <summary>The fingerprint of one text with <paramref name="shingleSize"/>-character shingles; null for a text with
    /// no letter or digit (nothing to compare).</summary>
    public static Computed? Compute(int reportId, string partId, int year, int agencyId, string text, int shingleSize)
    {
        var normalised = TextSimilarity.Normalise(text);
        if (normalised.Length == 0) return null;
        var signature = TextSimilarity.Signature(TextSimilarity.Shingles(normalised, shingleSize));
        return new Computed(reportId, partId, year, agencyId, normalised.Length, signature, TextSimilarity.BandKeys(signature));
    }

    /// <summary>Rewrites the fingerprints of <paramref name="reportIds"/> from their current texts (in the context's
    /// connection and, when one is open, its transaction).</summary>
    public static async Task RefreshAsync(AppDbContext db, int[] reportIds, int shingleSize, CancellationToken ct)
    {
        var texts = await db.ReportTexts.AsNoTracking().Where(t => reportIds.Contains(t.ReportId))
            .Join(db.Reports, t => t.ReportId, r => r.Id, (t, r) => new { t.ReportId, t.PartId, t.Text, r.Year, r.AgencyId })
            .ToListAsync(ct);
        var rows = texts.Select(t => Compute(t.ReportId, t.PartId, t.Year, t.AgencyId, t.Text, shingleSize)).OfType<Computed>().ToList();
        await db.Database.ExecuteSqlAsync($"DELETE FROM text_fingerprints WHERE report_id = ANY({reportIds})", ct);
        foreach (var f in rows)
        {
            var signature = Stored(f.Signature);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO text_fingerprints (report_id, part_id, year, agency_id, length, signature, bands)
                VALUES ({f.ReportId}, {f.PartId}, {f.Year}, {f.AgencyId}, {f.Length}, {signature}, {f.Bands})
                """, ct);
        }
    }

    /// <summary>Fingerprints every report that has texts but no fingerprint yet (a database from before this table, or
    /// reports written outside the app): computed in parallel, written with one binary COPY. Returns the parts written.</summary>
    public static async Task<int> BackfillAsync(NpgsqlConnection connection, int shingleSize, CancellationToken ct)
    {
        var texts = new List<(int ReportId, string PartId, int Year, int AgencyId, string Text)>();
        await using (var read = new NpgsqlCommand("""
            SELECT t.report_id, t.part_id, r.year, r.agency_id, t.text
            FROM report_texts t JOIN reports r ON r.id = t.report_id
            WHERE NOT EXISTS (SELECT 1 FROM text_fingerprints f WHERE f.report_id = t.report_id)
            """, connection))
        await using (var reader = await read.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                texts.Add((reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetString(4)));
        var rows = new Computed?[texts.Count];
        Parallel.For(0, texts.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var t = texts[i];
            rows[i] = Compute(t.ReportId, t.PartId, t.Year, t.AgencyId, t.Text, shingleSize);
        });
        return await WriteAsync(connection, rows.OfType<Computed>(), ct);
    }

    /// <summary>Appends fingerprints with binary COPY (the bulk path: backfill and the benchmark's index build).</summary>
    public static async Task<int> WriteAsync(NpgsqlConnection connection, IEnumerable<Computed> rows, CancellationToken ct)
    {
        var count = 0;
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY text_fingerprints (report_id, part_id, year, agency_id, length, signature, bands) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var f in rows)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(f.ReportId, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(f.PartId, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(f.Year, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(f.AgencyId, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(f.Length, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(Stored(f.Signature), NpgsqlDbType.Array | NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(f.Bands, NpgsqlDbType.Array | NpgsqlDbType.Bigint, ct);
            count++;
        }
        await writer.CompleteAsync(ct);
        return count;
    }

    /// <summary>A signature as stored: each 32-bit minimum as the int with the same bits.</summary>
    public static int[] Stored(uint[] signature) => Array.ConvertAll(signature, v => unchecked((int)v));

    /// <summary>A stored signature read back.</summary>
    public static uint[] Read(int[] stored) => Array.ConvertAll(stored, v => unchecked((uint)v));
}
