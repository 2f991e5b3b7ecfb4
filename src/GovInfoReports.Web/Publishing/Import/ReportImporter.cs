using System.Globalization;
using System.Text.Json;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Publishing;

/// <summary>What an import of the open-data JSON did: <paramref name="Problems"/> refused it (nothing stored); once
/// imported, <see cref="Warnings"/> lists what the rules warn about in its numbers and texts (kept with the version as its
/// <see cref="ReportSnapshot.ImportFindings"/>).</summary>
public sealed record ImportResult(bool Imported, IReadOnlyList<string> Problems, string? Permalink = null)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// Imports a published version from the open-data JSON (docs/open-data.md): the document must be of the
/// format (<see cref="OpenData.FormatName"/>, version <see cref="OpenData.FormatVersion"/>), valid against
/// docs/report.schema.json (<see cref="OpenDataSchema"/>; each problem names its JSON path), and is then read
/// as an <see cref="OpenDataReport"/>, the record the export writes. The agency is picked from the registry
/// by its code, every cell is read with the template's cell kinds, and the template's rules run on the printed
/// totals (EvaluationMode.Printed); any problem refuses the import with Chinese messages. Texts are cleaned
/// like typed input (<see cref="Forms.InputText.Clean"/>); a U+0000 is refused, as PostgreSQL cannot store it.
/// </summary>
public sealed partial class ReportImporter(AppDbContext db, TemplateCatalog catalog, PdfRenderer pdf, PublicCacheEviction cache,
    TimeProvider clock, ReportingPeriods periods, Entry.PreviousYears previousYears, ILogger<ReportImporter> logger)
{
    public async Task<ImportResult> ImportAsync(string json, string? userId, CancellationToken ct)
    {
        var (imported, refusal) = Read(json);
        var result = imported is null ? refusal! : await ImportAsync(imported, userId, ct);
        if (!result.Imported) LogImportRefused(logger, userId, result.Problems.Count);
        return result;
    }

    /// <summary>The document as the export's record, or why it is refused (invalid JSON, another format, the
    /// schema's problems with their JSON paths, or a value the record cannot hold).</summary>
    private static (OpenDataReport? Imported, ImportResult? Refusal) Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            // The text of a report (not its JSON) belongs to 导入报告, which reads text, web pages, Word, PDF and Excel.
            if (!json.TrimStart().StartsWith('{') && !json.TrimStart().StartsWith('['))
                return (null, Refused("这不是开放数据JSON。要导入报告的文字或网页、Word、PDF、Excel文件，请使用“导入报告”（/import）"));
            // The parser's own message is English; say where, in Chinese.
            return (null, Refused(e.LineNumber is { } line && e.BytePositionInLine is { } position
                ? $"不是有效的JSON：第{line + 1}行第{position + 1}个字节附近有格式错误"
                : "不是有效的JSON"));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, Refused("不是有效的JSON：应为一个JSON对象"));
            // Another format or a later version is named once rather than as a list of schema errors.
            if (!(root.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && format.GetString() == OpenData.FormatName
                  && root.TryGetProperty("formatVersion", out var version) && version.ValueKind == JsonValueKind.Number
                  && version.TryGetInt32(out var v) && v == OpenData.FormatVersion))
                return (null, Refused($"格式不符：应为 format = {OpenData.FormatName}、formatVersion = {OpenData.FormatVersion}"));
            if (Nul(root, "$") is { } path) return (null, Refused($"{path}：含有空字符（U+0000）"));
            var schemaProblems = OpenDataSchema.Validate(root);
            if (schemaProblems.Count > 0) return (null, new ImportResult(false, schemaProblems));
            try
            {
                return (OpenData.Read(root), null);
            }
            catch (JsonException e)
            {
                return (null, Refused($"{e.Path ?? "$"}：{(e is OpenDataValueException ? e.Message : "值无效或超出范围")}"));
            }
        }
    }

    private async Task<ImportResult> ImportAsync(OpenDataReport imported, string? userId, CancellationToken ct)
    {
        var template = catalog.Get(imported.Template);
        if (template is null) return Refused($"不支持的报告格式版本“{imported.Template}”");
        var code = imported.Agency.Code;
        var agency = await db.Agencies.Include(a => a.Region).FirstOrDefaultAsync(a => a.Code == code, ct);
        if (agency is null) return Refused($"统一社会信用代码为{code}的机关未登记，请管理员先登记该机关");
        var year = imported.Year;
        if (!template.AppliesTo(year)) return Refused($"{year}年度报告不使用{template.Name}");
        var version = imported.Version;
        // A report speaks of a whole year: none can have been published before that year ended (Beijing time).
        if (periods.NotEnded(year, "导入该年度的已发布报告") is { } open) return Refused(open);
        var publishedAt = imported.PublishedAt;
        if (publishedAt > clock.GetUtcNow()) return Refused("发布时间不能晚于现在");
        if (ReportingPeriods.PublishedTooEarly(year, BeijingTime.Day(publishedAt)) is { } early) return Refused(early);

        var problems = new List<string>();
        var cells = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (id, value) in imported.Cells)
        {
            if (!template.CellsById.TryGetValue(id, out var cell)) { problems.Add($"未知的单元格“{id}”"); continue; }
            // The cell kind judges the number as written (a count with decimals, too many decimals, too large, a
            // sign in an unsigned cell); a not-applicable cell takes no value at all.
            var raw = value.ToString(CultureInfo.InvariantCulture);
            var parsed = cell.NotApplicable ? CellValueParser.ParseCell(raw, cell, null, template.InputMessages)
                : CellValueParser.Parse(raw, cell.Kind, template.InputMessages);
            if (parsed.Error is not null) problems.Add($"{template.Tables[cell.TableId].ShortName} {cell.ShortLabel}：{parsed.Error}");
            else if (parsed.Value is { } v) cells[id] = v;
        }
        // The unit the agency printed, for cells whose kind offers a choice: required with a value, one of the kind's.
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, unit) in imported.CellUnits ?? new Dictionary<string, string>())
        {
            if (!template.CellsById.TryGetValue(id, out var cell) || cell.Kind.FindUnit(unit) is null || !imported.Cells.ContainsKey(id))
                problems.Add($"cellUnits.{id}：{(cell is null ? "未知的单元格" : cell.Kind.Units.Count == 0 ? "这一格没有单位可选" : !imported.Cells.ContainsKey(id) ? "这一格没有数值" : $"单位应为{string.Join("或", cell.Kind.Units.Select(u => u.Code))}")}");
            else units[id] = unit;
        }
        foreach (var id in cells.Keys.Where(id => template.CellsById[id].Kind.Units.Count > 0 && !units.ContainsKey(id)))
        {
            var cell = template.CellsById[id];
            problems.Add($"{template.Tables[cell.TableId].ShortName} {cell.ShortLabel}：缺少单位（cellUnits），应为{string.Join("或", cell.Kind.Units.Select(u => u.Code))}");
        }
        var texts = imported.Texts.ToDictionary(kv => kv.Key, kv => Clean(kv.Value)!, StringComparer.Ordinal);
        // The agency's own outline when the document has one, else the template's recommended outline.
        var outline = imported.Parts?.Select(p => p with { Heading = Clean(p.Heading) }).ToList();
        foreach (var part in outline ?? [])
        {
            if (template.FindSection(part.Section) is not { Kind: SectionKind.Narrative })
                problems.Add($"parts：“{part.Id}”所属的“{part.Section}”不是本格式的文字部分");
            else if (!PartIds.IsValid(part.Id) || PartIds.SectionOf(part.Id) != part.Section)
                problems.Add($"parts：“{part.Id}”不属于“{part.Section}”");
            if (part.Heading?.Length > FieldLimits.PartHeading) problems.Add($"parts：“{part.Id}”的标题最多{FieldLimits.PartHeading}字");
        }
        problems.AddRange((outline ?? []).GroupBy(p => p.Id).Where(g => g.Count() > 1).Select(g => $"parts：“{g.Key}”重复"));
        problems.AddRange(template.Sections.Where(s => s.Kind == SectionKind.Narrative)
            .Where(s => (outline?.Count(p => p.Section == s.Id) ?? 0) > PartIds.MaxPartsPerSection)
            .Select(s => $"parts：{s.Heading}最多{PartIds.MaxPartsPerSection}个部分"));
        var partIds = outline?.Select(p => p.Id).ToHashSet(StringComparer.Ordinal) ?? template.NarrativeParts.Keys.ToHashSet(StringComparer.Ordinal);
        problems.AddRange(texts.Keys.Where(k => !partIds.Contains(k)).Select(k => $"未知的文字部分“{k}”"));
        if (problems.Count > 0) return new ImportResult(false, problems);

        // The printed totals are checked, not recomputed: an unbalanced column is refused with the A1 message.
        // Warnings (C4, the cross-year rules against last year's report as it stands) do not refuse: they travel with the version.
        var previous = await previousYears.FindAsync(agency.Id, year, ct);
        var found = RuleEvaluator.Evaluate(template, cells, agency.RuleContext(), EvaluationMode.Printed, texts, previous).Violations
            .Where(v => v.Severity != Severity.Info).ToList();
        var errors = found.Where(v => v.Severity == Severity.Error).Select(v => v.Message).ToList();
        if (errors.Count > 0) return new ImportResult(false, errors);

        var metadata = imported.Metadata with
        {
            Title = Clean(imported.Metadata.Title)!, CompilingOffice = Clean(imported.Metadata.CompilingOffice)!,
            UnitsCovered = Clean(imported.Metadata.UnitsCovered), PublicationPlace = Clean(imported.Metadata.PublicationPlace),
            Contact = Clean(imported.Metadata.Contact),
        };
        foreach (var (field, text, max) in new[] { ("title", metadata.Title, FieldLimits.ReportTitle), ("compilingOffice", metadata.CompilingOffice, FieldLimits.CompilingOffice),
                     ("unitsCovered", metadata.UnitsCovered, FieldLimits.UnitsCovered), ("publicationPlace", metadata.PublicationPlace, FieldLimits.PublicationPlace), ("contact", metadata.Contact, FieldLimits.Contact) })
            if (text is not null && text.Length > max) problems.Add($"metadata.{field} 最多{max}字");
        if (string.IsNullOrWhiteSpace(metadata.Title)) problems.Add("缺少报告标题");
        if (problems.Count > 0) return new ImportResult(false, problems);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Import brings in reports published elsewhere; it never touches a report this system holds, so it
        // cannot be used to publish a draft without review.
        if (await db.Reports.AnyAsync(r => r.AgencyId == agency.Id && r.Year == year, ct))
            return Refused($"{agency.Name}{year}年度报告已在本系统中，不能导入（请通过填报和审核流程处理）");
        var now = clock.GetUtcNow();
        var report = new Report(agency, year, template, now);
        db.Reports.Add(report);
        report.SetMetadata(metadata.ToReportMetadata(), template, now, userId);
        foreach (var cell in template.Cells)
            report.SetCell(cell.Id, cells.TryGetValue(cell.Id, out var v) ? v : null, now, userId, units.GetValueOrDefault(cell.Id));
        if (outline is null)
            foreach (var part in template.NarrativeParts.Keys) report.SetText(part, texts.GetValueOrDefault(part), now, userId);
        else
            foreach (var section in template.Sections.Where(s => s.Kind == SectionKind.Narrative))
                report.SetParts(section.Id, outline.Where(p => p.Section == section.Id)
                    .Select(p => new PartInput(p.Id, p.Heading, texts.GetValueOrDefault(p.Id) ?? "")).ToList(), now, userId);
        try
        {
            report.ImportPublished(version, publishedAt, Clean(imported.CorrectionNote), userId, now);
        }
        catch (WorkflowException e)
        {
            return Refused(e.Message);
        }
        await db.SaveChangesAsync(ct);
        var snapshot = ReportSnapshot.Of(report, SnapshotKind.Publication, version, userId, publishedAt);
        try
        {
            snapshot.AttachPdf(await pdf.RenderAsync(ReportDocument.Of(snapshot, agency, year, template), ct));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Refused($"PDF生成失败，未导入（{e.GetType().Name}）");
        }
        snapshot.RecordImportFindings(found);
        db.Snapshots.Add(snapshot);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await cache.EvictAsync(ct);
        LogImported(logger, report.Id, agency.Id, year, version, userId);
        return new ImportResult(true, [], $"/reports/{agency.Code}/{year}") { Warnings = found.Select(v => v.Message).ToList() };
    }

    private static ImportResult Refused(string problem) => new(false, [problem]);

    /// <summary>Bidi overrides and control characters go, as from typed input.</summary>
    private static string? Clean(string? text) => Forms.InputText.Clean(text);

    /// <summary>The JSON path of the first string holding U+0000, which PostgreSQL cannot store; null if none.</summary>
    private static string? Nul(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.String => Forms.InputText.ContainsNul(element.GetString()) ? path : null,
        JsonValueKind.Object => element.EnumerateObject().Select(p => Nul(p.Value, path + OpenDataSchema.Member(p.Name))).FirstOrDefault(p => p is not null),
        JsonValueKind.Array => element.EnumerateArray().Select((e, i) => Nul(e, $"{path}[{i}]")).FirstOrDefault(p => p is not null),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} of agency {AgencyId}, {Year}, imported as version {Version} by {ActorId}")]
    private static partial void LogImported(ILogger logger, int reportId, int agencyId, int year, int version, string? actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import by {ActorId} refused with {ProblemCount} problem(s)")]
    private static partial void LogImportRefused(ILogger logger, string? actorId, int problemCount);
}
