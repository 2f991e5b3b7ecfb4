using System.Globalization;
using System.Text.Json;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Publishing;

public sealed record ImportResult(bool Imported, IReadOnlyList<string> Problems, string? Permalink = null);

/// <summary>
/// Imports a published version from the open-data JSON (docs/open-data.md): the document must be of the
/// format (<see cref="OpenData.FormatName"/>, version <see cref="OpenData.FormatVersion"/>), valid against
/// docs/report.schema.json (<see cref="OpenDataSchema"/>; each problem names its JSON path), and is then read
/// as an <see cref="OpenDataReport"/>, the record the export writes. The agency is picked from the registry
/// by its code, every cell is read with the template's cell kinds, and the template's rules run on the printed
/// totals (EvaluationMode.Printed); any problem refuses the import with Chinese messages.
/// </summary>
public sealed class ReportImporter(AppDbContext db, TemplateCatalog catalog, PdfRenderer pdf, Microsoft.AspNetCore.OutputCaching.IOutputCacheStore cache, TimeProvider clock)
{
    public async Task<ImportResult> ImportAsync(string json, string? userId, CancellationToken ct)
    {
        var (imported, refusal) = Read(json);
        return imported is null ? refusal! : await ImportAsync(imported, userId, ct);
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
            return (null, Refused($"不是有效的JSON：{e.Message}"));
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
        var publishedAt = imported.PublishedAt;
        if (publishedAt > clock.GetUtcNow()) return Refused("发布时间不能晚于现在");
        if (publishedAt.Year <= year - 1) return Refused($"发布时间早于{year}年，不可能是该年度的报告");

        var problems = new List<string>();
        var cells = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (id, value) in imported.Cells)
        {
            if (!template.CellsById.TryGetValue(id, out var cell)) { problems.Add($"未知的单元格“{id}”"); continue; }
            // The cell kind judges the number as written (a count with decimals, too many decimals, too large).
            var parsed = CellValueParser.Parse(value.ToString(CultureInfo.InvariantCulture), cell.Kind, template.InputMessages);
            if (parsed.Error is not null) problems.Add($"{template.Tables[cell.TableId].ShortName} {cell.ShortLabel}：{parsed.Error}");
            else if (parsed.Value is { } v) cells[id] = v;
        }
        var texts = imported.Texts.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        problems.AddRange(texts.Keys.Where(k => !template.NarrativeParts.ContainsKey(k)).Select(k => $"未知的文字部分“{k}”"));
        if (problems.Count > 0) return new ImportResult(false, problems);

        // The printed totals are checked, not recomputed: an unbalanced column is refused with the A1 message.
        var errors = RuleEvaluator.Evaluate(template, cells, agency.RuleContext(), EvaluationMode.Printed, texts).Errors.Select(v => v.Message).ToList();
        if (errors.Count > 0) return new ImportResult(false, errors);

        var metadata = imported.Metadata;
        foreach (var (field, text, max) in new[] { ("title", metadata.Title, 200), ("compilingOffice", metadata.CompilingOffice, 200), ("unitsCovered", metadata.UnitsCovered, 4000), ("publicationPlace", metadata.PublicationPlace, 500), ("contact", metadata.Contact, 500) })
            if (text is not null && text.Length > max) problems.Add($"metadata.{field} 最多{max}字");
        if (string.IsNullOrWhiteSpace(metadata.Title)) problems.Add("缺少报告标题");
        if (problems.Count > 0) return new ImportResult(false, problems);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Import brings in reports published elsewhere; it never touches a report this system holds, so it
        // cannot be used to publish a draft without review.
        if (await db.Reports.AnyAsync(r => r.AgencyId == agency.Id && r.Year == year, ct))
            return Refused($"{agency.Name}{year}年度报告已在本系统中，不能导入（请通过填报和审核流程处理）");
        var now = clock.GetUtcNow();
        var report = new Report(agency, year, template.Code, now);
        db.Reports.Add(report);
        report.SetMetadata(metadata.ToReportMetadata(), now, userId);
        foreach (var cell in template.Cells) report.SetCell(cell.Id, cells.TryGetValue(cell.Id, out var v) ? v : null, now, userId);
        foreach (var part in template.NarrativeParts.Keys) report.SetText(part, texts.GetValueOrDefault(part), now, userId);
        try
        {
            report.ImportPublished(version, publishedAt, imported.CorrectionNote, userId, now);
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
        db.Snapshots.Add(snapshot);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await cache.EvictByTagAsync(Hosting.PublicCache.Tag, ct);
        return new ImportResult(true, [], $"/reports/{agency.Code}/{year}");
    }

    private static ImportResult Refused(string problem) => new(false, [problem]);
}
