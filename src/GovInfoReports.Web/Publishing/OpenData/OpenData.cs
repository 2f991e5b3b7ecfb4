using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Web.Publishing;

/// <summary>
/// One published version of one report in the open-data JSON (format <c>govinforeports.report</c>, format
/// version 1; docs/open-data.md, docs/report.schema.json). The export writes exactly this record and the
/// import reads exactly this record, so the two cannot drift apart. The JSON is a stable public interface:
/// property names (camelCase of these members), their order (declaration order) and value formats are fixed.
/// </summary>
/// <param name="Format">Always <see cref="OpenData.FormatName"/>.</param>
/// <param name="FormatVersion">Always <see cref="OpenData.FormatVersion"/>.</param>
/// <param name="Template">Template code, e.g. "2021" (国办公开办函〔2021〕30号).</param>
/// <param name="PublishedAt">Publication instant, written in UTC to the second as <c>2025-03-01T02:00:00Z</c>.</param>
/// <param name="CorrectionNote">The 更正说明 of a version after the first, else null.</param>
/// <param name="Cells">Value of every filled cell by stable id <c>table.row.column</c> (totals included, blank cells
/// absent), in template order; written as JSON numbers without exponent or trailing zeros (8, 4.651), in 件 or 万元.</param>
/// <param name="Texts">Narrative parts by id (e.g. <c>s1.active</c>), in template order; paragraphs separated by \n.</param>
/// <param name="PdfSha256">Lower-case hex SHA-256 of the version's PDF.</param>
/// <param name="Parts">The narrative outline as the agency wrote it (every part, written or not, in order, with its
/// heading), added after format version 1 first shipped: written only when it differs from the template's
/// recommended outline, so a document without it, as every earlier one, has that outline.</param>
/// <param name="CellUnits">Added in format version 1 without changing any other field: for the cells whose kind lets
/// the agency choose the unit it printed (2019 format 采购总金额: "yuan" 元 or "wanyuan" 万元), that unit's code by
/// cell id, in template order; the value in <paramref name="Cells"/> stays in the kind's unit (万元). Absent when no
/// cell has a unit (every 2021 report), so earlier documents are written byte for byte as before.</param>
public sealed record OpenDataReport(
    string Format,
    int FormatVersion,
    string Template,
    OpenDataAgency Agency,
    int Year,
    int Version,
    [property: JsonConverter(typeof(UtcToTheSecondConverter))] DateTimeOffset PublishedAt,
    string? CorrectionNote,
    OpenDataMetadata Metadata,
    IReadOnlyDictionary<string, decimal> Cells,
    IReadOnlyDictionary<string, string> Texts,
    string? PdfSha256,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OpenDataPart>? Parts = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? CellUnits = null);

/// <summary>One narrative part of the outline: its id (as in <c>texts</c>), its section and its heading (null: none).</summary>
public sealed record OpenDataPart(string Id, string Section, string? Heading);

/// <summary>The agency as it was at publication: 统一社会信用代码, name, kind (enum name) and region.</summary>
public sealed record OpenDataAgency(
    string Code,
    string Name,
    [property: JsonConverter(typeof(JsonStringEnumConverter<AgencyKind>))] AgencyKind Kind,
    OpenDataRegion Region);

/// <summary>行政区划代码 (6 or 9 digits) and name of the agency's region at publication.</summary>
public sealed record OpenDataRegion(string Code, string Name);

/// <summary>The report's metadata; the statistical period is written as <c>yyyy-MM-dd</c>.</summary>
public sealed record OpenDataMetadata(
    string Title,
    string CompilingOffice,
    string? UnitsCovered,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string? PublicationPlace,
    string? Contact)
{
    public static OpenDataMetadata From(ReportMetadata m) =>
        new(m.Title, m.CompilingOffice, m.UnitsCovered, m.PeriodStart, m.PeriodEnd, m.PublicationPlace, m.Contact);

    public ReportMetadata ToReportMetadata() =>
        new(Title, CompilingOffice, UnitsCovered, PeriodStart, PeriodEnd, PublicationPlace, Contact);
}

/// <summary>
/// The open-data forms of a published report (docs/open-data.md, docs/report.schema.json): JSON with
/// cells by stable id (<see cref="OpenDataReport"/>), and CSV with one row per cell (UTF-8 with BOM, so Excel opens it).
/// </summary>
public static class OpenData
{
    public const string FormatName = "govinforeports.report";
    public const int FormatVersion = 1;

