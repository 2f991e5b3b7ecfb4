using System.Globalization;
using System.Text;
using System.Text.Json;
using Json.Pointer;
using Json.Schema;

namespace GovInfoReports.Web.Publishing;

/// <summary>
/// docs/report.schema.json (JSON Schema draft-07), the published contract of the open-data JSON, evaluated
/// in-process with JsonSchema.Net. The file is embedded into this assembly from docs/ at build time, so the
/// documented schema is the one that runs: the import checks incoming documents with it and the tests check
/// every export with it.
/// </summary>
public static class OpenDataSchema
{
    /// <summary>At most this many problems are listed; a document that wrong is best fixed from the first ones.</summary>
    public const int MaxProblems = 50;

    private const string ResourceName = "GovInfoReports.Web.report.schema.json";

    /// <summary>The schema text exactly as in docs/report.schema.json.</summary>
    public static string Text { get; } = ReadResource();

    private static readonly JsonElement SchemaDocument = JsonDocument.Parse(Text).RootElement.Clone();

    // Our own registry: the schema's $id is registered there, not in JsonSchema.Net's global one.
    private static readonly JsonSchema Schema = JsonSchema.FromText(Text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };

    /// <summary>
    /// Every way <paramref name="json"/> breaks the schema, one Chinese message each, naming the JSON path
    /// (e.g. <c>$.cells['apps.new.np']：不能小于0（现为-1）</c>); empty when the document is valid. Text that is
    /// not JSON gives the single message "不是有效的JSON：…".
    /// </summary>
    public static IReadOnlyList<string> Validate(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Validate(document.RootElement);
        }
        catch (JsonException e)
        {
            return [$"不是有效的JSON：{e.Message}"];
        }
    }

    /// <inheritdoc cref="Validate(string)"/>
    public static IReadOnlyList<string> Validate(JsonElement instance)
    {
        var results = Schema.Evaluate(instance, Evaluation);
        if (results.IsValid) return [];
        var problems = new List<string>();
        foreach (var node in (results.Details ?? []).Prepend(results))
        {
            if (node.Errors is null) continue;
            foreach (var keyword in node.Errors.Keys)
            {
                var problem = Describe(node, keyword, instance);
                if (!problems.Contains(problem)) problems.Add(problem);
            }
        }
        return problems.Count <= MaxProblems
            ? problems
            : [.. problems.Take(MaxProblems), $"……另有{problems.Count - MaxProblems}处不符合格式"];
    }

    private static string Describe(EvaluationResults node, string keyword, JsonElement root)
    {
        var segments = Segments(node.InstanceLocation);
        var value = node.InstanceLocation.Evaluate(root);
        // Without $ref the evaluation path is the path inside the schema document.
        var subschema = node.EvaluationPath.Evaluate(SchemaDocument);
        JsonElement? Rule() => subschema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty(keyword, out var r) ? r : null;
        var inPropertyNames = Segments(node.EvaluationPath) is [.., "propertyNames"];

        var message = keyword switch
        {
            // additionalProperties: false is reported as the failing false schema on the extra property
            "" or "false" => "格式中没有这一项",
            "required" when Rule() is { ValueKind: JsonValueKind.Array } required =>
                "缺少" + string.Join("、", required.EnumerateArray().Select(r => r.GetString()!)
                    .Where(r => value is not { ValueKind: JsonValueKind.Object } o || !o.TryGetProperty(r, out _)).Select(r => $"“{r}”")),
            "type" when Rule() is { } type =>
                $"应为{string.Join("或", (type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().ToArray() : [type]).Select(t => TypeName(t.GetString()!)))}，实为{KindName(value)}",
            "const" when Rule() is { } constant => $"应为 {constant.GetRawText()}，实为 {Shown(value)}",
            "enum" when Rule() is { } allowed => $"应为 {string.Join("、", allowed.EnumerateArray().Select(a => a.GetRawText()))} 之一，实为 {Shown(value)}",
            "pattern" when Rule() is { } pattern && inPropertyNames => $"名称“{Clip(segments[^1])}”不符合格式 {pattern.GetString()}",
            "pattern" when Rule() is { } pattern => $"“{Clip(value?.GetString() ?? "")}”不符合格式 {pattern.GetString()}",
            "minimum" when Rule() is { } minimum => $"不能小于{minimum.GetRawText()}（现为{Shown(value)}）",
            "maximum" when Rule() is { } maximum => $"不能大于{maximum.GetRawText()}（现为{Shown(value)}）",
            "minLength" when Rule() is { } length => length.GetInt32() == 1 ? "不能为空" : $"至少{length.GetInt32()}个字符",
            _ => $"不符合格式（{keyword}）",
        };
        return $"{PathOf(segments, root)}：{message}";
    }

    /// <summary>JSONPath of a location: <c>$.metadata.title</c>, <c>$.cells['apps.new.np']</c>.</summary>
    private static string PathOf(IReadOnlyList<string> segments, JsonElement root)
    {
        var path = new StringBuilder("$");
        JsonElement? at = root;
        foreach (var segment in segments)
        {
            if (at is { ValueKind: JsonValueKind.Array } array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                path.Append('[').Append(segment).Append(']');
                at = index < array.GetArrayLength() ? array[index] : null;
                continue;
            }
            path.Append(Member(segment));
            at = at is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(segment, out var child) ? child : null;
        }
        return path.ToString();
    }

    /// <summary>One member in that notation: <c>.title</c>, or <c>['apps.new.np']</c> when not an identifier.</summary>
    internal static string Member(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? "." + name
            : "['" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";

    /// <summary>The reference tokens of a JSON Pointer (RFC 6901: ~1 is /, ~0 is ~).</summary>
    private static string[] Segments(JsonPointer pointer)
    {
        var text = pointer.ToString();
        return text.Length == 0
            ? []
            : [.. text[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static string TypeName(string type) => type switch
    {
        "object" => "对象", "array" => "数组", "string" => "文本", "number" => "数字", "integer" => "整数",
        "boolean" => "true/false", "null" => "null", _ => type,
    };

    private static string KindName(JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.Object => "对象", JsonValueKind.Array => "数组", JsonValueKind.String => "文本",
        JsonValueKind.Number => "数字", JsonValueKind.True or JsonValueKind.False => "true/false", _ => "null",
    };

    private static string Shown(JsonElement? value) => value is { } v ? Clip(v.GetRawText()) : "（无）";

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string ReadResource()
    {
        using var stream = typeof(OpenDataSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded (GovInfoReports.Web.csproj embeds docs/report.schema.json).");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
