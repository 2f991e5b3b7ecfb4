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
    /// <summary>Labels as agencies are known to print them differently (variant → the template's wording, e.g.
    /// 社会组织 → 社会公益组织, 其他法律法规禁止公开 → 其他法律行政法规禁止公开): read when a table pasted from a
    /// spreadsheet or a published report is matched to the template's rows and columns by label, never shown.</summary>
    public Dictionary<string, string> LabelVariants { get; init; } = [];
    /// <summary>Numbers stated in the narrative that name a cell or a total (收到…件, 上年结转, 行政复议, 答复率 …%), to be
    /// compared with the tables (template-spec §10 N1–N8, all inferred rules): see <see cref="NarrativeChecksDefinition"/>.
    /// Null: the format has none (the pre-2019 free form).</summary>
    public NarrativeChecksDefinition? NarrativeChecks { get; init; }
    /// <summary>What the reader of published reports needs to recognise this format: see <see cref="ImportDefinition"/>.</summary>
    public ImportDefinition Import { get; init; } = new();
    public required List<SectionDefinition> Sections { get; init; }
    public required List<RuleDefinition> Rules { get; init; }
    /// <summary>Rows whose values a new report takes from last year's report (e.g. 上年结转 ← 结转下年度).</summary>
    public List<CarryOverDefinition> CarryOver { get; init; } = [];
    /// <summary>What the clerk is told after a new report took cells from last year ({previousYear}, {count});
    /// required when <see cref="CarryOver"/> is not empty.</summary>
    public string? CarryOverNotice { get; init; }
    /// <summary>The statutory publication deadline of each kind of agency for the report years of this format (the
    /// 条例 in force when those reports fall due); regions may set earlier local dates (DeadlineOverride).</summary>
    public required List<DeadlineDefinition> Deadlines { get; init; }
    /// <summary>The report's metadata: its fields' words and limits and the document cover's lines.</summary>
    public required MetadataDefinition Metadata { get; init; }
    /// <summary>The cells summed for each key figure shown year over year (the public agency chart).</summary>
    public Dictionary<string, List<string>> KeyFigures { get; init; } = [];
    /// <summary>内容雷同 (spec X5): how narrative parts are compared with last year's report and with the same year's
    /// reports of the region, and what a clerk is told; null: no similarity check for this format.</summary>
    public SimilarityDefinition? Similarity { get; init; }
    /// <summary>The public words for the key figures (<c>received</c>, <c>disclosedShare</c>, <c>reviews</c>,
    /// <c>lawsuits</c>), in this format's vocabulary; required when the template has key figures.</summary>
    public Dictionary<string, string> KeyFigureLabels { get; init; } = [];
    /// <summary>The explanations a clerk can open next to a row label or column header, by key: each defined once
    /// and named by every row or column it explains (<see cref="HeaderNodeDefinition.Help"/>), e.g. the five
    /// 结果维持 columns of 表四 share one. Entry forms only: the published documents never print them.</summary>
    public Dictionary<string, HelpDefinition> Help { get; init; } = [];
    /// <summary>汇总: which cells of a government's 全辖区 report are the sum of its units' reports (see
    /// <see cref="ConsolidationDefinition"/>); null: no cell of this format is summed.</summary>
    public ConsolidationDefinition? Consolidation { get; init; }

    /// <summary>The keys <see cref="KeyFigureLabels"/> must name.</summary>
    public static readonly IReadOnlyList<string> KeyFigureLabelKeys = ["received", "disclosedShare", "reviews", "lawsuits"];

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

/// <summary>How a published report of this format is recognised when it is read back (spec §1 version detection).</summary>
public sealed record ImportDefinition
{
    /// <summary>Labels printed only in this format's tables (2021: 本年制发件数, 本年收费金额…; 2019: 本年新制作数量,
    /// 上一年项目数量…): the format whose markers a document holds most is the format it is read in.</summary>
    public List<string> Markers { get; init; } = [];
    /// <summary>Section headings as agencies print them besides the template's own (section id → headings, e.g. s4 →
    /// 四、因政府信息公开工作被申请行政复议、提起行政诉讼情况, the 条例's wording).</summary>
    public Dictionary<string, List<string>> HeadingVariants { get; init; } = [];
}

