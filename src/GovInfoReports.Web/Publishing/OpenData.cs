using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Web.Publishing;

/// <summary>
/// The open-data forms of a published report (docs/open-data.md, docs/report.schema.json): JSON with
/// cells by stable id, and CSV with one row per cell (UTF-8 with BOM, so Excel opens it).
/// </summary>
public static class OpenData
{
    public const string FormatName = "govinforeports.report";
    public const int FormatVersion = 1;

    public static JsonObject Json(PublishedReport report)
    {
        var document = report.Document;
        var snapshot = report.Snapshot;
        var cells = new JsonObject();
        foreach (var cell in report.Template.Cells.Where(c => document.Values.ContainsKey(c.Id)))
            cells[cell.Id] = JsonNode.Parse(document.Value(cell.Id)); // a JSON number without trailing zeros (8, 4.651)
        var texts = new JsonObject();
        foreach (var part in report.Template.NarrativeParts.Keys.Where(document.Texts.ContainsKey))
            texts[part] = document.Texts[part];
        return new JsonObject
        {
            ["format"] = FormatName,
            ["formatVersion"] = FormatVersion,
            ["template"] = report.Template.Code,
            ["agency"] = new JsonObject
            {
                ["code"] = report.Agency.Code,
                ["name"] = snapshot.AgencyName,
                ["kind"] = snapshot.AgencyKind.ToString(),
                ["region"] = new JsonObject { ["code"] = snapshot.RegionCode, ["name"] = snapshot.RegionName },
            },
            ["year"] = report.Year,
            ["version"] = snapshot.Version,
            ["publishedAt"] = snapshot.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["correctionNote"] = snapshot.CorrectionNote,
            ["metadata"] = new JsonObject
            {
                ["title"] = snapshot.Title,
                ["compilingOffice"] = snapshot.CompilingOffice,
                ["unitsCovered"] = snapshot.UnitsCovered,
                ["periodStart"] = snapshot.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["periodEnd"] = snapshot.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["publicationPlace"] = snapshot.PublicationPlace,
                ["contact"] = snapshot.Contact,
            },
            ["cells"] = cells,
            ["texts"] = texts,
            ["pdfSha256"] = snapshot.PdfSha256,
        };
    }

    public static string JsonText(PublishedReport report) =>
        Json(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static readonly string[] CsvHeader = ["agency_code", "year", "version", "cell_id", "section", "row_label", "column_label", "value", "unit"];

    public static IEnumerable<string[]> CsvRows(PublishedReport report)
    {
        var document = report.Document;
        foreach (var cell in report.Template.Cells)
        {
            var table = report.Template.Tables[cell.TableId];
            var section = report.Template.FindSection(cell.SectionId)!;
            var row = table.LeafRows.Single(r => r.Id == cell.RowId);
            var column = table.LeafColumns.Single(c => c.Id == cell.ColumnId);
            yield return
            [
                report.Agency.Code, report.Year.ToString(CultureInfo.InvariantCulture), report.Snapshot.Version!.Value.ToString(CultureInfo.InvariantCulture),
                cell.Id, section.Heading, table.RowLabels ? string.Join(" ", row.Path()) : (table.Title ?? table.ShortName),
                string.Join(" ", column.Path()), document.Value(cell.Id), cell.Kind.Unit,
            ];
        }
    }

    /// <summary>CSV text with a UTF-8 byte-order mark; fields quoted where needed (RFC 4180).</summary>
    public static byte[] Csv(IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        foreach (var row in rows.Prepend(CsvHeader))
            sb.Append(string.Join(",", row.Select(Quote))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
