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
    /// <summary>The heading typed for a narrative part (part id → heading as the agency printed it; blank: none).</summary>
    public IReadOnlyDictionary<string, string?> Headings { get; init; } = new Dictionary<string, string?>();
    /// <summary>The heading each part had when the page was drawn, for conflict detection.</summary>
    public IReadOnlyDictionary<string, string?> OriginalHeadings { get; init; } = new Dictionary<string, string?>();
}

public sealed record SectionSaveResult(
    string? Refusal,
    IReadOnlyDictionary<string, string> FieldErrors,
    IReadOnlyList<string> Conflicts,
    int Changed)
{
    public bool HasProblems => Refusal is not null || FieldErrors.Count > 0;
}


/// <summary>
/// Loads, saves and submits reports. Saving is a three-way merge per cell: the form posts what each
/// cell held when it was loaded; a cell is written only if the clerk changed it, and if someone else
/// changed the same cell meanwhile the save of that cell is refused and reported, never overwritten.
/// </summary>
public sealed class ReportEditor(AppDbContext db, TemplateCatalog catalog, IValidator<ReportContent> validator, TimeProvider clock)
{
    public async Task<ReportState?> LoadAsync(int reportId, CancellationToken ct)
    {
        var report = await Query().AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId, ct);
        return report is null ? null : await EvaluateAsync(report, ct);
    }

    public async Task<ReportState> EvaluateAsync(Report report, CancellationToken ct)
    {
        var template = TemplateOf(report);
        var result = await validator.ValidateAsync(Content(report, template), ct);
        return new ReportState(report, template, ReportValidator.Violations(result), RuleEvaluator.WithTotals(template, report.CellValues()));
    }

    public ReportTemplate TemplateOf(Report report) =>
        catalog.Get(report.TemplateCode) ?? throw new InvalidOperationException($"Template {report.TemplateCode} is not loaded.");

    public async Task<SectionSaveResult> SaveSectionAsync(int reportId, string sectionId, SectionSubmission input, string? userId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var report = await LockAsync(reportId, ct);
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

        if (section.Kind == SectionKind.Narrative)
            changed += SaveTexts(report, template, section, input, errors, conflicts, now, userId);

        if (changed > 0)
        {
            StoreTotals(report, template, now, userId);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new SectionSaveResult(null, errors, conflicts, changed);
    }

    private static int SaveTexts(Report report, ReportTemplate template, TemplateSection section, SectionSubmission input,
        Dictionary<string, string> errors, List<string> conflicts, DateTimeOffset now, string? userId)
    {
        var stored = report.TextValues();
        var parts = report.Parts(section.Id);
        var posted = parts.ToDictionary(p => p.Id,
            p => input.Texts.TryGetValue(p.Id, out var t) ? NormaliseText(t) : stored.GetValueOrDefault(p.Id) ?? "");
        var length = posted.Values.Sum(t => t.Length);
        if (length > section.MaxLength)
        {
            // Nothing of an over-long section is stored; the page keeps every character typed.
            errors[section.Id] = ReportValidator.NarrativeTooLong(template, section, length);
            return 0;
        }
        var changed = 0;
        foreach (var part in parts)
        {
            if (!input.Texts.ContainsKey(part.Id)) continue;
            var current = stored.GetValueOrDefault(part.Id) ?? "";
            var text = posted[part.Id];
            var originalHash = input.OriginalTextHashes.GetValueOrDefault(part.Id) ?? Hash("");
            if (Hash(text) == originalHash || text == current) continue;
            if (Hash(current) != originalHash)
            {
                errors[part.Id] = "保存冲突：他人在您打开页面后修改了这一部分，您的文字未保存。请复制您的文字，刷新页面核对后再保存。";
                conflicts.Add(part.Id);
                continue;
            }
            report.SetText(part.Id, text, now, userId);
            changed++;
        }
        return changed + SaveHeadings(report, section, input, errors, conflicts, now, userId);
    }

    /// <summary>The headings of the report's parts as the agency printed them (e.g. "（一）切实加强政务信息透明化
    /// 公开化建设" for the recommended "（一）主动公开"; blank: the part has none, and a part with neither heading nor
    /// text prints nothing), merged per part like texts. The parts, their order and their texts stay.</summary>
    private static int SaveHeadings(Report report, TemplateSection section, SectionSubmission input,
        Dictionary<string, string> errors, List<string> conflicts, DateTimeOffset now, string? userId)
    {
        var outline = report.Parts(section.Id);
        var headings = outline.ToDictionary(p => p.Id, p => p.Heading, StringComparer.Ordinal);
        var changed = 0;
        foreach (var part in outline)
        {
            if (!input.Headings.TryGetValue(part.Id, out var posted)) continue;
            var heading = PartIds.NormaliseHeading(posted);
            var original = PartIds.NormaliseHeading(input.OriginalHeadings.GetValueOrDefault(part.Id));
            if (heading == original || heading == part.Heading) continue;
            if (part.Heading != original)
            {
                errors[part.Id] = "保存冲突：他人在您打开页面后修改了这一部分的标题，您的标题未保存。请刷新页面核对后再保存。";
                conflicts.Add(part.Id);
                continue;
            }
            if (heading?.Length > PartIds.MaxHeadingLength)
            {
                errors[part.Id] = $"标题最多{PartIds.MaxHeadingLength}字，当前{heading.Length}字";
                continue;
            }
            headings[part.Id] = heading;
            changed++;
        }
        if (changed > 0)
            report.SetParts(section.Id, outline.Select(p => new PartInput(p.Id, headings[p.Id], null)).ToList(), now, userId);
        return changed;
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

    /// <summary>Locks the report row for the rest of the transaction, so two saves of the same report
    /// run one after the other and the second sees the first's values.</summary>
    internal async Task<Report?> LockAsync(int reportId, CancellationToken ct)
    {
        var locked = await db.Database.SqlQuery<int>($"SELECT id AS \"Value\" FROM reports WHERE id = {reportId} FOR UPDATE").ToListAsync(ct);
        return locked.Count == 0 ? null : await Query().FirstOrDefaultAsync(r => r.Id == reportId, ct);
    }
}
