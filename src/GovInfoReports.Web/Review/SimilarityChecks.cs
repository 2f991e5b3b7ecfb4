using System.Data.Common;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Reports.Similarity;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Severity = GovInfoReports.Domain.Templates.Severity;

namespace GovInfoReports.Web.Review;

/// <summary>One report a narrative part resembles: <paramref name="Similarity"/> is the exact Jaccard index of the two
/// parts' shingle sets (0–1), <paramref name="PartId"/>/<paramref name="Heading"/> the other report's part and
/// <paramref name="Text"/> its text (for the side-by-side view); <paramref name="Warned"/> when it reaches the
/// template's threshold.</summary>
public sealed record SimilarMatch(int ReportId, string AgencyName, int Year, string PartId, string? Heading, string Text, double Similarity, bool Warned)
{
    /// <summary>The similarity as a whole percent, rounded down (89.9 % is shown as 89, never as a 90 that would look
    /// like the threshold).</summary>
    public int Percent => (int)Math.Floor(Similarity * 100 + 1e-9);
}

/// <summary>A narrative part of the checked report with the last year's part it resembles most (null: no last-year
/// report, or nothing from <see cref="SimilarityDefinition.ShownFrom"/> up) and the most similar peers.</summary>
public sealed record PartSimilarity(WrittenPart Part, string Label, SimilarMatch? Previous, IReadOnlyList<SimilarMatch> Peers);

/// <summary>What <see cref="SimilarityChecks.CheckAsync"/> found: the violations (after the validator's in
/// <c>ReportEditor.EvaluateAsync</c>), each compared part, and whether the whole report equals last year's.</summary>
public sealed record SimilarityResult(IReadOnlyList<Violation> Violations, IReadOnlyList<PartSimilarity> Parts, int? PreviousYear, bool IdenticalToPrevious)
{
    public static readonly SimilarityResult None = new([], [], null, false);
}

/// <summary>
/// 内容雷同 (spec X5; 国办公开办函〔2021〕30号 （四）明确责任): each narrative part of a report, from the template's
/// minimum length up, against (1) the same agency's report of the previous year — its current content, which for a
/// published report is what was published — compared exactly, and (2) the same year's reports of agencies in the
/// same region (the agency's own region, not its subtree: a county's 乡镇 and 部门 are one another's peers, and a
/// city's report is not held to its counties'), found through the LSH index of <c>text_fingerprints</c> and then
/// compared exactly. A part is compared with every part of the other report, whatever its section or id (outlines
/// differ between agencies and formats). Violations carry stable keys so a 说明 survives edits:
/// <c>X5:prev:{partId}</c>, <c>X5:peer:{partId}</c> and <c>X5:identical</c> (which replaces the per-part
/// last-year warnings: one 说明 for one decision).
/// </summary>
public sealed class SimilarityChecks(AppDbContext db)
{
    /// <summary>Rule id of a part similar to last year's or to a peer's.</summary>
    public const string RuleId = "X5";
    /// <summary>Rule id of a report identical to last year's in every cell and paragraph.</summary>
    public const string IdenticalRuleId = "X5a";
    public const string IdenticalKey = "X5:identical";

    public static string PreviousKey(string partId) => "X5:prev:" + partId;
    public static string PeerKey(string partId) => "X5:peer:" + partId;

    /// <summary>How many peers the review page lists per part.</summary>
    public const int PeersShown = 3;

    // Estimates within this margin below the floor are still compared exactly: the MinHash estimate's standard error
    // is ≤ 0.046 (at J = 0.5, 120 positions), so 0.1 is more than two of them.
    private const double EstimateMargin = 0.1;