    /// <summary>How <see cref="OpenDataReport"/> is written and read: camelCase names, two-space indentation,
    /// Chinese written as is (not \u escapes), cell values as plain decimals; reading refuses duplicate
    /// properties, missing constructor members and nulls where the record has no null.
    /// Decimals are only cell values and DateOnly only the statistical period, so their converters apply globally.</summary>
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null, // cell and text ids are written exactly as the template spells them
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new CellValueConverter(), new IsoDateConverter() },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowDuplicateProperties = false,
    };

    /// <summary>The record of a published version: the agency's name, kind and region as they were at
    /// publication, the stored (never recomputed) cells, in template order.</summary>
    public static OpenDataReport Of(PublishedReport report)
    {
        var document = report.Document;
        var snapshot = report.Snapshot;
        var cells = new OrderedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var cell in report.Template.Cells.Where(c => document.Values.ContainsKey(c.Id)))
            cells.Add(cell.Id, document.Values[cell.Id]);
        var units = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var cell in report.Template.Cells.Where(c => cells.ContainsKey(c.Id) && document.Units.ContainsKey(c.Id)))
            units.Add(cell.Id, document.Units[cell.Id]);
        var texts = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        var outline = report.Template.Sections.Where(s => s.Kind == Domain.Templates.SectionKind.Narrative).SelectMany(document.PartsOf).ToList();
        foreach (var part in outline.Where(p => document.Texts.ContainsKey(p.Id)))
            texts.Add(part.Id, document.Texts[part.Id]);
        var recommended = report.Template.Sections.SelectMany(s => s.DefaultOutline).Select(p => (p.Id, p.Heading));
        var parts = outline.Select(p => (p.Id, p.Heading)).SequenceEqual(recommended) ? null
            : outline.Select(p => new OpenDataPart(p.Id, p.SectionId, p.Heading)).ToList();
        return new OpenDataReport(
            FormatName, FormatVersion, report.Template.Code,
            new OpenDataAgency(report.Agency.Code, snapshot.AgencyName, snapshot.AgencyKind, new OpenDataRegion(snapshot.RegionCode, snapshot.RegionName)),
            report.Year, snapshot.Version!.Value, snapshot.At, snapshot.CorrectionNote, OpenDataMetadata.From(snapshot.Metadata),
            cells, texts, snapshot.PdfSha256, parts, units.Count > 0 ? units : null);
    }

    public static string JsonText(PublishedReport report) => JsonSerializer.Serialize(Of(report), JsonOptions);

    /// <summary>Reads a document that <see cref="OpenDataSchema"/> has accepted.</summary>
    /// <exception cref="JsonException">A value the schema allows but the record cannot hold (a date that does not
    /// exist, a number beyond range); <see cref="JsonException.Path"/> names it, and an
    /// <see cref="OpenDataValueException"/> carries a Chinese message.</exception>
    public static OpenDataReport Read(JsonElement document) =>
        document.Deserialize<OpenDataReport>(JsonOptions) ?? throw new OpenDataValueException("应为一个JSON对象");

    public static readonly string[] CsvHeader = ["agency_code", "year", "version", "cell_id", "section", "row_label", "column_label", "value", "unit"];

    public static IEnumerable<string[]> CsvRows(PublishedReport report)
    {
        var document = report.Document;
        // A not-applicable cell (2019 format) is no cell of data: it has no row.
        foreach (var cell in report.Template.Cells.Where(c => !c.NotApplicable))
        {
            var table = report.Template.Tables[cell.TableId];
            var section = report.Template.FindSection(cell.SectionId)!;
            var row = table.LeafRows.Single(r => r.Id == cell.RowId);
            var column = table.LeafColumns.Single(c => c.Id == cell.ColumnId);
            yield return
            [
                report.Agency.Code, report.Year.ToString(CultureInfo.InvariantCulture), report.Snapshot.Version!.Value.ToString(CultureInfo.InvariantCulture),
                cell.Id, section.Heading, table.RowLabels ? string.Join(" ", row.Path()) : (table.Title ?? table.ShortName),
                string.Join(" ", column.Path()), document.Value(cell.Id), document.UnitLabel(cell),
            ];
        }
    }

    /// <summary>The cells' CSV (<see cref="CsvHeader"/>, then <paramref name="rows"/>): see <see cref="CsvTable"/>.</summary>
    public static byte[] Csv(IEnumerable<string[]> rows) => CsvTable(rows.Prepend(CsvHeader));

    /// <summary>CSV text with a UTF-8 byte-order mark; fields quoted where needed (RFC 4180); CRLF line ends. The rows
    /// include their header.</summary>
    public static byte[] CsvTable(IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        foreach (var row in rows)
            sb.Append(string.Join(",", row.Select(Quote))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}

/// <summary>A value of the open-data JSON that the record cannot hold, with a Chinese message (the path is
/// added by the serializer in <see cref="JsonException.Path"/>).</summary>
public sealed class OpenDataValueException(string message) : JsonException(message);

/// <summary>A cell value as the stored value's invariant text (8, 4.651: no exponent, no trailing zeros), the
/// same text the HTML and CSV show. Reading keeps the number as written; the template's cell kinds judge it.</summary>
internal sealed class CellValueConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value) ? value : throw new OpenDataValueException("不是可读取的数值");

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteRawValue(CellValueParser.FormatValue(value));
}

/// <summary>An instant in UTC to the second, <c>yyyy-MM-ddTHH:mm:ssZ</c> (the schema's publishedAt pattern).</summary>
internal sealed class UtcToTheSecondConverter : JsonConverter<DateTimeOffset>
{
    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
        && DateTimeOffset.TryParseExact(reader.GetString(), Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new OpenDataValueException("不是有效的UTC时间（应如 2025-03-01T02:00:00Z）");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUniversalTime().ToString(Pattern, CultureInfo.InvariantCulture));
}

/// <summary>A calendar date as <c>yyyy-MM-dd</c>; a date that does not exist (2024-02-30) is named in Chinese.</summary>
internal sealed class IsoDateConverter : JsonConverter<DateOnly>
{
    private const string Pattern = "yyyy-MM-dd";

    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
        && DateOnly.TryParseExact(reader.GetString(), Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new OpenDataValueException("不是有效的日期（应如 2024-12-31）");

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(Pattern, CultureInfo.InvariantCulture));
}
