using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Import;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>What the user confirmed in the preview: the format and year, every cell as typed (raw text, the unit chosen
/// where the kind offers one), the metadata, the narrative parts, and for an archive record where and when the report
/// was originally published.</summary>
public sealed record ImportDecision(
    string Format,
    int Year,
    IReadOnlyDictionary<string, string?> Cells,
    IReadOnlyDictionary<string, string?> Units,
    ReportMetadata Metadata,
    IReadOnlyList<WrittenPart> Parts,
    string? SourceUrl,
    DateOnly? PublishedOn)
{
    /// <summary>For a file filling an existing draft: the cells of the rows the file has (the others stay as they are).</summary>
    public IReadOnlySet<string>? CellsRead { get; init; }
}

/// <summary>The outcome of <see cref="ReportImports.ConfirmAsync"/>: where the report now is, or the problems by field
/// (<c>""</c> for the form as a whole), in Chinese.</summary>
public sealed record ImportConfirmation(string? Location, IReadOnlyDictionary<string, string> Problems)
{
    public bool Done => Location is not null;
}

/// <summary>
/// Imports of published reports (issue 10): a file or a paste is read (<see cref="SourceReaders"/>), parsed through the
/// template (<see cref="PublishedReportParser"/>) and kept as a pending <see cref="ReportImport"/> with the original;
/// nothing else is stored until the user confirms the preview. A draft goes to a 填报员 of the agency and follows the
/// workflow; an archive record (a 审核员 of the agency's subtree or a 管理员) is published at once as version 1 with the
/// numbers exactly as printed, even where they break a rule: its public page carries the 原文数据勾稽不平 marker and
/// the violations. The agency is the one chosen from the registry, never read from the document.
/// </summary>
public sealed partial class ReportImports(AppDbContext db, TemplateCatalog catalog, AccessControl access, PdfRenderer pdf,
    PublicCacheEviction cache, TimeProvider clock, ReportingPeriods periods, Entry.PreviousYears previousYears, ILogger<ReportImports> logger)
{
    /// <summary>The agencies the signed-in user may import for into <paramref name="destination"/>: a draft for the
    /// agencies they fill in for, an archive record for the subtree they review (all agencies for a 管理员).</summary>
    public async Task<IReadOnlyList<Agency>> AgenciesAsync(ImportDestination destination, CancellationToken ct)
    {
        if (destination == ImportDestination.Archive && await access.IsAdminAsync(ct))
            return await db.Agencies.AsNoTracking().Include(a => a.Region).OrderBy(a => a.Name).ToListAsync(ct);
        var ids = destination == ImportDestination.Draft ? await access.ClerkAgenciesAsync(ct) : await access.SupervisedAgenciesAsync(ct);
        return await db.Agencies.AsNoTracking().Include(a => a.Region).Where(a => ids.Contains(a.Id)).OrderBy(a => a.Name).ToListAsync(ct);
    }

    public async Task<bool> MayImportAsync(int agencyId, ImportDestination destination, CancellationToken ct) =>
        destination == ImportDestination.Draft ? await access.CanEditAsync(agencyId, ct)
            : await access.IsAdminAsync(ct) || await access.CanReviewAsync(agencyId, ct);

    /// <summary>Reads <paramref name="content"/> and, when it reads as a report, stores it as a pending import.</summary>
    /// <returns>The import, or why nothing was stored (a Chinese message: unreadable file, not a report).</returns>
    /// <param name="targetReportId">A draft of the agency whose tables the file fills (its clerk only), or null.</param>
    public async Task<(ReportImport? Import, string? Error)> StartAsync(int agencyId, ImportDestination destination, string fileName,
        byte[] content, CancellationToken ct, int? targetReportId = null)
    {
        if (!await MayImportAsync(agencyId, destination, ct)) return (null, "您不能为这个机关导入报告");
        if (targetReportId is { } target && (destination != ImportDestination.Draft
                || !await db.Reports.AnyAsync(r => r.Id == target && r.AgencyId == agencyId && (r.Status == ReportStatus.Draft || r.Status == ReportStatus.Returned), ct)))
            return (null, "这份报告现在不能修改（已提交或已发布），不能填入表格");
        var source = SourceReaders.Read(fileName, content);
        if (source.Document is null) return (null, source.Error);
        var parse = new PublishedReportParser(catalog).Parse(source.Document);
        if (parse.Reading is null) return (null, parse.Error);
        var agency = await db.Agencies.FirstAsync(a => a.Id == agencyId, ct);
        var name = fileName.Length <= FieldLimits.ImportFileName ? fileName : fileName[^FieldLimits.ImportFileName..];
        var import = new ReportImport(agency, destination, name, source.Document.Kind.ToString().ToLowerInvariant(), content, access.UserId!, clock.GetUtcNow());
        if (targetReportId is { } report) import.Target(report);
        db.ReportImports.Add(import);
        await db.SaveChangesAsync(ct);
        LogStarted(logger, import.Id, agency.Id, destination, access.UserId);
        return (import, null);
    }

    /// <summary>The import <paramref name="id"/> (null: none) and whether the signed-in user may see and confirm it: its
    /// importer, or whoever may import for its agency into its destination.</summary>
    public async Task<(ReportImport? Import, bool Allowed)> FindAsync(int id, CancellationToken ct)
    {
        var import = await db.ReportImports.Include(i => i.Agency).ThenInclude(a => a.Region).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return (null, false);
        return (import, import.UserId == access.UserId || await MayImportAsync(import.AgencyId, import.Destination, ct));
    }

    /// <summary>The format, year and title of the draft an import fills, or null when it makes a new report.</summary>
    public async Task<(string Template, int Year, string Title)?> TargetOfAsync(ReportImport import, CancellationToken ct) =>
        import.TargetReportId is not { } id ? null
            : await db.Reports.Where(r => r.Id == id).Select(r => new { r.TemplateCode, r.Year, r.Metadata.Title }).FirstOrDefaultAsync(ct) is { } r
                ? (r.TemplateCode, r.Year, r.Title) : null;

    /// <summary>The reading of an import's original with what the user chose (format, year), checked with its agency's
    /// rule context, and the reader's note (e.g. a file read by its content rather than its extension).</summary>
    public (ImportParse Parse, string? Note) Read(ReportImport import, string? format, int? year)
    {
        var source = SourceReaders.Read(import.FileName, import.Content);
        if (source.Document is null) return (new ImportParse(null, source.Error), null);
        return (new PublishedReportParser(catalog).Parse(source.Document, new ImportOptions(format, year, import.Agency.RuleContext())), source.Note);
    }

    /// <summary>Stores the report the user confirmed: a draft, or an archive record published at once. Every problem is
    /// returned by field and nothing is stored while there is one.</summary>
    /// <param name="commandLine">Confirmed by the operator of <c>--import-report … --agency</c> (who holds the database's
    /// connection string), not by a signed-in user: no access check, no user recorded.</param>
    public async Task<ImportConfirmation> ConfirmAsync(ReportImport import, ImportDecision decision, IReadOnlySet<string> ambiguous, CancellationToken ct,
        bool commandLine = false)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (import.Status != ImportStatus.Pending) problems[""] = "这次导入已经确认过了";
        if (!commandLine && !await MayImportAsync(import.AgencyId, import.Destination, ct)) problems[""] = "您不能为这个机关导入报告";
        var now = clock.GetUtcNow();
        var currentYear = BeijingTime.Year(now);
        var choice = catalog.Choose(decision.Year, currentYear, decision.Format);
        if (choice.Error is { } yearError) problems["Year"] = yearError;
        var archive = import.Destination == ImportDestination.Archive;
        // A published report speaks of a whole year: a year whose statistical period has not ended has none to import
        // (filling a draft's tables from its workbook is not importing a report).
        var open = import.TargetReportId is null ? periods.NotEnded(decision.Year, "导入该年度的报告") : null;
        if (open is not null) problems["Year"] = open;
        if (archive)
        {
            // An archive record is a report already published: its year has ended and it was published after that.
            if (decision.PublishedOn is not { } on) problems["PublishedOn"] = "请填写原发布日期，例如 2023-01-20";
            else if (on > BeijingTime.Day(now)) problems["PublishedOn"] = "原发布日期不能晚于今天";
            else if (open is null && ReportingPeriods.PublishedTooEarly(decision.Year, on) is { } early) problems["PublishedOn"] = early;
            if (decision.SourceUrl is { Length: > FieldLimits.SourceUrl }) problems["SourceUrl"] = $"原文地址最多{FieldLimits.SourceUrl}个字符";
            else if (decision.SourceUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                problems["SourceUrl"] = "原文地址应以 http:// 或 https:// 开头";
        }
        var template = choice.Template;
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        if (template is not null)
            foreach (var cell in template.Cells.Where(c => !c.NotApplicable))
            {
                var raw = decision.Cells.GetValueOrDefault(cell.Id);
                var unit = decision.Units.GetValueOrDefault(cell.Id);
                if (string.IsNullOrWhiteSpace(raw))
                {
                    if (archive && ambiguous.Contains(cell.Id)) problems[cell.Id] = "这一格的数字没有分隔、有多种拆分方式：请对照原文选择或填写";
                    continue;
                }
                var parsed = CellValueParser.ParseCell(raw, cell, unit, template.InputMessages);
                if (parsed.Error is { } error) problems[cell.Id] = error;
                else if (parsed.Value is { } v) { values[cell.Id] = v; if (parsed.Unit is { } u) units[cell.Id] = u; }
            }
        if (problems.Count > 0 || template is null) return new ImportConfirmation(null, problems);

        if (import.TargetReportId is { } targetId) return await FillDraftAsync(import, targetId, values, units, decision.CellsRead ?? decision.Cells.Keys.ToHashSet(StringComparer.Ordinal), ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var agency = await db.Agencies.Include(a => a.Region).FirstAsync(a => a.Id == import.AgencyId, ct);
        if (await db.Reports.AnyAsync(r => r.AgencyId == agency.Id && r.Year == decision.Year, ct))
            return new ImportConfirmation(null, new Dictionary<string, string> { ["Year"] = $"{agency.Name}{decision.Year}年度报告已在本系统中，不能再导入" });
        var userId = commandLine ? null : access.UserId;
        if (!archive)
        {
            // A draft derives its totals from the typed cells, as entry does; the printed totals were checked in the preview.
            var typed = values.Where(v => template.CellsById[v.Key].Enterable).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
            values = RuleEvaluator.WithTotals(template, typed);
        }
        var report = new Report(agency, decision.Year, template, now);
        db.Reports.Add(report);
        report.SetMetadata(decision.Metadata, template, now, userId);
        foreach (var (id, value) in values) report.SetCell(id, value, now, userId, units.GetValueOrDefault(id));
        foreach (var section in template.Sections.Where(s => s.Kind == SectionKind.Narrative))
        {
            // A part the template's outline has keeps its id (s5.text); the agency's own parts get new ones.
            var outline = report.Parts(section.Id).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
            var parts = decision.Parts.Where(p => p.SectionId == section.Id)
                .Select(p => new PartInput(outline.Contains(p.Id) ? p.Id : null, p.Heading, p.Text)).ToList();
            if (parts.Count > 0) report.SetParts(section.Id, parts, now, userId);
        }
        string location;
        if (!archive)
        {
            await db.SaveChangesAsync(ct);
            location = $"/entry/{report.Id}";
        }
        else
        {
            var publishedAt = BeijingTime.StartOf(decision.PublishedOn!.Value);
            report.ImportPublished(1, publishedAt, null, userId, now);
            await db.SaveChangesAsync(ct);
            var snapshot = ReportSnapshot.Of(report, SnapshotKind.Publication, 1, userId, publishedAt);
            snapshot.MarkArchive(import.Id, decision.SourceUrl, decision.PublishedOn.Value);
            // Errors and warnings alike travel with the version, as they stood at import (last year's report included).
            var previous = await previousYears.FindAsync(agency.Id, decision.Year, ct);
            snapshot.RecordImportFindings(RuleEvaluator.Evaluate(template, snapshot.CellValues(), agency.RuleContext(), EvaluationMode.Printed,
                    snapshot.TextValues(), previous).Violations);
            try
            {
                snapshot.AttachPdf(await pdf.RenderAsync(ReportDocument.Of(snapshot, agency, decision.Year, template), ct));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new ImportConfirmation(null, new Dictionary<string, string> { [""] = $"PDF生成失败，未导入（{e.GetType().Name}）" });
            }
            db.Snapshots.Add(snapshot);
            location = $"/reports/{agency.Code}/{decision.Year}";
        }
        import.Confirm(report.Id, userId, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (archive) await cache.EvictAsync(ct);
        LogConfirmed(logger, import.Id, report.Id, import.Destination, userId);
        return new ImportConfirmation(location, problems);
    }

    /// <summary>
    /// <c>--import-report &lt;file&gt; --agency &lt;统一社会信用代码&gt; --published-on &lt;date&gt; [--source-url …] [--year N] [--format F]</c>:
    /// an archive record made from the command line, with the numbers, texts and metadata as read (the title, when the
    /// document has none or a hijacked one, made from the agency and the year). Refused, with nothing stored, when the
    /// file cannot be read, the agency is not registered, the year is unknown, a cell is ambiguous (待确认: choose it in
    /// the preview instead), or the confirmation's checks fail.
    /// </summary>
    /// <returns>The permalink, or the problems in Chinese.</returns>
    public async Task<(string? Permalink, IReadOnlyList<string> Problems)> ArchiveFromCommandLineAsync(string agencyCode, string fileName, byte[] content,
        DateOnly publishedOn, string? sourceUrl, int? year, string? format, CancellationToken ct)
    {
        var agency = await db.Agencies.Include(a => a.Region).FirstOrDefaultAsync(a => a.Code == agencyCode, ct);
        if (agency is null) return (null, [$"统一社会信用代码为{agencyCode}的机关未登记"]);
        var source = SourceReaders.Read(fileName, content);
        if (source.Document is null) return (null, [source.Error!]);
        var parse = new PublishedReportParser(catalog).Parse(source.Document, new ImportOptions(format, year, agency.RuleContext()));
        if (parse.Reading is not { } reading) return (null, [parse.Error!]);
        if (reading.Year is not { } y) return (null, ["文档中没有读到报告年度，请用 --year 指定"]);
        var errors = reading.Problems.Where(p => p.Severity == Severity.Error && p.Message.StartsWith("文档是", StringComparison.Ordinal)).Select(p => p.Message).ToList();
        var ambiguous = reading.Cells.Where(c => c.Value.Origin == CellOrigin.Ambiguous).Select(c => c.Key).ToList();
        if (ambiguous.Count > 0)
            errors.Add($"这些单元格的数字没有分隔、有多种拆分方式，请在网页的导入预览中选择：{string.Join("、", ambiguous)}");
        if (errors.Count > 0) return (null, errors);
        var template = catalog.Get(reading.Format)!;
        var m = reading.Metadata;
        var metadata = new ReportMetadata(m.Title is { } t && !m.TitleSuspect ? t : $"{agency.Name}{y}年政府信息公开工作年度报告", agency.Name,
            m.UnitsCovered, m.PeriodStart ?? new DateOnly(y, 1, 1), m.PeriodEnd ?? new DateOnly(y, 12, 31), m.PublicationPlace, m.Contact);
        var import = new ReportImport(agency, ImportDestination.Archive, fileName.Length <= FieldLimits.ImportFileName ? fileName : fileName[^FieldLimits.ImportFileName..],
            source.Document.Kind.ToString().ToLowerInvariant(), content, null, clock.GetUtcNow());
        db.ReportImports.Add(import);
        await db.SaveChangesAsync(ct);
        LogStarted(logger, import.Id, agency.Id, ImportDestination.Archive, null);
        var cells = reading.Cells.ToDictionary(c => c.Key,
            c => c.Value.Value is { } v ? CellValueParser.FormatValue(v, template.CellsById[c.Key].Kind, c.Value.Unit) : null, StringComparer.Ordinal);
        var units = reading.Cells.Where(c => c.Value.Unit is not null).ToDictionary(c => c.Key, c => c.Value.Unit, StringComparer.Ordinal);
        var decision = new ImportDecision(template.Code, y, cells, units, metadata, reading.Parts, sourceUrl, publishedOn);
        var result = await ConfirmAsync(import, decision, new HashSet<string>(), ct, commandLine: true);
        return result.Done ? (result.Location, []) : (null, result.Problems.Select(p => p.Key.Length == 0 ? p.Value : $"{p.Key}：{p.Value}").ToList());
    }

    /// <summary>Fills an existing draft's tables from the workbook: every enterable cell of the rows the file has (a row
    /// not read leaves the draft's cells as they are; a cell left blank in a row read becomes blank), each change in the
    /// audit trail, then the totals derived as entry derives them. The draft must still be editable by its clerk.</summary>
    private async Task<ImportConfirmation> FillDraftAsync(ReportImport import, int reportId, IReadOnlyDictionary<string, decimal> values,
        IReadOnlyDictionary<string, string> units, IReadOnlySet<string> read, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var report = await db.Reports.Include(r => r.Agency).Include(r => r.Cells).FirstOrDefaultAsync(r => r.Id == reportId, ct);
        if (report is null || !report.IsEditable || !await access.CanEditAsync(report.AgencyId, ct))
            return new ImportConfirmation(null, new Dictionary<string, string> { [""] = "这份报告现在不能修改（已提交或已发布），表格未填入" });
        var template = catalog.Get(report.TemplateCode)!;
        var now = clock.GetUtcNow();
        var userId = access.UserId;
        var typed = report.CellValues().Where(c => template.CellsById.TryGetValue(c.Key, out var cell) && cell.Enterable)
            .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var currentUnits = report.CellUnits();
        foreach (var cell in template.Cells.Where(c => c.Enterable && read.Contains(c.Id)))
        {
            var value = values.TryGetValue(cell.Id, out var v) ? v : (decimal?)null;
            var unit = units.GetValueOrDefault(cell.Id);
            if (value == (typed.TryGetValue(cell.Id, out var old) ? old : null) && unit == currentUnits.GetValueOrDefault(cell.Id)) continue;
            report.SetCell(cell.Id, value, now, userId, unit);
            if (value is { } x) typed[cell.Id] = x; else typed.Remove(cell.Id);
        }
        var totals = RuleEvaluator.WithTotals(template, typed);
        foreach (var cell in template.Cells.Where(c => c.Computed))
        {
            var total = totals.TryGetValue(cell.Id, out var t) ? t : (decimal?)null;
            if (total != (report.CellValues().TryGetValue(cell.Id, out var stored) ? stored : null)) report.SetCell(cell.Id, total, now, userId);
        }
        import.Confirm(report.Id, userId, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogConfirmed(logger, import.Id, report.Id, import.Destination, userId);
        return new ImportConfirmation($"/entry/{report.Id}", new Dictionary<string, string>());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} for agency {AgencyId} into {Destination} started by {ActorId}")]
    private static partial void LogStarted(ILogger logger, int importId, int agencyId, ImportDestination destination, string? actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} confirmed as report {ReportId} ({Destination}) by {ActorId}")]
    private static partial void LogConfirmed(ILogger logger, int importId, int reportId, ImportDestination destination, string? actorId);
}
