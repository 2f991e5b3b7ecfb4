using System.Text.Json;
using System.Text.Json.Serialization;

namespace GovInfoReports.Domain.Templates;

// The JSON shape of a template file (Templates/*.json). These records are the raw data;
// TemplateCompiler turns them into a ReportTemplate with cells and expanded rule instances.

public sealed record TemplateDefinition
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string Basis { get; init; }
    public int? FirstYear { get; init; }
    public int? LastYear { get; init; }
    public required Dictionary<string, CellKindDefinition> CellKinds { get; init; }
    public required Dictionary<string, string> InputMessages { get; init; }
    public required List<SectionDefinition> Sections { get; init; }
    public required List<RuleDefinition> Rules { get; init; }
    /// <summary>Rows whose values a new report takes from last year's report (e.g. 上年结转 ← 结转下年度).</summary>
    public List<CarryOverDefinition> CarryOver { get; init; } = [];
    /// <summary>The cells summed for each key figure shown year over year (the public agency chart).</summary>
    public Dictionary<string, List<string>> KeyFigures { get; init; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static TemplateDefinition Parse(string json) =>
        JsonSerializer.Deserialize<TemplateDefinition>(json, JsonOptions)
        ?? throw new InvalidDataException("Empty template definition.");
}

public sealed record CellKindDefinition
{
    public required string Label { get; init; }
    public required string Unit { get; init; }
    public required int Scale { get; init; }
    public required string Max { get; init; }
}

public enum SectionKind { Narrative, Tables }

public enum TableLayoutKind { Grid, Blocks }

public sealed record SectionDefinition
{
    public required string Id { get; init; }
    public required string Number { get; init; }
    public required string Heading { get; init; }
    public required SectionKind Kind { get; init; }
    /// <summary>Whether the document prints <see cref="Heading"/> (false for the pre-2019 free form, whose
    /// whole text is one narrative section headed only by the agency's own part headings).</summary>
    public bool PrintHeading { get; init; } = true;
    /// <summary>A section the agency may leave entirely blank (the pre-2019 key-figure sheet): the document
    /// omits it when none of its cells is filled. It carries no completeness rule.</summary>
    public bool Optional { get; init; }
    public int? MaxLength { get; init; }
    public string? Guidance { get; init; }
    /// <summary>Id of the free opening part of a narrative section (the paragraph before （一）), which has
    /// no heading; null when the section has none.</summary>
    public string? Opening { get; init; }
    /// <summary>The recommended parts with their recommended headings: the outline a new report starts
    /// with (after <see cref="Opening"/>). The clerk may keep, rename, remove, reorder or add parts.</summary>
    public List<NarrativePartDefinition>? Parts { get; init; }
    public TableLayoutKind Layout { get; init; } = TableLayoutKind.Grid;
    public string? LabelHeader { get; init; }
    public int GridColumns { get; init; }
    public List<TableDefinition>? Tables { get; init; }
}

public sealed record NarrativePartDefinition
{
    public required string Id { get; init; }
    public string? Heading { get; init; }
}

public sealed record TableDefinition
{
    public required string Id { get; init; }
    public required string ShortName { get; init; }
    public string? Title { get; init; }
    public required string Kind { get; init; }
    public string? Note { get; init; }
    public bool RowLabels { get; init; } = true;
    public required List<HeaderNodeDefinition> Columns { get; init; }
    public required List<HeaderNodeDefinition> Rows { get; init; }
}

public sealed record HeaderNodeDefinition
{
    public string? Id { get; init; }
    public required string Label { get; init; }
    public string? ShortLabel { get; init; }
    public string? Kind { get; init; }
    public List<HeaderNodeDefinition>? Children { get; init; }
}

/// <summary>Linear: an (in)equality over cells. Cells: every typed cell filled and valid. Texts: a narrative
/// section is not left empty (server only: the browser evaluator works on cells).</summary>
public enum RuleKind { Linear, Cells, Texts }

public enum RuleScope { None, Column, Row }

public enum Severity { Error, Warning, Info }

public enum RuleOperator { Eq, Le, Ge }

public sealed record RuleDefinition
{
    public required string Id { get; init; }
    public required Severity Severity { get; init; }
    public required RuleKind Kind { get; init; }
    public string? Table { get; init; }
    public List<string>? Tables { get; init; }
    public List<string>? Sections { get; init; }
    public RuleScope ForEach { get; init; } = RuleScope.None;
    public bool Computes { get; init; }
    public string? SuppressedBy { get; init; }
    public RuleCondition? When { get; init; }
    /// <summary>Checked only when each side has at least one filled cell (the optional pre-2019 key-figure
    /// sheet, where an agency may give a total without its breakdown).</summary>
    public bool WhenFilled { get; init; }
    public List<string>? Lhs { get; init; }
    public RuleOperator Op { get; init; } = RuleOperator.Eq;
    public List<string>? Rhs { get; init; }
    public string? Scope { get; init; }
    public required string Message { get; init; }
    public required string Source { get; init; }
}

/// <summary>A rule applies only when a flag of the report's context (e.g. the agency's
/// 规章 power) has the given value.</summary>
public sealed record RuleCondition
{
    public required string Context { get; init; }
    [JsonPropertyName("equals")]
    public required bool Is { get; init; }
}

public sealed record CarryOverDefinition
{
    public required string Table { get; init; }
    public required string FromRow { get; init; }
    public required string ToRow { get; init; }
}