public sealed record CellKindDefinition
{
    public required string Label { get; init; }
    public required string Unit { get; init; }
    public required int Scale { get; init; }
    public required string Max { get; init; }
    /// <summary>Whether a value may be negative (the 2019 format's 本年增/减); its magnitude is bounded by Max.</summary>
    public bool Signed { get; init; }
    /// <summary>Units the clerk chooses between, as the agency printed the amount (2019 采购总金额: 元 or 万元).
    /// Empty: the value is always in <see cref="Unit"/>. Otherwise Unit is the normalised unit that sums and
    /// comparisons use, and each choice says how a typed value converts into it.</summary>
    public List<UnitChoiceDefinition> Units { get; init; } = [];
}

/// <summary>One unit a clerk may choose for a cell: its stored code, the word printed beside the value, the
/// decimals it allows (元 to the 分 = 2) and the power of ten by which a typed value is divided to give the
/// kind's normalised unit (元 → 万元: 4).</summary>
public sealed record UnitChoiceDefinition
{
    public required string Code { get; init; }
    public required string Label { get; init; }
    public required int Scale { get; init; }
    public int Shift { get; init; }
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
    /// <summary>A leaf whose cells are part of the printed grid but structurally not applicable: drawn blank,
    /// never enterable, never 0 (the 2019 format's third value column of blocks （八） and （九））.</summary>
    public bool NotApplicable { get; init; }
    /// <summary>The key of this row's or column's explanation in <see cref="TemplateDefinition.Help"/>, or null.</summary>
    public string? Help { get; init; }
    public List<HeaderNodeDefinition>? Children { get; init; }
}

/// <summary>
/// A short explanation of a row or column for the clerk: <c>Text</c> says in 1–3 plain sentences what belongs in
/// it (and what does not); <c>Source</c> names where that comes from, e.g. 《政府信息公开条例》第十六条第一款
/// (the 2019 条例, 国务院令第711号, for the 2019 and 2021 formats). Both are required; see
/// <see cref="TemplateCompiler.MaxHelpTextLength"/> and <see cref="TemplateCompiler.MaxHelpSourceLength"/>.
/// A member other than these two is refused when the template is read (a misspelt "sorce" must not pass silently).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HelpDefinition
{
    public required string Text { get; init; }
    public required string Source { get; init; }
}

/// <summary>Linear: an (in)equality over cells (of this report, or of last year's: <c>last:cell</c>). Cells: every typed
/// cell filled and valid. Texts: a narrative section is not left empty, or (with a content test) says something of
/// substance (server only: the browser evaluator works on cells). Ratio: a cell's value differs from last year's by a
/// factor of <see cref="RuleDefinition.Factor"/> or more (a unit mistake, 元 typed into 万元).</summary>
public enum RuleKind { Linear, Cells, Texts, Ratio }

public enum RuleScope { None, Column, Row }

public enum Severity { Error, Warning, Info }

public enum RuleOperator { Eq, Le, Ge }

