using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Severity = GovInfoReports.Domain.Templates.Severity;

namespace GovInfoReports.Web.Entry;

/// <summary>A report as loaded for a page: its template and the result of every rule.</summary>
public sealed record ReportState(Report Report, ReportTemplate Template, IReadOnlyList<Violation> Violations, IReadOnlyDictionary<string, decimal> Values)
{
    /// <summary>Last year's report as the cross-year rules read it (null: none); the entry form hands it to the browser.</summary>
    public PreviousYear? Previous { get; init; }

    /// <summary>内容雷同 (X5): each narrative part's similarity with last year's report and the region's peers, whose
    /// warnings are among <see cref="Violations"/>; the review page shows the details.</summary>
    public Review.SimilarityResult Similarity { get; init; } = Review.SimilarityResult.None;

    /// <summary>A government's 全辖区 report that took its units' sums (采用汇总值): its summable cells without an H1
    /// warning hold the sum and are marked 汇总值 on the form.</summary>
    public bool SumsAccepted { get; init; }

    public IEnumerable<Violation> For(string sectionId) => Violations.Where(v => v.SectionId == sectionId);
}

/// <summary>What a section form posts: the raw text of each cell and narrative part, and what
/// each held when the form was loaded (for detecting edits made by someone else meanwhile).</summary>
public sealed record SectionSubmission(
    IReadOnlyDictionary<string, string?> Cells,
    IReadOnlyDictionary<string, string?> OriginalCells,
    IReadOnlyDictionary<string, string?> Texts,
    IReadOnlyDictionary<string, string?> OriginalTextHashes)
{
    /// <summary>The unit chosen beside a cell with unit choices (cell id → unit code, e.g. "yuan"), as posted.</summary>
    public IReadOnlyDictionary<string, string?> Units { get; init; } = new Dictionary<string, string?>();
    /// <summary>The unit each such cell had when the page was drawn, for conflict detection.</summary>
    public IReadOnlyDictionary<string, string?> OriginalUnits { get; init; } = new Dictionary<string, string?>();

    /// <summary>The outline of a narrative section as posted, in order (null: the form posted texts only, and the
    /// stored outline stays). Each part's text is posted in <see cref="Texts"/> under its <see cref="FormPart.Key"/>.</summary>
    public IReadOnlyList<FormPart>? Outline { get; init; }

    /// <summary><see cref="ReportEditor.OutlineHash"/> of the section's outline when the page was drawn, for
    /// detecting an outline changed by someone else meanwhile.</summary>
    public string? OriginalOutlineHash { get; init; }
}

/// <summary>One part of a narrative section as the form draws and posts it: <paramref name="Key"/> names its text
/// in the form (the part id, or a temporary key such as <c>new-1</c> for a part added in the form), <paramref name="Id"/>
/// is the stored part id (null: added in the form) and <paramref name="Heading"/> the heading (empty or null: none).</summary>
public sealed record FormPart(string Key, string? Id, string? Heading);

public sealed record SectionSaveResult(
    string? Refusal,
    IReadOnlyDictionary<string, string> FieldErrors,
    IReadOnlyList<string> Conflicts,
    int Changed)
{
    public bool HasProblems => Refusal is not null || FieldErrors.Count > 0;

    /// <summary>False when a posted change of the outline (headings, order, parts added or removed) was not
    /// saved: the form is drawn again from the posted outline, so nothing typed is lost.</summary>
    public bool OutlineSaved { get; init; } = true;
}


