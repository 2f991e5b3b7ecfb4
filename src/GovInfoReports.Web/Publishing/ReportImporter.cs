using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;
using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Publishing;

public sealed record ImportResult(bool Imported, IReadOnlyList<string> Problems, string? Permalink = null);

/// <summary>
/// Imports a published version from the open-data JSON (docs/open-data.md): the agency is picked from the
/// registry by its code, every cell is read with the template's cell kinds, and the template's rules run on
/// the printed totals (EvaluationMode.Printed); any error refuses the import with the rule's message.
/// </summary>
public sealed class ReportImporter(AppDbContext db, TemplateCatalog catalog, PdfRenderer pdf, Microsoft.AspNetCore.OutputCaching.IOutputCacheStore cache, TimeProvider clock)
{
    public async Task<ImportResult> ImportAsync(string json, string? userId, CancellationToken ct)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            return Refused($"不是有效的JSON：{e.Message}");
        }
        try
        {
            if ((root["format"] as JsonValue)?.ToString() != OpenData.FormatName || (root["formatVersion"] as JsonValue)?.ToString() != OpenData.FormatVersion.ToString(CultureInfo.InvariantCulture))
                return Refused($"格式不符：应为 format = {OpenData.FormatName}、formatVersion = {OpenData.FormatVersion}");
            return await ImportAsync(root, userId, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or NullReferenceException or KeyNotFoundException)
        {
            return Refused($"内容不完整或格式错误：{e.Message}");
        }
    }

    private async Task<ImportResult> ImportAsync(JsonObject root, string? userId, CancellationToken ct)
    {
        var template = catalog.Get(root["template"]!.GetValue<string>());
        if (template is null) return Refused($"不支持的报告格式版本“{root["template"]}”");
        var code = root["agency"]!["code"]!.GetValue<string>();
        var agency = await db.Agencies.Include(a => a.Region).FirstOrDefaultAsync(a => a.Code == code, ct);
        if (agency is null) return Refused($"统一社会信用代码为{code}的机关未登记，请管理员先登记该机关");
        var year = root["year"]!.GetValue<int>();
        if (!template.AppliesTo(year)) return Refused($"{year}年度报告不使用{template.Name}");
        var version = root["version"]!.GetValue<int>();
        var publishedAt = DateTimeOffset.Parse(root["publishedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        if (publishedAt > clock.GetUtcNow()) return Refused("发布时间不能晚于现在");
        if (publishedAt.Year <= year - 1) return Refused($"发布时间早于{year}年，不可能是该年度的报告");

        var problems = new List<string>();
        var cells = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (id, node) in root["cells"]!.AsObject())
        {
            if (!template.CellsById.TryGetValue(id, out var cell)) { problems.Add($"未知的单元格“{id}”"); continue; }
            var parsed = CellValueParser.Parse(node!.ToJsonString(), cell.Kind, template.InputMessages);
            if (parsed.Error is not null) problems.Add($"{template.Tables[cell.TableId].ShortName} {cell.ShortLabel}：{parsed.Error}");
            else if (parsed.Value is { } v) cells[id] = v;
        }
        var texts = (root["texts"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);
        problems.AddRange(texts.Keys.Where(k => !template.NarrativeParts.ContainsKey(k)).Select(k => $"未知的文字部分“{k}”"));
        if (problems.Count > 0) return new ImportResult(false, problems);

        // The printed totals are checked, not recomputed: an unbalanced column is refused with the A1 message.
        var errors = RuleEvaluator.Evaluate(template, cells, agency.RuleContext(), EvaluationMode.Printed, texts).Errors.Select(v => v.Message).ToList();
        if (errors.Count > 0) return new ImportResult(false, errors);

        var metadata = root["metadata"]!;
        foreach (var (field, max) in new[] { ("title", 200), ("compilingOffice", 200), ("unitsCovered", 4000), ("publicationPlace", 500), ("contact", 500) })
            if (metadata[field]?.GetValue<string>() is { } value && value.Length > max) problems.Add($"metadata.{field} 最多{max}字");
        if (string.IsNullOrWhiteSpace(metadata["title"]?.GetValue<string>())) problems.Add("缺少报告标题");
        if (problems.Count > 0) return new ImportResult(false, problems);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Import brings in reports published elsewhere; it never touches a report this system holds, so it
        // cannot be used to publish a draft without review.
        if (await db.Reports.AnyAsync(r => r.AgencyId == agency.Id && r.Year == year, ct))
            return Refused($"{agency.Name}{year}年度报告已在本系统中，不能导入（请通过填报和审核流程处理）");
        var now = clock.GetUtcNow();
        var report = new Report(agency, year, template.Code, now);
        db.Reports.Add(report);
        report.SetMetadata(new ReportMetadata(
            metadata["title"]!.GetValue<string>(), metadata["compilingOffice"]!.GetValue<string>(), metadata["unitsCovered"]?.GetValue<string>(),
            DateOnly.ParseExact(metadata["periodStart"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateOnly.ParseExact(metadata["periodEnd"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            metadata["publicationPlace"]?.GetValue<string>(), metadata["contact"]?.GetValue<string>()), now, userId);
        foreach (var cell in template.Cells) report.SetCell(cell.Id, cells.TryGetValue(cell.Id, out var v) ? v : null, now, userId);
        foreach (var part in template.NarrativeParts.Keys) report.SetText(part, texts.GetValueOrDefault(part), now, userId);
        try
        {
            report.ImportPublished(version, publishedAt, root["correctionNote"]?.GetValue<string>(), userId, now);
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