public sealed record RuleDefinition
{
    public required string Id { get; init; }
    public required Severity Severity { get; init; }
    public required RuleKind Kind { get; init; }
    public string? Table { get; init; }
    /// <summary>Cells rules: the tables whose cells must be filled. Linear rules: the rule is expanded over each
    /// of these tables in turn (instead of <see cref="Table"/>), e.g. C2 over every 本年增/减 block.</summary>
    public List<string>? Tables { get; init; }
    public List<string>? Sections { get; init; }
    public RuleScope ForEach { get; init; } = RuleScope.None;
    public bool Computes { get; init; }
    public string? SuppressedBy { get; init; }
    /// <summary>A per-column rule's column that is the row sum of the others (表三 总计, which A2 computes): its
    /// instance holds whenever every other column's holds, so it is reported only when none of theirs is. One
    /// mistake in a column is then listed once, not again under 总计.</summary>
    public string? ImpliedColumn { get; init; }
    public RuleCondition? When { get; init; }
    /// <summary>Checked only when each side has at least one filled cell (the optional pre-2019 key-figure
    /// sheet, where an agency may give a total without its breakdown).</summary>
    public bool WhenFilled { get; init; }
    public List<string>? Lhs { get; init; }
    public RuleOperator Op { get; init; } = RuleOperator.Eq;
    public List<string>? Rhs { get; init; }
    public string? Scope { get; init; }
    /// <summary>Ratio rules: the cells compared with last year's (full ids, e.g. <c>a20_8.fees.amount</c>).</summary>
    public List<string>? Cells { get; init; }
    /// <summary>Ratio rules: the factor at and above which the rule fires (see <see cref="RuleInstance.Factor"/>).</summary>
    public decimal? Factor { get; init; }
    /// <summary>Texts rules: the section's text, without whitespace and punctuation, must be at least this long (五 of
    /// "无" or "暂无" says nothing). Null: only emptiness is checked.</summary>
    public int? MinLength { get; init; }
    /// <summary>Texts rules: whole texts that say nothing (e.g. 无, 暂无, 没有), compared without whitespace and punctuation.</summary>
    public List<string>? Empty { get; init; }
    /// <summary>Texts rules: what the texts read must mention, each at least once (条例 art. 50(四): 工作考核, 社会评议,
    /// 责任追究); an entry may give alternatives separated by | (责任追究|追责|问责), and a missing entry is named in the
    /// message ({missing}) by its first word.</summary>
    public List<string>? Mentions { get; init; }
    /// <summary>Texts rules: the part ids the test reads (default: every part of the section), e.g. s1.oversight.</summary>
    public List<string>? Parts { get; init; }
    public required string Message { get; init; }
    public required string Source { get; init; }
}

