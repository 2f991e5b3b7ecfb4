using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Forms;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Publishing;

public sealed record ImportResult(bool Imported, IReadOnlyList<string> Problems, string? Permalink = null);

/// <summary>
/// Imports a published version from the open-data JSON (docs/open-data.md): the agency is picked from the
/// registry by its code, every cell is read with the template's cell kinds, and the template's rules run on
/// the printed totals (EvaluationMode.Printed); any error refuses the import with the rule's message. Every
/// refusal is in Chinese and names the field or cell (JSON path) it is about. Texts are cleaned like typed
/// input (<see cref="InputText.Clean"/>); a U+0000 is refused, as PostgreSQL cannot store it.
/// </summary>
public sealed partial class ReportImporter(AppDbContext db, TemplateCatalog catalog, PdfRenderer pdf, Microsoft.AspNetCore.OutputCaching.IOutputCacheStore cache,
    TimeProvider clock, ILogger<ReportImporter> logger)
{
    /// <summary>Imports the report in <paramref name="json"/> for <paramref name="userId"/> (the acting
    /// administrator). Returns the public permalink, or the problems (Chinese) when nothing was imported.</summary>
    public async Task<ImportResult> ImportAsync(string json, string? userId, CancellationToken ct)
    {
        var result = await ParseAndImportAsync(json, userId, ct);
        if (!result.Imported) LogImportRefused(logger, userId, result.Problems.Count);
        return result;
    }

    private async Task<ImportResult> ParseAndImportAsync(string json, string? userId, CancellationToken ct)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            return Refused(e.LineNumber is { } line && e.BytePositionInLine is { } position
                ? $"不是有效的JSON：第{line + 1}行第{position + 1}个字节附近有格式错误"
                : "不是有效的JSON");
        }
        if (parsed is not JsonObject root) return Refused("JSON的最外层应为对象（{ … }），见 docs/open-data.md");
        try
        {
            if ((root["format"] as JsonValue)?.ToString() != OpenData.FormatName || (root["formatVersion"] as JsonValue)?.ToString() != OpenData.FormatVersion.ToString(CultureInfo.InvariantCulture))
                return Refused($"格式不符：应为 format = {OpenData.FormatName}、formatVersion = {OpenData.FormatVersion}");
            return await ImportAsync(root, userId, ct);
        }
        catch (ImportFormatException e)
        {
            return Refused(e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or ArgumentException or KeyNotFoundException)
        {
            // Not expected once every field is read through the helpers below; kept so that a malformed file
            // can never end as a 500.
            return Refused($"内容不完整或格式错误（{e.Message}）");
        }
    }

    private async Task<ImportResult> ImportAsync(JsonObject root, string? userId, CancellationToken ct)
    {
        var templateCode = Text(root["template"], "template");
        var template = catalog.Get(templateCode);
        if (template is null) return Refused($"不支持的报告格式版本“{templateCode}”");
        var code = Text(Object(root["agency"], "agency")["code"], "agency.code");
        var agency = await db.Agencies.Include(a => a.Region).FirstOrDefaultAsync(a => a.Code == code, ct);
        if (agency is null) return Refused($"统一社会信用代码为{code}的机关未登记，请管理员先登记该机关");
        var year = Integer(root["year"], "year");
        if (!template.AppliesTo(year)) return Refused($"{year}年度报告不使用{template.Name}");
        var version = Integer(root["version"], "version");
        if (!DateTimeOffset.TryParse(Text(root["publishedAt"], "publishedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var publishedAt))
            return Refused("publishedAt 不是有效的时间，应如 2024-03-01T08:00:00Z");
        if (publishedAt > clock.GetUtcNow()) return Refused("发布时间不能晚于现在");
        if (publishedAt.Year <= year - 1) return Refused($"发布时间早于{year}年，不可能是该年度的报告");

        var problems = new List<string>();
        var cells = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (id, node) in Object(root["cells"], "cells"))
        {
            if (!template.CellsById.TryGetValue(id, out var cell)) { problems.Add($"未知的单元格“{id}”"); continue; }
            var name = $"{template.Tables[cell.TableId].ShortName} {cell.ShortLabel}";
            // The format has numbers only; a blank cell is left out (docs/open-data.md), never null or "".
            var kind = node?.GetValueKind();
            if (kind is null or JsonValueKind.Null) { problems.Add($"{name}（cells.{id}）：值为 null；空白格应省略，不写 null"); continue; }
            if (kind == JsonValueKind.String) { problems.Add($"{name}（cells.{id}）：应为数字，不能是文字 {node!.ToJsonString()}"); continue; }
            if (kind != JsonValueKind.Number) { problems.Add($"{name}（cells.{id}）：应为数字"); continue; }
            var parsed = CellValueParser.Parse(node!.ToJsonString(), cell.Kind, template.InputMessages);
            if (parsed.Error is not null) problems.Add($"{name}：{parsed.Error}");
            else if (parsed.Value is { } v) cells[id] = v;
        }
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (part, node) in root["texts"] is null ? new JsonObject() : Object(root["texts"], "texts"))
        {
            if (!template.NarrativeParts.ContainsKey(part)) { problems.Add($"未知的文字部分“{part}”"); continue; }
            texts[part] = Text(node, $"texts.{part}");
        }
        if (problems.Count > 0) return new ImportResult(false, problems);

        // The printed totals are checked, not recomputed: an unbalanced column is refused with the A1 message.
        var errors = RuleEvaluator.Evaluate(template, cells, agency.RuleContext(), EvaluationMode.Printed, texts).Errors.Select(v => v.Message).ToList();
        if (errors.Count > 0) return new ImportResult(false, errors);

        var metadata = Object(root["metadata"], "metadata");
        string? Field(string field, int max)
        {
            var value = OptionalText(metadata[field], $"metadata.{field}");
            if (value?.Length > max) problems.Add($"metadata.{field} 最多{max}字");
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }
        DateOnly Date(string field) =>
            DateOnly.TryParseExact(Text(metadata[field], $"metadata.{field}"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d : throw new ImportFormatException($"metadata.{field} 应为日期，格式 yyyy-MM-dd");
        var title = Field("title", FieldLimits.ReportTitle);
        var compilingOffice = Field("compilingOffice", FieldLimits.CompilingOffice);
        var unitsCovered = Field("unitsCovered", FieldLimits.UnitsCovered);
        var publicationPlace = Field("publicationPlace", FieldLimits.PublicationPlace);
        var contact = Field("contact", FieldLimits.Contact);
        var correctionNote = OptionalText(root["correctionNote"], "correctionNote");
        if (correctionNote?.Length > FieldLimits.CorrectionNote) problems.Add($"correctionNote 最多{FieldLimits.CorrectionNote}字");
        if (title is null) problems.Add("缺少报告标题");
        if (compilingOffice is null) problems.Add("缺少编制机关（metadata.compilingOffice）");
        var period = (Start: Date("periodStart"), End: Date("periodEnd"));
        if (problems.Count > 0) return new ImportResult(false, problems);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Import brings in reports published elsewhere; it never touches a report this system holds, so it
        // cannot be used to publish a draft without review.
        if (await db.Reports.AnyAsync(r => r.AgencyId == agency.Id && r.Year == year, ct))
            return Refused($"{agency.Name}{year}年度报告已在本系统中，不能导入（请通过填报和审核流程处理）");
        var now = clock.GetUtcNow();
        var report = new Report(agency, year, template.Code, now);
        db.Reports.Add(report);
        report.SetMetadata(new ReportMetadata(title!, compilingOffice!, unitsCovered, period.Start, period.End, publicationPlace, contact), now, userId);
        foreach (var cell in template.Cells) report.SetCell(cell.Id, cells.TryGetValue(cell.Id, out var v) ? v : null, now, userId);
        foreach (var part in template.NarrativeParts.Keys) report.SetText(part, texts.GetValueOrDefault(part), now, userId);
        try
        {
            report.ImportPublished(version, publishedAt, correctionNote, userId, now);
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
        LogImported(logger, report.Id, agency.Id, year, version, userId);
        return new ImportResult(true, [], $"/reports/{agency.Code}/{year}");
    }

    private static ImportResult Refused(string problem) => new(false, [problem]);

    /// <summary>A field of the wrong JSON type or shape; its message (Chinese, with the JSON path) is the refusal.</summary>
    private sealed class ImportFormatException(string message) : Exception(message);

    private static JsonObject Object(JsonNode? node, string path) =>
        node as JsonObject ?? throw new ImportFormatException(node is null ? $"缺少 {path}" : $"{path} 应为对象（{{ … }}）");

    private static string Text(JsonNode? node, string path) =>
        OptionalText(node, path) ?? throw new ImportFormatException($"缺少 {path}（或其值为 null）");

    /// <summary>A JSON string (null when absent or null), cleaned like typed input.</summary>
    private static string? OptionalText(JsonNode? node, string path)
    {
        if (node is null || node.GetValueKind() == JsonValueKind.Null) return null;
        if (node.GetValueKind() != JsonValueKind.String) throw new ImportFormatException($"{path} 应为文字（JSON字符串）");
        var text = node.GetValue<string>();
        if (InputText.ContainsNul(text)) throw new ImportFormatException($"{path} 含有空字符（U+0000）");
        return InputText.Clean(text);
    }

    private static int Integer(JsonNode? node, string path) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number
            : throw new ImportFormatException(node is null ? $"缺少 {path}" : $"{path} 应为整数");

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} of agency {AgencyId}, {Year}, imported as version {Version} by {ActorId}")]
    private static partial void LogImported(ILogger logger, int reportId, int agencyId, int year, int version, string? actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import by {ActorId} refused with {ProblemCount} problem(s)")]
    private static partial void LogImportRefused(ILogger logger, string? actorId, int problemCount);
}
