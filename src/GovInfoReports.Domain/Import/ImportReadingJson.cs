using System.Text.Encodings.Web;
using System.Text.Json;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Import;

/// <summary>
/// The one JSON document <c>--import-report &lt;file&gt; --dry-run</c> prints (a stable interface, issue 10):
/// <c>{"format": "2021"|"2019"|"pre2019", "year": 2022|null, "cells": {"&lt;cell id&gt;": number|null}, "ambiguous":
/// {"&lt;cell id&gt;": [candidates]}, "texts": {"&lt;part id&gt;": "…"}, "metadata": {…}, "violations": [{"rule", "severity":
/// "error"|"warning"|"info", "cells", "message"}], "unplaced": ["…"]}</c>, plus what explains them: <c>formatEvidence</c>,
/// <c>yearEvidence</c>, <c>inferred</c> (cells split out of digit runs by the rules), <c>cellUnits</c>, <c>parts</c>
/// (headings) and <c>problems</c>. Numbers are in the cell kind's unit (件, 万元), exactly as read.
/// </summary>
public static class ImportReadingJson
{
    public static string Write(ImportReading reading)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", reading.Format);
            w.WriteString("formatEvidence", reading.FormatEvidence);
            if (reading.Year is { } year) w.WriteNumber("year", year); else w.WriteNull("year");
            w.WriteString("yearEvidence", reading.YearEvidence);
            w.WriteStartObject("cells");
            foreach (var (id, cell) in reading.Cells.OrderBy(c => c.Key, StringComparer.Ordinal))
                if (cell.Value is { } v) w.WriteNumber(id, v); else w.WriteNull(id);
            w.WriteEndObject();
            w.WriteStartObject("ambiguous");
            foreach (var (id, cell) in reading.Cells.Where(c => c.Value.Origin == CellOrigin.Ambiguous).OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                w.WriteStartArray(id);
                foreach (var candidate in cell.Candidates) w.WriteNumberValue(candidate);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteStartArray("inferred");
            foreach (var id in reading.Cells.Where(c => c.Value.Origin == CellOrigin.Inferred).Select(c => c.Key).Order(StringComparer.Ordinal)) w.WriteStringValue(id);
            w.WriteEndArray();
            w.WriteStartObject("cellUnits");
            foreach (var (id, cell) in reading.Cells.Where(c => c.Value.Unit is not null).OrderBy(c => c.Key, StringComparer.Ordinal)) w.WriteString(id, cell.Unit);
            w.WriteEndObject();
            w.WriteStartObject("texts");
            foreach (var part in reading.Parts) w.WriteString(part.Id, part.Text);
            w.WriteEndObject();
            w.WriteStartArray("parts");
            foreach (var part in reading.Parts)
            {
                w.WriteStartObject();
                w.WriteString("id", part.Id);
                if (part.Heading is null) w.WriteNull("heading"); else w.WriteString("heading", part.Heading);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("metadata");
            var m = reading.Metadata;
            void Text(string name, string? value) { if (value is null) w.WriteNull(name); else w.WriteString(name, value); }
            Text("title", m.Title);
            Text("periodStart", m.PeriodStart?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            Text("periodEnd", m.PeriodEnd?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            Text("unitsCovered", m.UnitsCovered);
            Text("publicationPlace", m.PublicationPlace);
            Text("contact", m.Contact);
            w.WriteEndObject();
            w.WriteStartArray("violations");
            foreach (var v in reading.Violations)
            {
                w.WriteStartObject();
                w.WriteString("rule", v.RuleId);
                w.WriteString("severity", Name(v.Severity));
                w.WriteStartArray("cells");
                foreach (var c in v.Cells) w.WriteStringValue(c);
                w.WriteEndArray();
                w.WriteString("message", v.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("unplaced");
            foreach (var (line, text) in reading.Unplaced) w.WriteStringValue($"第{line}行：{text}");
            w.WriteEndArray();
            w.WriteStartArray("problems");
            foreach (var p in reading.Problems)
            {
                w.WriteStartObject();
                w.WriteString("severity", Name(p.Severity));
                w.WriteString("message", p.Message);
                if (p.LineNumber is { } n) w.WriteNumber("line", n);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Name(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };
}