/// <summary>A content test of a Texts rule (see <see cref="RuleDefinition.MinLength"/>, <see cref="RuleDefinition.Empty"/>,
/// <see cref="RuleDefinition.Mentions"/>, <see cref="RuleDefinition.Parts"/>).</summary>
public sealed record TextTest(int? MinLength, IReadOnlyList<string> Empty, IReadOnlyList<string> Mentions, IReadOnlyList<string> Parts)
{
    /// <summary>Whether the test reads the part <paramref name="partId"/>: it names the part, or the part's section (a section
    /// id reads every part of it, whatever the agency named them).</summary>
    public bool Reads(string partId) =>
        Parts.Any(p => p == partId || (Reports.PartIds.IsValid(partId) && p == Reports.PartIds.SectionOf(partId)));
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

/// <summary>The metadata block of a template: one entry per field of <see cref="Reports.ReportMetadata"/>
/// (all of <see cref="Reports.ReportMetadata.FieldIds"/>, in the form's order), the lines of the printed cover, and
/// the form's messages.</summary>
public sealed record MetadataDefinition
{
    public required List<MetadataFieldDefinition> Fields { get; init; }
    public required List<CoverLineDefinition> Cover { get; init; }
    /// <summary>The words of the version line printed with the cover and of the public version history.</summary>
    public required VersionWordsDefinition Versions { get; init; }
    /// <summary>Messages with placeholders: <c>required</c> ({label}), <c>tooLong</c> ({label}, {max}, {length}),
    /// <c>notDate</c> ({example}), <c>periodOrder</c>, <c>periodOutsideYear</c> ({year}).</summary>
    public required Dictionary<string, string> Messages { get; init; }
}

/// <summary>One metadata field. <c>Label</c> is the short statutory term (audit, review diff, messages);
/// <c>FormLabel</c>, when given, is the longer label of the entry form. <c>MaxLength</c> is in characters
/// (字) and may not exceed what the database stores. <c>Example</c> is shown in a date field's message.</summary>
public sealed record MetadataFieldDefinition
{
    public required string Id { get; init; }
    public required string Label { get; init; }
    public string? FormLabel { get; init; }
    public string? Hint { get; init; }
    public string? Example { get; init; }
    public bool Required { get; init; }
    public int? MaxLength { get; init; }
    public bool Multiline { get; init; }
}

/// <summary>A line of the document's cover (below the title): a label and a value built from fields, e.g.
/// <c>{"label": "统计期", "value": "{periodStart}至{periodEnd}"}</c> (dates print as 2024年1月1日). A line
/// whose fields are all blank is not printed.</summary>
public sealed record CoverLineDefinition
{
    public required string Label { get; init; }
    public required string Value { get; init; }
}

/// <summary>The words that say which version of a report a document is (国办公开办函〔2021〕30号 asks for a
/// correction to be published as such): <c>Label</c> heads the cover's version line, whose value is
/// <c>Published</c> ({version}, {date}) or, for a draft preview, <c>Draft</c>; <c>CorrectionLabel</c> heads the
/// 更正说明 a later version carries; <c>NotLatest</c> ({version}, {latest}) tells a reader of an older version that
/// a newer one exists; <c>History</c> heads the list of versions.</summary>
public sealed record VersionWordsDefinition
{
    public required string Label { get; init; }
    public required string Published { get; init; }
    public required string Draft { get; init; }
    public required string CorrectionLabel { get; init; }
    public required string NotLatest { get; init; }
    public required string History { get; init; }
}

/// <summary>A statutory deadline: the agencies of <c>AgencyKinds</c> publish the report of year Y by
/// <c>Month</c>/<c>Day</c> of year Y+1; <c>Basis</c> is the Chinese citation shown beside the date.</summary>
public sealed record DeadlineDefinition
{
    public required List<Agencies.AgencyKind> AgencyKinds { get; init; }
    public required int Month { get; init; }
    public required int Day { get; init; }
    public required string Basis { get; init; }
}

/// <summary>
/// The narrative-number checks of a format: <c>Message</c> is the default message of a count or amount check and
/// <c>RatioMessage</c> of a percentage check; placeholders <c>{quote}</c> (the sentence around the number, the number
/// in 【】), <c>{stated}</c> (the number as stated, with its unit), <c>{value}</c> (the table's value in the same
/// unit), <c>{label}</c> (the check's label) and <c>{cells}</c> (the cells compared, each with its value).
/// </summary>
public sealed record NarrativeChecksDefinition
{
    public required string Message { get; init; }
    public required string RatioMessage { get; init; }
    public required List<NarrativeCheckDefinition> Checks { get; init; }
}

/// <summary>
/// One narrative-number check. A number followed by <c>Unit</c> (件; 万元, where a number in 元 counts as 1/10000 万元;
/// or %) is this check's when, in the same clause (text between ，；。！？ and line ends), the nearest term of any
/// check that precedes it is one of <c>Terms</c>, not directly after one of <c>NotAfter</c> (不予受理, 按时答复率); with
/// <c>Between</c>, one of those words must also lie between the previous number of the clause and this one (制发 …
/// 规范性文件 … N 件). Each occurrence of a term takes only the first such number. The number must equal the sum of
/// <c>Cells</c> (all filled; blank cells are not compared), or for a percentage the ratio of <c>Cells</c> to
/// <c>Denominator</c> × 100, rounded to the decimals stated. <c>Sections</c> are the narrative sections scanned.
/// <c>Soft</c>: the number equals another sum (新收 + 上年结转) that is a known confusion, reported with its own,
/// softer message and severity instead. <c>Source</c>: where the rule comes from (推定规则 + what it rests on).
/// </summary>
public sealed record NarrativeCheckDefinition
{
    public required string Id { get; init; }
    public required List<string> Terms { get; init; }
    public List<string> NotAfter { get; init; } = [];
    public List<string> Between { get; init; } = [];
    public required string Unit { get; init; }
    public required List<string> Cells { get; init; }
    public List<string> Denominator { get; init; } = [];
    public required string Label { get; init; }
    public required List<string> Sections { get; init; }
    public Severity Severity { get; init; } = Severity.Warning;
    public string? Message { get; init; }
    public NarrativeSoftDefinition? Soft { get; init; }
    public required string Source { get; init; }
}

/// <summary>A known confusion of a narrative-number check: the stated number equals the sum of <c>Cells</c> instead.</summary>
public sealed record NarrativeSoftDefinition
{
    public required List<string> Cells { get; init; }
    public Severity Severity { get; init; } = Severity.Info;
    public required string Message { get; init; }
}

/// <summary>
/// 内容雷同 (spec X5; 国办公开办函〔2021〕30号 （四）明确责任: "发布内容不准确不全面或者内容雷同、敷衍塞责"). Each narrative
/// part of at least <see cref="MinLength"/> letters and digits (short parts such as “无” are never compared) is compared
/// with the parts of the same agency's previous-year report and of the same year's reports of agencies in the same
/// region, as sets of <see cref="ShingleSize"/>-character shingles (Jaccard index, see
/// <see cref="Reports.Similarity.TextSimilarity"/>). A part at or above <see cref="PreviousThreshold"/> (last year) or
/// <see cref="PeerThreshold"/> (a peer) is a violation of <see cref="Severity"/> (a warning needs a 说明); a report
/// identical to last year's in every cell and paragraph is one violation of its own. Reviewers see every match from
/// <see cref="ShownFrom"/> up, with shared passages of at least <see cref="HighlightMinLength"/> characters marked.
/// Thresholds are fractions in (0, 1]. <see cref="Messages"/>: <c>previous</c> ({part}, {year}, {percent}),
/// <c>peer</c> ({part}, {agency}, {year}, {percent}) and <c>identical</c> ({year}). Every template must use the
/// same shingle size (stored fingerprints are compared across formats).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SimilarityDefinition
{
    public required int ShingleSize { get; init; }
    public required int MinLength { get; init; }
    public required int HighlightMinLength { get; init; }
    public required double PreviousThreshold { get; init; }
    public required double PeerThreshold { get; init; }
    public required double ShownFrom { get; init; }
    public required Severity Severity { get; init; }
    public required Dictionary<string, string> Messages { get; init; }
    public required string Source { get; init; }

    /// <summary>The message keys and the placeholders each must contain.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> MessagePlaceholders = new Dictionary<string, string[]>
    {
        ["previous"] = ["part", "year", "percent"],
        ["peer"] = ["part", "agency", "year", "percent"],
        ["identical"] = ["year"],
    };
}

/// <summary>
/// Which cells of a government's 全辖区 report are the sum over its units' reports (template-spec §11 汇总: each numeric
/// cell of 二/三/四 of the government report = Σ over the included organ reports; 重庆市人民政府办公厅 2019, S6: the 区县
/// report "汇总本区域内所有编制主体的工作情况和数据"). <c>Cells</c> are cell ids (table.row.column) in which the row or
/// the column may be <c>*</c> (<c>apps.*.*</c>, <c>a20_1.*.issued</c>). A computed total a pattern matches is left
/// out: it is recomputed from the summed cells, never summed; naming one explicitly, or a not-applicable cell, or a
/// pattern that matches no cell a clerk types, is a data error. A cell not listed is not summed: stocks such as 现行有效件数
/// (2021 <c>a20_1.*.in_force</c>) or the 2019 上一年项目数量 describe the state of each unit's own documents or items,
/// not the year's work, and stay the government's own figure. <c>Source</c> says where the choice comes from.
/// A member other than these two is refused when the template is read.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ConsolidationDefinition
{
    public required List<string> Cells { get; init; }
    public required string Source { get; init; }
}