    /// <summary>Checks <paramref name="report"/> (its agency and region loaded) in its <paramref name="template"/>.
    /// Returns <see cref="SimilarityResult.None"/> when the template has no similarity settings.</summary>
    public async Task<SimilarityResult> CheckAsync(Report report, ReportTemplate template, CancellationToken ct)
    {
        if (template.Definition.Similarity is not { } settings) return SimilarityResult.None;
        var n = settings.ShingleSize;
        var mine = report.Parts()
            .Select(p => (Part: p, Normalised: TextSimilarity.Normalise(p.Text)))
            .Where(p => p.Normalised.Length >= settings.MinLength)
            .Select(p =>
            {
                var shingles = TextSimilarity.Shingles(p.Normalised, n);
                return new Mine(p.Part, [.. shingles], TextSimilarity.Signature(shingles));
            })
            .ToList();

        // Last year's cells are read only when its paragraphs are all the same (the identical-report check): a page load
        // usually needs its texts alone.
        var previous = await db.Reports.AsNoTracking().AsSplitQuery()
            .Include(r => r.Agency).Include(r => r.Texts)
            .FirstOrDefaultAsync(r => r.AgencyId == report.AgencyId && r.Year == report.Year - 1, ct);
        var previousParts = previous?.Parts().Where(p => p.Text.Length > 0)
            .Select(p => (Part: p, Set: TextSimilarity.ShingleSet(p.Text, n))).ToList() ?? [];
        var identical = previous is not null && SameText(report, previous, template.Code, settings.MinLength)
            && SameCells(report.CellValues(), await db.ReportCells.AsNoTracking().Where(c => c.ReportId == previous.Id)
                .ToDictionaryAsync(c => c.CellId, c => c.Value, StringComparer.Ordinal, ct));

        var peers = mine.Count == 0 ? [] : await PeersAsync(report, mine, settings, ct);

        var violations = new List<Violation>();
        var parts = new List<PartSimilarity>();
        if (identical)
            violations.Add(new Violation(IdenticalKey, IdenticalRuleId, settings.Severity, template.Sections[0].Id, "",
                ReportTemplate.Fill(settings.Messages["identical"], ("year", previous!.Year)), []));
        foreach (var part in mine)
        {
            var label = Label(template, report, part.Part);
            SimilarMatch? last = null;
            foreach (var (other, set) in previousParts)
            {
                var s = TextSimilarity.Jaccard(part.Set, set);
                if (s >= settings.ShownFrom && s > (last?.Similarity ?? -1))
                    last = new SimilarMatch(previous!.Id, previous.Agency.Name, previous.Year, other.Id, other.Heading, other.Text, s, s >= settings.PreviousThreshold);
            }
            if (last is { Warned: true } && !identical)
                violations.Add(new Violation(PreviousKey(part.Part.Id), RuleId, settings.Severity, part.Part.SectionId, "",
                    ReportTemplate.Fill(settings.Messages["previous"], ("part", label), ("year", last.Year), ("percent", last.Percent)), []));
            var similarPeers = peers.GetValueOrDefault(part.Part.Id) ?? [];
            if (similarPeers.FirstOrDefault() is { Warned: true } top)
                violations.Add(new Violation(PeerKey(part.Part.Id), RuleId, settings.Severity, part.Part.SectionId, "",
                    ReportTemplate.Fill(settings.Messages["peer"], ("part", label), ("agency", top.AgencyName), ("year", top.Year), ("percent", top.Percent)), []));
            parts.Add(new PartSimilarity(part.Part, label, last, similarPeers));
        }
        return new SimilarityResult(violations, parts, previous?.Year, identical);
    }

    /// <summary>The passages a part and a match share, for marking in the side-by-side view.</summary>
    public static SharedPassages Shared(ReportTemplate template, string mine, string theirs)
    {
        var settings = template.Definition.Similarity!;
        return TextSimilarity.Shared(mine, theirs, settings.ShingleSize, settings.HighlightMinLength);
    }

    /// <summary>How a part is named in messages: its section's heading and its own (一、总体情况（二）依申请公开).</summary>
    public static string Label(ReportTemplate template, Report report, WrittenPart part)
    {
        var section = template.FindSection(part.SectionId);
        var sectionLabel = section?.Heading ?? part.SectionId;
        if (part.Heading is { } heading) return sectionLabel + heading;
        return report.Parts(part.SectionId).Count > 1 ? sectionLabel + "（开头部分）" : sectionLabel;
    }

    // A report is identical to last year's when every paragraph (with its heading) and every cell is the same, in the same
    // format, and something is written.

    /// <summary>Every paragraph (with its heading) the same, in the same format, and something written.</summary>
    private static bool SameText(Report report, Report previous, string templateCode, int minLength)
    {
        if (previous.TemplateCode != templateCode) return false;
        var parts = report.Parts();
        if (parts.Sum(p => p.Text.Length) < minLength) return false;
        return parts.Select(p => (p.Heading, p.Text)).SequenceEqual(previous.Parts().Select(p => (p.Heading, p.Text)));
    }

    /// <summary>Every cell the same (cell id → value).</summary>
    private static bool SameCells(IReadOnlyDictionary<string, decimal> cells, Dictionary<string, decimal> lastCells) =>
        cells.Count == lastCells.Count && cells.All(c => lastCells.TryGetValue(c.Key, out var v) && v == c.Value);