/// <summary>
/// Loads, saves and submits reports. Saving is a three-way merge per cell: the form posts what each
/// cell held when it was loaded; a cell is written only if the clerk changed it, and if someone else
/// changed the same cell meanwhile the save of that cell is refused and reported, never overwritten.
/// </summary>
public sealed class ReportEditor(AppDbContext db, TemplateCatalog catalog, IValidator<ReportContent> validator, Review.SimilarityChecks similarity, TimeProvider clock,
    PreviousYears previousYears, Consolidation.ConsolidationReader consolidation)
{
    /// <summary>Loads a report (untracked) and judges it (<see cref="EvaluateAsync"/>); null when there is no such report.</summary>
    /// <param name="sectionId">The one section a page shows (its violations alone are drawn), or null for the whole report.</param>
    public async Task<ReportState?> LoadAsync(int reportId, CancellationToken ct, string? sectionId = null)
    {
        var report = await LoadQuery(db, reportId, ct);
        return report is null ? null : await EvaluateAsync(report, ct, sectionId);
    }

    // Every entry page loads its report so; compiled once (EF's look-up of the query per call was measurable).
    private static readonly Func<AppDbContext, int, CancellationToken, Task<Report?>> LoadQuery = EF.CompileAsyncQuery(
        (AppDbContext db, int reportId, CancellationToken ct) => db.Reports.AsNoTracking()
            .Include(r => r.Agency).ThenInclude(a => a.Region)
            .Include(r => r.Cells).Include(r => r.Texts).Include(r => r.Explanations)
            .AsSplitQuery()
            .FirstOrDefault(r => r.Id == reportId));

    /// <summary>Judges a report: every rule of its template (with last year's report for the cross-year rules), the
    /// format warning, 内容雷同 (X5) and 全辖区汇总 (H1–H3).</summary>
    /// <param name="sectionId">The one section the caller shows, or null for the whole report. A section of tables skips
    /// 内容雷同, whose warnings sit on narrative parts only (X5 on the part's section, X5a on 一、总体情况): a table
    /// page's save and reload then neither read last year's texts and the region's peers nor shingle the texts.</param>
    public async Task<ReportState> EvaluateAsync(Report report, CancellationToken ct, string? sectionId = null)
    {
        var template = TemplateOf(report);
        var previous = await previousYears.FindAsync(report.AgencyId, report.Year, ct);
        var result = await validator.ValidateAsync(Content(report, template) with { Previous = previous }, ct);
        var violations = ReportValidator.Violations(result);
        // A report in a format other than its year's statutory one (published late in an older format) carries a
        // warning that needs a 说明, like any other warning, before it can be submitted.
        if (catalog.Choose(report.Year, report.Year, template.Code) is { IsOverride: true, Warning: { } warning })
            violations = [new Violation(FormatOverrideKey, "format", Severity.Warning, template.Sections[0].Id, "", warning, []), .. violations];
        // 内容雷同 (X5): parts near-copied from last year's report or a peer's, after the template's own rules.
        var similar = template.FindSection(sectionId ?? "") is { Kind: SectionKind.Tables }
            ? Review.SimilarityResult.None
            : await similarity.CheckAsync(report, template, ct);
        violations = [.. violations, .. similar.Violations];
        // 全辖区汇总 (H1–H3): a government report that took its units' sums is compared with the sums as they are now.
        var (summed, sums) = await consolidation.ChecksAsync(report, ct);
        violations = [.. violations, .. sums];
        return new ReportState(report, template, violations, RuleEvaluator.WithTotals(template, report.CellValues()))
        {
            Previous = previous, Similarity = similar, SumsAccepted = summed,
        };
    }

    /// <summary>The rule key of the warning a report in a non-statutory format carries (its 说明 is stored under it).</summary>
    public const string FormatOverrideKey = "format-override";

    public ReportTemplate TemplateOf(Report report) =>
        catalog.Get(report.TemplateCode) ?? throw new InvalidOperationException($"Template {report.TemplateCode} is not loaded.");

    public async Task<SectionSaveResult> SaveSectionAsync(int reportId, string sectionId, SectionSubmission input, string? userId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var report = await LockSectionAsync(reportId, sectionId, ct);
        if (CannotEdit(report, out var refusal)) return Refused(refusal);
        var template = TemplateOf(report);
        var section = template.FindSection(sectionId);
        if (section is null) return Refused("没有这个部分");

        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var conflicts = new List<string>();
        var changed = 0;
        var stored = report.CellValues();
        var storedUnits = report.CellUnits();

        foreach (var cell in section.Tables.SelectMany(t => t.Cells).Where(c => !c.Computed))
        {
            if (!input.Cells.TryGetValue(cell.Id, out var raw)) continue;
            // A cell with unit choices is the pair (value, unit as printed): a change of unit alone is a change.
            var parsed = CellValueParser.ParseCell(raw, cell, input.Units.GetValueOrDefault(cell.Id), template.InputMessages);
            if (parsed.Error is { } error) { errors[cell.Id] = error; continue; }
            var original = CellValueParser.ParseCell(input.OriginalCells.GetValueOrDefault(cell.Id), cell,
                input.OriginalUnits.GetValueOrDefault(cell.Id), template.InputMessages);
            decimal? current = stored.TryGetValue(cell.Id, out var v) ? v : null;
            var currentUnit = current is null ? null : storedUnits.GetValueOrDefault(cell.Id);
            var originalUnit = original.Value is null ? null : original.Unit;
            if ((parsed.Value == original.Value && parsed.Unit == originalUnit) || (parsed.Value == current && parsed.Unit == currentUnit)) continue;
            if (current != original.Value || currentUnit != originalUnit)
            {
                errors[cell.Id] = ConflictMessage(Show(current, cell, currentUnit), Show(original.Value, cell, originalUnit));
                conflicts.Add(cell.Id);
                continue;
            }
            report.SetCell(cell.Id, parsed.Value, now, userId, parsed.Unit);
            changed++;
        }

        var outlineSaved = true;
        if (section.Kind == SectionKind.Narrative)
        {
            (var texts, outlineSaved) = SaveTexts(report, template, section, input, errors, conflicts, now, userId);
            changed += texts;
        }

        if (changed > 0)
        {
            // Only a section with cells loads and changes them (LockSectionAsync); its totals follow its cells.
            if (section.Tables.Count > 0) StoreTotals(report, template, now, userId);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new SectionSaveResult(null, errors, conflicts, changed) { OutlineSaved = outlineSaved };
    }

    /// <summary>The field-error key of a part's heading input (<paramref name="key"/>: the part's form key).</summary>
    public static string HeadingKey(string key) => "heading:" + key;

    /// <summary>A fingerprint of a section's outline (part ids and headings, in order), posted back by the form.</summary>
    public static string OutlineHash(IEnumerable<WrittenPart> parts) =>
        Hash(string.Join("\n", parts.Select(p => $"{p.Id}\t{p.Heading}")));

    // Texts are merged per part as cells are (a part someone else changed meanwhile keeps their text and is reported).
    // The outline (headings, order, parts added or removed) is one value: saved when the clerk changed it and nobody
    // else did meanwhile, refused whole otherwise, and then the texts of the parts that exist are still saved.
    private static (int Changed, bool OutlineSaved) SaveTexts(Report report, ReportTemplate template, TemplateSection section, SectionSubmission input,
        Dictionary<string, string> errors, List<string> conflicts, DateTimeOffset now, string? userId)
    {
        var stored = report.TextValues();
        var parts = report.Parts(section.Id);
        var storedIds = parts.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        // The outline posted, its stored parts recognised by id (a part someone else removed meanwhile is new again).
        var outline = input.Outline?.Select(p => p with { Id = p.Id is { } id && storedIds.Contains(id) ? id : null, Heading = PartIds.NormaliseHeading(p.Heading) }).ToList();
        var differs = outline is not null
            && !outline.Select(p => (p.Id, p.Heading)).SequenceEqual(parts.Select(p => ((string?)p.Id, p.Heading)));
        var outlineChanged = differs;
        if (differs && outline is not null)
        {
            var errorsBefore = errors.Count;
            foreach (var part in outline.Where(p => p.Heading?.Length > PartIds.MaxHeadingLength))
                errors[HeadingKey(part.Key)] = $"标题最多{PartIds.MaxHeadingLength}字，当前{part.Heading!.Length}字";
            if (outline.Count > PartIds.MaxPartsPerSection)
                errors[section.Id] = $"{section.Heading}最多{PartIds.MaxPartsPerSection}个部分，当前{outline.Count}个";
            else if (outline.Count == 0)
                errors[section.Id] = $"{section.Heading}至少保留一个部分（可以没有标题）";
            else if (OutlineHash(parts) != input.OriginalOutlineHash)
            {
                errors[section.Id] = $"保存冲突：他人在您打开页面后修改了本部分的标题或顺序（现为：{Report.OutlineText(parts)}），您对标题和顺序的修改未保存；核对后再次保存将以本页为准。";
                conflicts.Add(section.Id);
            }
            outlineChanged = errors.Count == errorsBefore;
        }

        // The texts as they would stand: the posted outline's when it is saved, else the stored parts'.
        string Posted(string key, string? id) =>
            input.Texts.TryGetValue(key, out var t) ? NormaliseText(t) : id is null ? "" : stored.GetValueOrDefault(id) ?? "";
        var length = outlineChanged ? outline!.Sum(p => Posted(p.Key, p.Id).Length) : parts.Sum(p => Posted(p.Id, p.Id).Length);
        if (length > section.MaxLength)
        {
            // Nothing of an over-long section is stored; the page keeps every character typed.
            errors[section.Id] = ReportValidator.NarrativeTooLong(template, section, length);
            return (0, !differs);
        }

        // Each stored part's text: written when the clerk changed it and nobody else did meanwhile.
        var write = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            if (!input.Texts.ContainsKey(part.Id)) continue;
            var current = stored.GetValueOrDefault(part.Id) ?? "";
            var text = Posted(part.Id, part.Id);
            var originalHash = input.OriginalTextHashes.GetValueOrDefault(part.Id) ?? Hash("");
            if (Hash(text) == originalHash || text == current) continue;
            if (Hash(current) != originalHash)
            {
                errors[part.Id] = "保存冲突：他人在您打开页面后修改了这一部分，您的文字未保存。请复制您的文字，刷新页面核对后再保存。";
                conflicts.Add(part.Id);
                continue;
            }
            write[part.Id] = text;
        }
        if (!outlineChanged)
        {
            foreach (var (id, text) in write) report.SetText(id, text, now, userId);
            return (write.Count, !differs);
        }
        // Changes counted as the clerk sees them: each heading changed, part added or removed, a new order, each text.
        var storedHeadings = parts.ToDictionary(p => p.Id, p => p.Heading, StringComparer.Ordinal);
        var keptIds = outline!.Where(p => p.Id is not null).Select(p => p.Id!).ToList();
        var structural = outline!.Count(p => p.Id is null || storedHeadings[p.Id] != p.Heading)
            + parts.Count(p => !keptIds.Contains(p.Id))
            + (keptIds.SequenceEqual(parts.Select(p => p.Id).Where(keptIds.Contains)) ? 0 : 1);
        report.SetParts(section.Id, outline!.Select(p => new PartInput(p.Id, p.Heading,
            p.Id is null ? Posted(p.Key, null) : write.GetValueOrDefault(p.Id))).ToList(), now, userId);
        return (write.Count + Math.Max(1, structural), true);
    }

    /// <summary>Saves the written 说明 of the report's current warnings (other keys are ignored), merging per
    /// warning like cells: returns field errors by rule key (conflict, too long), or a refusal under "".</summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveExplanationsAsync(int reportId, IReadOnlyDictionary<string, string?> posted,
        IReadOnlyDictionary<string, string?> originals, string? userId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var report = await LockAsync(reportId, ct);
        if (CannotEdit(report, out var refusal)) return new Dictionary<string, string> { [""] = refusal };
        var warnings = (await EvaluateAsync(report, ct)).Violations.Where(v => v.Severity == Severity.Warning).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        var stored = report.Explanations.ToDictionary(e => e.RuleKey, e => e.Text, StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        foreach (var key in warnings)
        {
            if (!posted.TryGetValue(key, out var raw)) continue;
            var text = NormaliseText(raw).Trim();
            var original = NormaliseText(originals.GetValueOrDefault(key)).Trim();
            var current = stored.GetValueOrDefault(key) ?? "";
            if (text == original || text == current) continue;
            if (current != original) { errors[key] = "保存冲突：他人在您打开页面后修改了这条说明，您的文字未保存，请核对后再保存"; continue; }
            if (text.Length > FieldLimits.WarningExplanation) { errors[key] = $"说明最多{FieldLimits.WarningExplanation:N0}字，当前{text.Length:N0}字"; continue; }
            report.Explain(key, text, now, userId);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return errors;
    }

    /// <summary>Saves the metadata fields the clerk changed; a field someone else changed meanwhile is not
    /// overwritten and is reported. Returns field errors by field name, or a refusal under "".</summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveMetadataAsync(int reportId, ReportMetadata posted, ReportMetadata original,
        string? userId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var report = await LockAsync(reportId, ct);
        if (CannotEdit(report, out var refusal)) return new Dictionary<string, string> { [""] = refusal };
        var current = report.Metadata;
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        T Merge<T>(string field, T mine, T before, T now)
        {
            if (EqualityComparer<T>.Default.Equals(mine, before) || EqualityComparer<T>.Default.Equals(mine, now)) return now;
            if (!EqualityComparer<T>.Default.Equals(now, before)) { errors[field] = $"保存冲突：他人在您打开页面后修改了此项（现为“{now}”），您的修改未保存"; return now; }
            return mine;
        }
        var merged = new ReportMetadata(
            Merge(nameof(ReportMetadata.Title), posted.Title, original.Title, current.Title),
            Merge(nameof(ReportMetadata.CompilingOffice), posted.CompilingOffice, original.CompilingOffice, current.CompilingOffice),
            Merge(nameof(ReportMetadata.UnitsCovered), posted.UnitsCovered, original.UnitsCovered, current.UnitsCovered),
            Merge(nameof(ReportMetadata.PeriodStart), posted.PeriodStart, original.PeriodStart, current.PeriodStart),
            Merge(nameof(ReportMetadata.PeriodEnd), posted.PeriodEnd, original.PeriodEnd, current.PeriodEnd),
            Merge(nameof(ReportMetadata.PublicationPlace), posted.PublicationPlace, original.PublicationPlace, current.PublicationPlace),
            Merge(nameof(ReportMetadata.Contact), posted.Contact, original.Contact, current.Contact));
        if (merged != current) report.SetMetadata(merged, TemplateOf(report), clock.GetUtcNow(), userId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return errors;
    }

    public async Task<string?> SaveCorrectionNoteAsync(int reportId, string? note, string? userId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var report = await LockAsync(reportId, ct);
        if (CannotEdit(report, out var refusal)) return refusal;
        if (note?.Trim().Length > FieldLimits.CorrectionNote) return $"更正说明最多{FieldLimits.CorrectionNote}字";
        try
        {
            report.SetCorrectionNote(note ?? "", clock.GetUtcNow(), userId);
        }
        catch (WorkflowException e)
        {
            return e.Message;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>Recomputes the totals from the typed cells and stores them (SetCell skips unchanged values),
    /// so SQL reads totals directly.</summary>
    public static void StoreTotals(Report report, ReportTemplate template, DateTimeOffset now, string? userId)
    {
        var values = RuleEvaluator.WithTotals(template, report.CellValues());
        foreach (var cell in template.Cells.Where(c => c.Computed))
            report.SetCell(cell.Id, values.TryGetValue(cell.Id, out var total) ? total : null, now, userId);
    }

    /// <summary>Writes whole values into a report being edited, as a clerk's save writes them: each typed cell of
    /// <paramref name="values"/> (cell id → value in the kind's unit, 万元 for money; a kind with unit choices is
    /// recorded in its normalised unit) set and audited under <paramref name="userId"/>, the totals recomputed, then
    /// the metadata (each changed field audited). Used by 采用汇总值; the caller holds the report's lock
    /// (<see cref="LockAsync"/>) and saves.</summary>
    /// <exception cref="InvalidOperationException">The report is not editable.</exception>
    /// <exception cref="KeyNotFoundException">A cell the template does not have.</exception>
    public static void WriteValues(Report report, ReportTemplate template, IReadOnlyDictionary<string, decimal> values, ReportMetadata metadata,
        DateTimeOffset now, string? userId)
    {
        foreach (var (cellId, value) in values)
        {
            var cell = template.CellsById[cellId];
            if (!cell.Enterable) continue;
            report.SetCell(cellId, value, now, userId, cell.Kind.Units.FirstOrDefault(u => u.Shift == 0)?.Code);
        }
        StoreTotals(report, template, now, userId);
        if (metadata != report.Metadata) report.SetMetadata(metadata, template, now, userId);
    }

    public static ReportContent Content(Report report, ReportTemplate template) =>
        new(template, report.CellValues(), report.TextValues(), report.Agency.RuleContext());

    public static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Browsers post textarea text with CRLF line ends; store LF.</summary>
    public static string NormaliseText(string? text) => (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>Whether a report cannot be changed now (missing, or not 草稿/退回), and why.</summary>
    private static bool CannotEdit([NotNullWhen(false)] Report? report, [NotNullWhen(true)] out string? refusal)
    {
        refusal = report is null ? "报告不存在"
            : report.IsEditable ? null
            : $"报告状态为“{Report.StatusName(report.Status)}”，不能修改";
        return refusal is not null;
    }

    private static string Show(decimal? value) => value is { } v ? CellValueParser.FormatValue(v) : "空白";

    /// <summary>A value as printed, with the label of the unit chosen (e.g. "21174299元"), or "空白".</summary>
    private static string Show(decimal? value, CellDefinition cell, string? unit) => value is { } v
        ? CellValueParser.FormatValue(v, cell.Kind, unit) + (cell.Kind.FindUnit(unit)?.Label ?? "")
        : "空白";

    private static string ConflictMessage(string current, string original) =>
        $"保存冲突：您打开页面后，他人已将此格由 {original} 改为 {current}，您的输入未保存。请核对后再次保存。";

    private static SectionSaveResult Refused(string reason) =>
        new(reason, new Dictionary<string, string>(), [], 0);

    private IQueryable<Report> Query() => db.Reports
        .Include(r => r.Agency).ThenInclude(a => a.Region)
        .Include(r => r.Cells).Include(r => r.Texts).Include(r => r.Explanations)
        .AsSplitQuery();

    /// <summary><see cref="LockAsync"/> for the save of one section: the report (tracked) with only what that section's
    /// merge reads and writes — its cells for a section with tables, its outline and texts for a narrative one — and
    /// neither its agency nor its 说明. Null when there is no such report. An unknown section loads the report alone.</summary>
    private async Task<Report?> LockSectionAsync(int reportId, string sectionId, CancellationToken ct)
    {
        if (await LockRowAsync(reportId, ct) is not { } templateCode) return null;
        var section = catalog.Get(templateCode)?.FindSection(sectionId);
        IQueryable<Report> query = db.Reports.IgnoreAutoIncludes();
        if (section?.Tables.Count > 0) query = query.Include(r => r.Cells);
        if (section?.Kind == SectionKind.Narrative) query = query.Include(r => r.Outline).Include(r => r.Texts);
        return await query.AsSplitQuery().FirstOrDefaultAsync(r => r.Id == reportId, ct);
    }

    /// <summary>Locks the report row for the rest of the transaction, so two saves of the same report
    /// run one after the other and the second sees the first's values.</summary>
    internal async Task<Report?> LockAsync(int reportId, CancellationToken ct) =>
        await LockRowAsync(reportId, ct) is null ? null : await Query().FirstOrDefaultAsync(r => r.Id == reportId, ct);

    /// <summary>Locks the report's row (<c>FOR UPDATE</c>) and returns its template code; null when there is no such report.</summary>
    private async Task<string?> LockRowAsync(int reportId, CancellationToken ct) =>
        (await db.Database.SqlQuery<string>($"SELECT template_code AS \"Value\" FROM reports WHERE id = {reportId} FOR UPDATE").ToListAsync(ct))
            .FirstOrDefault();
}
