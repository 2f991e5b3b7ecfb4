namespace GovInfoReports.Domain.Templates;

/// <summary>
/// A compiled template version: the single source of every section, table, cell, label and rule
/// that forms, validators and renderers use. Built from a <see cref="TemplateDefinition"/> by
/// <see cref="TemplateCompiler"/>.
/// </summary>
public sealed class ReportTemplate
{
    internal ReportTemplate(
        TemplateDefinition definition,
        IReadOnlyList<TemplateSection> sections,
        IReadOnlyList<CellDefinition> cells,
        IReadOnlyList<RuleInstance> rules,
        IReadOnlyDictionary<string, CellKind> kinds,
        IReadOnlyList<NarrativeCheck>? narrativeChecks = null)
    {
        NarrativeChecks = narrativeChecks ?? [];
        Definition = definition;
        Sections = sections;
        Cells = cells;
        CellsById = cells.ToDictionary(c => c.Id, StringComparer.Ordinal);
        Tables = sections.SelectMany(s => s.Tables).ToDictionary(t => t.Id, StringComparer.Ordinal);
        Rules = rules;
        Kinds = kinds;
        NarrativeParts = sections.SelectMany(s => s.DefaultOutline).ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    public TemplateDefinition Definition { get; }
    public string Code => Definition.Code;
    public string Name => Definition.Name;
    public string Basis => Definition.Basis;
    public IReadOnlyList<TemplateSection> Sections { get; }
    public IReadOnlyDictionary<string, TemplateTable> Tables { get; }
    public IReadOnlyList<CellDefinition> Cells { get; }
    public IReadOnlyDictionary<string, CellDefinition> CellsById { get; }
    /// <summary>Every part of the template's default outlines (openings and recommended parts) by id. A report's
    /// own parts (<see cref="Reports.Report.Parts()"/>) start as these and may differ: never print from here.</summary>
    public IReadOnlyDictionary<string, NarrativePart> NarrativeParts { get; }
    public IReadOnlyList<RuleInstance> Rules { get; }
    /// <summary>The compiled narrative-number checks (<see cref="NarrativeCheckDefinition"/>); empty when the format has none.</summary>
    public IReadOnlyList<NarrativeCheck> NarrativeChecks { get; }
    public IReadOnlyDictionary<string, CellKind> Kinds { get; }

    /// <summary>The ids of the cells a government's 全辖区 report takes as the sum over its units' reports (汇总,
    /// template-spec §11; the template's <see cref="ConsolidationDefinition"/>): typed cells only, never a computed
    /// total (recomputed from them) nor a stock such as 现行有效件数 unless the template lists it. Empty when the format
    /// sums nothing.</summary>
    public IReadOnlySet<string> SummableCells { get; internal init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Where <see cref="SummableCells"/> comes from (the template's consolidation source), or null.</summary>
    public string? ConsolidationSource => Definition.Consolidation?.Source;
    public IReadOnlyDictionary<string, string> InputMessages => Definition.InputMessages;
    /// <summary>See <see cref="TemplateDefinition.LabelVariants"/>.</summary>
    public IReadOnlyDictionary<string, string> LabelVariants => Definition.LabelVariants;
    /// <summary>The statutory deadline of a kind of agency for the report of <paramref name="year"/> (due in year+1).</summary>
    public Reports.Deadline StatutoryDeadline(Agencies.AgencyKind kind, int year)
    {
        var rule = Definition.Deadlines.Single(d => d.AgencyKinds.Contains(kind));
        return new Reports.Deadline(new DateOnly(year + 1, rule.Month, rule.Day), rule.Basis);
    }

    /// <summary>The metadata fields in the form's order (labels, limits, hints).</summary>
    public IReadOnlyList<MetadataFieldDefinition> MetadataFields => Definition.Metadata.Fields;
    public MetadataFieldDefinition MetadataField(string id) => Definition.Metadata.Fields.Single(f => f.Id == id);

    /// <summary>The cover lines of the printed document for these metadata: label and text, in the template's order;
    /// dates print as 2024年1月1日, and a line whose fields are all blank is left out.</summary>
    public IEnumerable<(string Label, string Value)> Cover(Reports.ReportMetadata metadata)
    {
        foreach (var line in Definition.Metadata.Cover)
        {
            var fields = TemplateCompiler.CoverFields(line.Value).ToList();
            if (fields.All(f => string.IsNullOrWhiteSpace(metadata.Text(f)))) continue;
            var value = line.Value;
            foreach (var f in fields)
                value = value.Replace("{" + f + "}", f switch
                {
                    Reports.ReportMetadata.PeriodStartField => Reports.BeijingTime.Date(metadata.PeriodStart),
                    Reports.ReportMetadata.PeriodEndField => Reports.BeijingTime.Date(metadata.PeriodEnd),
                    _ => metadata.Text(f) ?? "",
                }, StringComparison.Ordinal);
            yield return (line.Label, value);
        }
    }

    /// <summary>The words of the version line and the version history (labels, 更正说明).</summary>
    public VersionWordsDefinition VersionWords => Definition.Metadata.Versions;

    /// <summary>The cover's version line for a published <paramref name="version"/> (1, 2, …) dated
    /// <paramref name="date"/> (as printed, e.g. 2025年1月20日), or, with a null version, the draft preview's.</summary>
    public string VersionLine(int? version, string date) =>
        version is { } v ? Fill(VersionWords.Published, ("version", v), ("date", date)) : VersionWords.Draft;

    /// <summary>What a reader of <paramref name="version"/> is told when <paramref name="latest"/> is newer.</summary>
    public string NotLatestNotice(int version, int latest) => Fill(VersionWords.NotLatest, ("version", version), ("latest", latest));

    /// <summary>A metadata message of the template with its placeholders filled ({label}, {max}, …).</summary>
    public string MetadataMessage(string key, params (string Name, object Value)[] values) =>
        Fill(Definition.Metadata.Messages[key], values);

    /// <summary>Fills the <c>{name}</c> placeholders of a template message (numbers written invariantly).</summary>
    public static string Fill(string text, params (string Name, object Value)[] values)
    {
        foreach (var (name, value) in values)
            text = text.Replace("{" + name + "}", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return text;
    }

    public bool AppliesTo(int year) =>
        (Definition.FirstYear is not { } first || year >= first) &&
        (Definition.LastYear is not { } last || year <= last);

    public TemplateSection? FindSection(string id) => Sections.FirstOrDefault(s => s.Id == id);
}

/// <summary>What a cell holds and how typed text is read: <paramref name="Unit"/> is the unit values are stored and
/// summed in (件, 万元), <paramref name="Scale"/> its decimals, <paramref name="Max"/> the largest magnitude.</summary>
public sealed record CellKind(string Code, string Label, string Unit, int Scale, decimal Max)
{
    /// <summary>Whether negative values are allowed (2019 本年增/减).</summary>
    public bool Signed { get; init; }

    /// <summary>The units a clerk must choose between for this kind (empty: always <see cref="Unit"/>).</summary>
    public IReadOnlyList<UnitChoice> Units { get; init; } = [];

    public UnitChoice? FindUnit(string? code) => Units.FirstOrDefault(u => u.Code == code);
}

/// <summary>A unit a clerk may choose (see <see cref="UnitChoiceDefinition"/>): a typed value v in this unit is
/// v / 10^Shift in the kind's normalised unit, exactly (元 → 万元: Shift 4; 2 decimals of 元 = 6 of 万元).</summary>
public sealed record UnitChoice(string Code, string Label, int Scale, int Shift);

public sealed class TemplateSection
{
    public required string Id { get; init; }
    public required string Number { get; init; }
    public required string Heading { get; init; }
    public required SectionKind Kind { get; init; }
    /// <summary>Whether the document prints <see cref="Heading"/>; see <see cref="SectionDefinition.PrintHeading"/>.</summary>
    public bool PrintHeading { get; init; } = true;
    /// <summary>The agency may leave the section blank; see <see cref="SectionDefinition.Optional"/>.</summary>
    public bool Optional { get; init; }
    public required int MaxLength { get; init; }
    public string? Guidance { get; init; }
    /// <summary>The free opening part (no heading), if the section has one.</summary>
    public NarrativePart? Opening { get; init; }
    /// <summary>The recommended parts, with their recommended headings.</summary>
    public required IReadOnlyList<NarrativePart> Parts { get; init; }
    /// <summary>The outline a new report starts with: <see cref="Opening"/>, then <see cref="Parts"/>.</summary>
    public IReadOnlyList<NarrativePart> DefaultOutline => Opening is { } opening ? [opening, .. Parts] : Parts;
    public required TableLayoutKind Layout { get; init; }
    public string? LabelHeader { get; init; }
    public int GridColumns { get; init; }
    public required IReadOnlyList<TemplateTable> Tables { get; init; }
}

public sealed record NarrativePart(string Id, string SectionId, string? Heading);

public sealed class TemplateTable
{
    public required string Id { get; init; }
    public required string SectionId { get; init; }
    public required string ShortName { get; init; }
    public string? Title { get; init; }
    public string? Note { get; init; }
    public required bool RowLabels { get; init; }
    public required IReadOnlyList<HeaderNode> Columns { get; init; }
    public required IReadOnlyList<HeaderNode> Rows { get; init; }
    public required IReadOnlyList<HeaderNode> LeafColumns { get; init; }
    public required IReadOnlyList<HeaderNode> LeafRows { get; init; }
    public required IReadOnlyList<CellDefinition> Cells { get; init; }

    public static string CellId(string tableId, string rowId, string columnId) => $"{tableId}.{rowId}.{columnId}";
}

public sealed class HeaderNode
{
    public string? Id { get; init; }
    public required string Label { get; init; }
    public required string ShortLabel { get; init; }
    public string? Kind { get; init; }
    public bool NotApplicable { get; init; }
    /// <summary>What the clerk can read about this row or column next to its label (text and source), or null.</summary>
    public HelpDefinition? Help { get; init; }
    public required int Depth { get; init; }
    public HeaderNode? Parent { get; internal set; }
    public required IReadOnlyList<HeaderNode> Children { get; init; }
    public bool IsLeaf => Children.Count == 0;
    public int LeafCount => IsLeaf ? 1 : Children.Sum(c => c.LeafCount);

    public IEnumerable<HeaderNode> Leaves() => IsLeaf ? [this] : Children.SelectMany(c => c.Leaves());

    /// <summary>Labels from the top of the tree down to this node.</summary>
    public IEnumerable<string> Path()
    {
        var chain = new List<string>();
        for (var n = this; n is not null; n = n.Parent) chain.Add(n.Label);
        chain.Reverse();
        return chain;
    }
}

public sealed record CellDefinition(
    string Id,
    string SectionId,
    string TableId,
    string RowId,
    string ColumnId,
    CellKind Kind,
    string AccessibleName,
    string ShortLabel,
    bool Computed)
{
    /// <summary>Part of the printed grid but structurally not applicable: blank, never enterable, never 0.</summary>
    public bool NotApplicable { get; init; }

    /// <summary>The explanation of the cell's row (<see cref="HeaderNode.Help"/> of its leaf row), or null.</summary>
    public HelpDefinition? RowHelp { get; init; }

    /// <summary>The explanation of the cell's column (<see cref="HeaderNode.Help"/> of its leaf column), or null.</summary>
    public HelpDefinition? ColumnHelp { get; init; }

    /// <summary>Whether a clerk types this cell (neither a computed total nor not applicable).</summary>
    public bool Enterable => !Computed && !NotApplicable;
}

/// <summary>One term of a linear rule: a cell, its label as messages print it, and how it enters the sum.</summary>
/// <param name="CellId">The cell (full id, e.g. <c>apps.carry_out.np</c>).</param>
/// <param name="Label">The cell's short label; for a <paramref name="Previous"/> term prefixed with 上年.</param>
public sealed record RuleTerm(string CellId, string Label)
{
    /// <summary>+1, or −1 for a term written <c>-cell</c> in the template (X2: 上年现行有效 + 本年制发 − 本年废止).</summary>
    public int Sign { get; init; } = 1;

    /// <summary>The value is last year's report's value of <see cref="CellId"/> (a term written <c>last:cell</c>), not this
    /// report's: the rule is a cross-year rule (spec §9) and is judged only when last year's value is known.</summary>
    public bool Previous { get; init; }
}

/// <summary>One concrete check: a template rule expanded for one column, row or cell set.</summary>
public sealed record RuleInstance
{
    public required string Key { get; init; }
    public required string RuleId { get; init; }
    public required Severity Severity { get; init; }
    public required RuleKind Kind { get; init; }
    public required string SectionId { get; init; }
    public required string TableId { get; init; }
    public required string TableName { get; init; }
    public required string ScopeLabel { get; init; }
    public required IReadOnlyList<RuleTerm> Lhs { get; init; }
    public required RuleOperator Op { get; init; }
    public required IReadOnlyList<RuleTerm> Rhs { get; init; }
    public required bool Computes { get; init; }
    /// <summary>Keys of rule instances whose violation hides this one (it would say nothing new): the
    /// <see cref="RuleDefinition.SuppressedBy"/> rule's instance, and for the <see cref="RuleDefinition.ImpliedColumn"/>
    /// the instances of every other column. Empty: always reported.</summary>
    public IReadOnlyList<string> SuppressedByKeys { get; init; } = [];
    public RuleCondition? When { get; init; }
    /// <summary>See <see cref="RuleDefinition.WhenFilled"/>.</summary>
    public bool WhenFilled { get; init; }
    public required string Message { get; init; }
    public required string Source { get; init; }
    /// <summary>For <see cref="RuleKind.Cells"/> rules: the cells that must be filled.</summary>
    public required IReadOnlyList<string> Cells { get; init; }
    /// <summary>For <see cref="RuleKind.Ratio"/> rules: the factor (≥ 2) between this year's and last year's value of the
    /// cell at and above which the rule fires, e.g. 100 for a value typed in 元 into a 万元 cell.</summary>
    public decimal Factor { get; init; }
    /// <summary>For <see cref="RuleKind.Texts"/> rules with a content test: see <see cref="RuleDefinition.MinLength"/>,
    /// <see cref="RuleDefinition.Empty"/> and <see cref="RuleDefinition.Mentions"/>.</summary>
    public TextTest? TextTest { get; init; }
    /// <summary>Whether the rule reads last year's report (a <see cref="RuleTerm.Previous"/> term, or a ratio rule):
    /// it is judged only when last year's values are given, and never by the import's digit-run solver.</summary>
    public bool NeedsPrevious => Kind == RuleKind.Ratio || Lhs.Any(t => t.Previous) || Rhs.Any(t => t.Previous);
    /// <summary>For <see cref="RuleKind.Texts"/> rules: the template's default parts of the section. The rule
    /// itself reads the report's own parts of <see cref="SectionId"/>, whatever the agency named them.</summary>
    public IReadOnlyList<string> Parts { get; init; } = [];
}

/// <summary>A compiled narrative-number check (<see cref="NarrativeCheckDefinition"/>): its cells resolved to terms labelled
/// as rule messages label them (e.g. 表三 一总计), its message chosen (the check's own, else the format's default for
/// its unit). The browser's twin (Entry/Assets/js/narrative.js) reads these as they are serialised.</summary>
public sealed record NarrativeCheck(
    string Id,
    IReadOnlyList<string> Terms,
    IReadOnlyList<string> NotAfter,
    IReadOnlyList<string> Between,
    string Unit,
    IReadOnlyList<RuleTerm> Cells,
    IReadOnlyList<RuleTerm> Denominator,
    string Label,
    IReadOnlyList<string> Sections,
    Severity Severity,
    string Message,
    NarrativeSoftCheck? Soft,
    string Source)
{
    /// <summary>Whether the check compares a percentage (a ratio of sums × 100) rather than a sum.</summary>
    public bool IsRatio => Denominator.Count > 0;
}

/// <summary>The compiled <see cref="NarrativeSoftDefinition"/>.</summary>
public sealed record NarrativeSoftCheck(IReadOnlyList<RuleTerm> Cells, Severity Severity, string Message);