    /// <summary>The peers of each of <paramref name="mine"/>, most similar first, from <see cref="SimilarityDefinition.ShownFrom"/>
    /// up: candidates sharing an LSH band key, ranked by their MinHash estimate, the best compared exactly.</summary>
    private async Task<Dictionary<string, List<SimilarMatch>>> PeersAsync(Report report, List<Mine> mine, SimilarityDefinition settings, CancellationToken ct)
    {
        var bands = mine.SelectMany(m => TextSimilarity.BandKeys(m.Signature)).Distinct().ToArray();
        var candidates = new List<(int ReportId, string PartId, uint[] Signature, int AgencyId)>();
        var seen = new HashSet<(int, string)>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("""
                -- One GIN probe per band key (bands @> ARRAY[key]): the planner cannot estimate `bands && @all` over many
                -- keys (it takes each key as 0.5 % of rows and then scans the table); one key at a time it uses the index.
                -- OFFSET 0 keeps each probe a probe: on a small year the planner otherwise materializes the year's rows and
                -- tests every key against every row (160 keys × 392 rows: 33 ms instead of 0.9 ms, issue 13's save load).
                -- A part found by several keys comes once per key: duplicates are dropped by the caller.
                SELECT f.report_id, f.part_id, f.signature, f.agency_id
                FROM unnest(@bands) AS k(band)
                CROSS JOIN LATERAL (SELECT * FROM text_fingerprints p WHERE p.bands @> ARRAY[k.band] OFFSET 0) f
                WHERE f.year = @year AND f.report_id <> @report AND f.length >= @min
                  -- The region's agencies read once (an init plan), not once per key.
                  AND f.agency_id = ANY (ARRAY(SELECT id FROM agencies WHERE region_id = @region))
                """, connection, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
            command.Parameters.AddWithValue("bands", bands);
            command.Parameters.AddWithValue("year", report.Year);
            command.Parameters.AddWithValue("report", report.Id);
            command.Parameters.AddWithValue("min", settings.MinLength);
            command.Parameters.AddWithValue("region", report.Agency.RegionId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                if (seen.Add((reader.GetInt32(0), reader.GetString(1))))
                    candidates.Add((reader.GetInt32(0), reader.GetString(1), TextFingerprintIndex.Read(reader.GetFieldValue<int[]>(2)), reader.GetInt32(3)));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        // Per part: the best-estimated part of each peer report, then the best few compared exactly.
        var floor = settings.ShownFrom - EstimateMargin;
        var shortlist = mine.ToDictionary(m => m.Part.Id, m => candidates
            .Select(c => (Candidate: c, Estimate: TextSimilarity.Estimate(m.Signature, c.Signature)))
            .Where(c => c.Estimate >= floor)
            .GroupBy(c => c.Candidate.ReportId).Select(g => g.MaxBy(c => c.Estimate))
            .OrderByDescending(c => c.Estimate).Take(PeersShown * 2).ToList());
        var wanted = shortlist.Values.SelectMany(l => l).Select(c => (c.Candidate.ReportId, c.Candidate.PartId)).Distinct().ToList();
        var result = new Dictionary<string, List<SimilarMatch>>(StringComparer.Ordinal);
        if (wanted.Count == 0) return result;
        var reportIds = wanted.Select(w => w.ReportId).Distinct().ToArray();
        var texts = (await db.ReportTexts.AsNoTracking().Where(t => reportIds.Contains(t.ReportId)).ToListAsync(ct))
            .Where(t => wanted.Contains((t.ReportId, t.PartId))).ToDictionary(t => (t.ReportId, t.PartId), t => t.Text);
        var headings = (await db.ReportParts.AsNoTracking().Where(p => reportIds.Contains(p.ReportId)).ToListAsync(ct))
            .ToDictionary(p => (p.ReportId, p.PartId), p => p.Heading);
        var agencyIds = shortlist.Values.SelectMany(l => l).Select(c => c.Candidate.AgencyId).Distinct().ToArray();
        var agencies = await db.Agencies.AsNoTracking().Where(a => agencyIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        foreach (var part in mine)
        {
            result[part.Part.Id] = shortlist[part.Part.Id]
                .Where(c => texts.ContainsKey((c.Candidate.ReportId, c.Candidate.PartId)))
                .Select(c =>
                {
                    var text = texts[(c.Candidate.ReportId, c.Candidate.PartId)];
                    var s = TextSimilarity.Jaccard(part.Set, TextSimilarity.ShingleSet(text, settings.ShingleSize));
                    return new SimilarMatch(c.Candidate.ReportId, agencies[c.Candidate.AgencyId], report.Year, c.Candidate.PartId,
                        headings.GetValueOrDefault((c.Candidate.ReportId, c.Candidate.PartId)), text, s, s >= settings.PeerThreshold);
                })
                .Where(m => m.Similarity >= settings.ShownFrom)
                .OrderByDescending(m => m.Similarity).Take(PeersShown).ToList();
        }
        return result;
    }

    private sealed record Mine(WrittenPart Part, HashSet<ulong> Set, uint[] Signature);
}
