using System.Globalization;

namespace GovInfoReports.Domain.Templates;

/// <summary>Turns template data into a <see cref="ReportTemplate"/>: builds the header trees,
/// enumerates the cells and expands every rule over its columns, rows or cells. Any reference to
/// an unknown table, row, column or rule is a data error and fails loudly here, at start-up.</summary>
public static class TemplateCompiler
{
    /// <summary>Decimals a stored value can have: 万元 exact to the 分 is 6 decimals (0.000001 万元 = 0.01 元).
    /// report_cells.value and snapshot_cells.value are numeric with a CHECK that scale(value) ≤ 6.</summary>
    public const int MaxScale = 6;

    /// <summary>The longest help text, in characters: 1–3 short sentences that fit a popover on a phone.</summary>
    public const int MaxHelpTextLength = 200;

    /// <summary>The longest help source, in characters (e.g. 《政府信息公开条例》第三十六条第（四）项、第（五）项).</summary>
    public const int MaxHelpSourceLength = 60;

    public static ReportTemplate Compile(TemplateDefinition definition)
    {
        var kinds = definition.CellKinds.ToDictionary(
            kv => kv.Key,
            kv => new CellKind(kv.Key, kv.Value.Label, kv.Value.Unit, kv.Value.Scale,
                decimal.Parse(kv.Value.Max, CultureInfo.InvariantCulture))
            {
                Signed = kv.Value.Signed,
                Units = kv.Value.Units.Select(u => new UnitChoice(u.Code, u.Label, u.Scale, u.Shift)).ToList(),
            },
            StringComparer.Ordinal);

        foreach (var kind in kinds.Values.Where(k => k.Scale is < 0 or > MaxScale))
            throw new InvalidDataException($"Template {definition.Code}: cell kind {kind.Code} has {kind.Scale} decimals; values are stored with at most {MaxScale}.");
        // A value typed in a chosen unit is stored normalised (divided by 10^Shift): it must still fit the stored decimals.
        foreach (var kind in kinds.Values)
            foreach (var unit in kind.Units.Where(u => u.Scale < 0 || u.Shift < 0 || u.Scale + u.Shift > kind.Scale))
                throw new InvalidDataException($"Template {definition.Code}: unit {unit.Code} of cell kind {kind.Code} needs {unit.Scale + unit.Shift} decimals in {kind.Unit}; the kind has {kind.Scale}.");
        CheckHelp(definition);
        var usedHelp = new HashSet<string>(StringComparer.Ordinal);
        HelpDefinition? ResolveHelp(string? key, string tableId, string label)
        {
            if (key is null) return null;
            if (!definition.Help.TryGetValue(key, out var help))
                throw new InvalidDataException($"Template {definition.Code}: '{label}' of table {tableId} names unknown help '{key}'.");
            usedHelp.Add(key);
            return help;
        }
        var sections = definition.Sections.Select(s => CompileSection(s, kinds, ResolveHelp)).ToList();
        // An entry nobody names is a typo in a key or a row that was removed: either way the data is wrong.
        foreach (var key in definition.Help.Keys.Where(k => !usedHelp.Contains(k)))
            throw new InvalidDataException($"Template {definition.Code}: help '{key}' is not named by any row or column.");
        var provisional = new ReportTemplate(definition, sections, [], [], kinds);
        var computed = new HashSet<string>(StringComparer.Ordinal);
        var rules = new List<RuleInstance>();
        foreach (var rule in definition.Rules)
        {
            var expanded = Expand(rule, provisional).ToList();
            if (rule.Computes) computed.UnionWith(expanded.Select(r => Single(r.Lhs, rule).CellId));
            rules.AddRange(expanded);
        }

        var ruleIds = definition.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        if (ruleIds.Count != definition.Rules.Count)
            throw new InvalidDataException($"Template {definition.Code}: rule ids must be unique.");
        foreach (var rule in definition.Rules.Where(r => r.SuppressedBy is not null && !ruleIds.Contains(r.SuppressedBy)))
            throw new InvalidDataException($"Template {definition.Code}: rule {rule.Id} is suppressed by unknown rule {rule.SuppressedBy}.");

        // Mark the cells that entry derives (totals): they are shown read-only and never typed.
        var finalSections = sections.Select(s => WithComputed(s, computed)).ToList();
        var cells = finalSections.SelectMany(s => s.Tables).SelectMany(t => t.Cells).ToList();
        var cellIds = cells.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        // Completeness rules ask only for the cells a clerk types: not totals, not not-applicable cells.
        var notApplicable = cells.Where(c => c.NotApplicable).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        rules = rules.Select(r => r with
        {
            Cells = r.Kind == RuleKind.Cells ? r.Cells.Where(id => !computed.Contains(id) && !notApplicable.Contains(id)).ToList() : r.Cells,
        }).ToList();
        static IEnumerable<HeaderNode> Flatten(HeaderNode n) => n.Children.SelectMany(Flatten).Prepend(n);
        var labels = sections.SelectMany(s => s.Tables).SelectMany(t => t.Rows.Concat(t.Columns))
            .SelectMany(Flatten).Select(n => n.Label).ToList();
        foreach (var (variant, wording) in definition.LabelVariants)
            if (string.IsNullOrWhiteSpace(variant) || !labels.Any(l => l.Contains(wording, StringComparison.Ordinal)))
                throw new InvalidDataException($"Template {definition.Code}: label variant “{variant}” names “{wording}”, which no row or column label contains.");
        if (notApplicable.Count > 0 && !definition.InputMessages.ContainsKey("notApplicable"))
            throw new InvalidDataException($"Template {definition.Code}: not-applicable cells need the input message 'notApplicable'.");
        if (kinds.Values.Any(k => k.Units.Count > 0) && !definition.InputMessages.ContainsKey("unitMissing"))
            throw new InvalidDataException($"Template {definition.Code}: a unit choice needs the input message 'unitMissing'.");
        foreach (var term in rules.SelectMany(r => r.Lhs.Concat(r.Rhs)).Where(t => notApplicable.Contains(t.CellId)))
            throw new InvalidDataException($"Template {definition.Code}: rule term {term.CellId} is a not-applicable cell.");
        foreach (var id in definition.KeyFigures.Values.SelectMany(v => v).Where(id => !cellIds.Contains(id)))
            throw new InvalidDataException($"Template {definition.Code}: key figure cell {id} is not a cell.");
        if (definition.KeyFigures.Count > 0)
            foreach (var key in TemplateDefinition.KeyFigureLabelKeys.Where(k => !definition.KeyFigureLabels.ContainsKey(k)))
                throw new InvalidDataException($"Template {definition.Code}: key figure label {key} is missing.");
        if (definition.CarryOver.Count > 0 && string.IsNullOrWhiteSpace(definition.CarryOverNotice))
            throw new InvalidDataException($"Template {definition.Code}: carryOverNotice is missing.");
        foreach (var carry in definition.CarryOver)
            foreach (var row in new[] { carry.FromRow, carry.ToRow })
                if (!cells.Any(c => c.TableId == carry.Table && c.RowId == row))
                    throw new InvalidDataException($"Template {definition.Code}: carry-over row {carry.Table}.{row} does not exist.");
        foreach (var rule in rules.Where(r => r.Computes && r.Lhs.Concat(r.Rhs).Any(t => t.Sign < 0 || t.Previous)))
            throw new InvalidDataException($"Template {definition.Code}: rule {rule.Key} computes a total, so it can neither subtract nor read last year.");
        foreach (var term in rules.SelectMany(r => r.Lhs.Concat(r.Rhs)).Where(t => !cellIds.Contains(t.CellId)))
            throw new InvalidDataException($"Template {definition.Code}: rule term {term.CellId} is not a cell.");
        CheckMetadata(definition);
        CheckDeadlines(definition);
        CheckSimilarity(definition);
        var narrativeChecks = CompileNarrativeChecks(definition, finalSections, cells);
        return new ReportTemplate(definition, finalSections, cells, rules, kinds, narrativeChecks)
        {
            SummableCells = CompileConsolidation(definition, cells),
        };
    }

    /// <summary>Resolves the consolidation's cell patterns (<see cref="ConsolidationDefinition"/>) to the typed cells they
    /// name. A pattern is table.row.column with * for a whole row or column; totals a pattern matches are left out (they
    /// are recomputed), while a total or a not-applicable cell named explicitly, a pattern matching no typed cell, or a
    /// missing source fails at start-up.</summary>
    private static HashSet<string> CompileConsolidation(TemplateDefinition definition, IReadOnlyList<CellDefinition> cells)
    {
        var summable = new HashSet<string>(StringComparer.Ordinal);
        if (definition.Consolidation is not { } data) return summable;
        InvalidDataException Fail(string what) => new($"Template {definition.Code}: consolidation {what}.");
        if (string.IsNullOrWhiteSpace(data.Source)) throw Fail("has no source");
        if (data.Cells.Count == 0) throw Fail("sums no cell");
        foreach (var pattern in data.Cells)
        {
            var parts = pattern.Split('.');
            if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace) || parts[0] == "*")
                throw Fail($"cell '{pattern}' is not table.row.column (the row or the column may be *)");
            var matched = cells.Where(c => c.TableId == parts[0] && (parts[1] == "*" || c.RowId == parts[1]) && (parts[2] == "*" || c.ColumnId == parts[2])).ToList();
            if (parts[1] != "*" && parts[2] != "*" && matched is [{ Enterable: false } named])
                throw Fail($"names {pattern}, {(named.Computed ? "a computed total (recomputed from the summed cells, never summed)" : "a not-applicable cell")}");
            var typed = matched.Where(c => c.Enterable).Select(c => c.Id).ToList();
            if (typed.Count == 0) throw Fail($"cell '{pattern}' matches no cell a clerk types");
            summable.UnionWith(typed);
        }
        return summable;
    }

    /// <summary>The units a narrative-number check may compare: counts, amounts in 万元 (a number in 元 is converted),
    /// percentages.</summary>
    public static readonly IReadOnlyList<string> NarrativeUnits = ["件", "万元", "%"];

    /// <summary>Resolves and checks the narrative-number checks: unique ids, terms, a known unit matching the cells'
    /// kind, filled cells that exist and are applicable, a denominator exactly for percentages, narrative sections, and
    /// messages with {quote}, {stated} and {value}. Any mistake fails at start-up.</summary>
    private static List<NarrativeCheck> CompileNarrativeChecks(TemplateDefinition definition, IReadOnlyList<TemplateSection> sections, IReadOnlyList<CellDefinition> cells)
    {
        if (definition.NarrativeChecks is not { } data) return [];
        var byId = cells.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var tables = sections.SelectMany(s => s.Tables).ToDictionary(t => t.Id, StringComparer.Ordinal);
        var result = new List<NarrativeCheck>();
        InvalidDataException Fail(string id, string what) => new($"Template {definition.Code}: narrative check {id} {what}.");
        List<RuleTerm> Terms(string id, IEnumerable<string> ids, string unit) => ids.Select(cellId =>
        {
            if (!byId.TryGetValue(cellId, out var cell)) throw Fail(id, $"names {cellId}, which is not a cell");
            if (cell.NotApplicable) throw Fail(id, $"names the not-applicable cell {cellId}");
            if (unit != "%" && cell.Kind.Unit != unit) throw Fail(id, $"compares {unit} with {cellId} in {cell.Kind.Unit}");
            // 三（七）总计 in the 总计 column reads 三（七）总计, not 三（七）总计总计.
            var table = tables[cell.TableId];
            var row = table.LeafRows.First(r => r.Id == cell.RowId).ShortLabel;
            var column = table.LeafColumns.First(c => c.Id == cell.ColumnId).ShortLabel;
            var label = table.RowLabels && table.LeafColumns.Count > 1 && row.EndsWith(column, StringComparison.Ordinal) ? row : cell.ShortLabel;
            return new RuleTerm(cellId, $"{table.ShortName} {label}");
        }).ToList();
        void Placeholders(string id, string message)
        {
            foreach (var p in new[] { "{quote}", "{stated}", "{value}" }.Where(p => !message.Contains(p, StringComparison.Ordinal)))
                throw Fail(id, $"has a message without {p}");
        }
        Placeholders("message", data.Message);
        Placeholders("ratioMessage", data.RatioMessage);
        foreach (var c in data.Checks)
        {
            if (string.IsNullOrWhiteSpace(c.Id) || result.Any(r => r.Id == c.Id)) throw Fail(c.Id, "has no id or one already used");
            if (c.Terms.Count == 0 || c.Terms.Concat(c.NotAfter).Concat(c.Between).Any(string.IsNullOrWhiteSpace)) throw Fail(c.Id, "has no term or a blank word");
            if (!NarrativeUnits.Contains(c.Unit)) throw Fail(c.Id, $"has unit {c.Unit}; known: {string.Join(" ", NarrativeUnits)}");
            if (c.Cells.Count == 0) throw Fail(c.Id, "compares no cell");
            if ((c.Unit == "%") != (c.Denominator.Count > 0)) throw Fail(c.Id, "needs a denominator exactly when its unit is %");
            if (string.IsNullOrWhiteSpace(c.Label) || string.IsNullOrWhiteSpace(c.Source)) throw Fail(c.Id, "has no label or no source");
            foreach (var s in c.Sections.Where(s => sections.FirstOrDefault(x => x.Id == s) is not { Kind: SectionKind.Narrative }))
                throw Fail(c.Id, $"scans {s}, which is not a narrative section");
            if (c.Sections.Count == 0) throw Fail(c.Id, "scans no section");
            var message = c.Message ?? (c.Unit == "%" ? data.RatioMessage : data.Message);
            Placeholders(c.Id, message);
            NarrativeSoftCheck? soft = null;
            if (c.Soft is { } s2)
            {
                if (c.Unit == "%") throw Fail(c.Id, "is a percentage and cannot have a soft alternative");
                if (!s2.Message.Contains("{quote}", StringComparison.Ordinal) || !s2.Message.Contains("{stated}", StringComparison.Ordinal))
                    throw Fail(c.Id, "has a soft message without {quote} or {stated}");
                soft = new NarrativeSoftCheck(Terms(c.Id, s2.Cells, c.Unit), s2.Severity, s2.Message);
            }
            result.Add(new NarrativeCheck(c.Id, c.Terms, c.NotAfter, c.Between, c.Unit, Terms(c.Id, c.Cells, c.Unit),
                Terms(c.Id, c.Denominator, c.Unit), c.Label, c.Sections, c.Severity, message, soft, c.Source));
        }
        return result;
    }

    /// <summary>The metadata block names every field of <see cref="Reports.ReportMetadata"/> exactly once, the cover
    /// refers only to those fields, and every message the form needs is there.</summary>
    private static void CheckMetadata(TemplateDefinition definition)
    {
        var ids = definition.Metadata.Fields.Select(f => f.Id).ToList();
        if (!ids.Order(StringComparer.Ordinal).SequenceEqual(Reports.ReportMetadata.FieldIds.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            throw new InvalidDataException($"Template {definition.Code}: metadata fields must be exactly {string.Join(", ", Reports.ReportMetadata.FieldIds)}, each once; found {string.Join(", ", ids)}.");
        foreach (var field in definition.Metadata.Fields.Where(f => f.MaxLength is <= 0))
            throw new InvalidDataException($"Template {definition.Code}: metadata field {field.Id} has a length of {field.MaxLength}.");
        foreach (var line in definition.Metadata.Cover)
            foreach (var name in CoverFields(line.Value).Where(n => !ids.Contains(n)))
                throw new InvalidDataException($"Template {definition.Code}: cover line {line.Label} names unknown field {name}.");
        foreach (var key in new[] { "required", "tooLong", "notDate", "periodOrder", "periodOutsideYear" }.Where(k => !definition.Metadata.Messages.ContainsKey(k)))
            throw new InvalidDataException($"Template {definition.Code}: metadata message {key} is missing.");
        var versions = definition.Metadata.Versions;
        foreach (var (name, text, placeholders) in new[]
                 {
                     ("label", versions.Label, Array.Empty<string>()), ("draft", versions.Draft, []),
                     ("correctionLabel", versions.CorrectionLabel, []), ("history", versions.History, []),
                     ("published", versions.Published, ["version", "date"]), ("notLatest", versions.NotLatest, ["version", "latest"]),
                 })
        {
            if (string.IsNullOrWhiteSpace(text))
                throw new InvalidDataException($"Template {definition.Code}: version words {name} are missing.");
            foreach (var placeholder in placeholders.Where(p => !text.Contains("{" + p + "}", StringComparison.Ordinal)))
                throw new InvalidDataException($"Template {definition.Code}: version words {name} lack {{{placeholder}}}.");
        }
    }

    /// <summary>Every help entry has a text and a source, each within its length (the JSON reader has already refused
    /// members other than text and source).</summary>
    private static void CheckHelp(TemplateDefinition definition)
    {
        foreach (var (key, help) in definition.Help)
        {
            foreach (var (name, value, max) in new[] { ("text", help.Text, MaxHelpTextLength), ("source", help.Source, MaxHelpSourceLength) })
            {
                if (string.IsNullOrWhiteSpace(value))
                    throw new InvalidDataException($"Template {definition.Code}: help '{key}' has no {name}.");
                if (value.Length > max)
                    throw new InvalidDataException($"Template {definition.Code}: help '{key}' has a {name} of {value.Length} characters; at most {max}.");
            }
        }
    }

    /// <summary>The similarity settings are usable: shingles of 2–10 characters, parts compared from at least one
    /// shingle's length, thresholds in (0, 1] with the reviewer's floor below both, every message with its
    /// placeholders, and a source.</summary>
    private static void CheckSimilarity(TemplateDefinition definition)
    {
        if (definition.Similarity is not { } s) return;
        string Bad(string what) => $"Template {definition.Code}: similarity {what}.";
        if (s.ShingleSize is < 2 or > 10) throw new InvalidDataException(Bad($"shingleSize {s.ShingleSize} is not 2–10"));
        if (s.MinLength < s.ShingleSize) throw new InvalidDataException(Bad($"minLength {s.MinLength} is shorter than a shingle"));
        if (s.HighlightMinLength < s.ShingleSize) throw new InvalidDataException(Bad($"highlightMinLength {s.HighlightMinLength} is shorter than a shingle"));
        foreach (var (name, value) in new[] { ("previousThreshold", s.PreviousThreshold), ("peerThreshold", s.PeerThreshold), ("shownFrom", s.ShownFrom) })
            if (!(value > 0 && value <= 1)) throw new InvalidDataException(Bad($"{name} {value} is not in (0, 1]"));
        if (s.ShownFrom > Math.Min(s.PreviousThreshold, s.PeerThreshold)) throw new InvalidDataException(Bad("shownFrom is above a threshold"));
        foreach (var (key, placeholders) in SimilarityDefinition.MessagePlaceholders)
        {
            if (!s.Messages.TryGetValue(key, out var message) || string.IsNullOrWhiteSpace(message))
                throw new InvalidDataException(Bad($"message {key} is missing"));
            foreach (var p in placeholders.Where(p => !message.Contains("{" + p + "}", StringComparison.Ordinal)))
                throw new InvalidDataException(Bad($"message {key} lacks {{{p}}}"));
        }
        foreach (var key in s.Messages.Keys.Where(k => !SimilarityDefinition.MessagePlaceholders.ContainsKey(k)))
            throw new InvalidDataException(Bad($"message {key} is not one the check uses"));
        if (string.IsNullOrWhiteSpace(s.Source)) throw new InvalidDataException(Bad("source is missing"));
    }

    /// <summary>Every kind of agency has exactly one statutory deadline, on a day that exists every year.</summary>
    private static void CheckDeadlines(TemplateDefinition definition)
    {
        foreach (var kind in Enum.GetValues<Agencies.AgencyKind>())
            if (definition.Deadlines.Count(d => d.AgencyKinds.Contains(kind)) != 1)
                throw new InvalidDataException($"Template {definition.Code}: agency kind {kind} needs exactly one statutory deadline.");
        foreach (var d in definition.Deadlines)
            if (d.Month is < 1 or > 12 || d.Day < 1 || d.Day > DateTime.DaysInMonth(2001, d.Month))
                throw new InvalidDataException($"Template {definition.Code}: deadline {d.Month}/{d.Day} is not a day of every year.");
    }

    /// <summary>The field ids a cover line's value refers to ({periodStart} …).</summary>
    public static IEnumerable<string> CoverFields(string value) =>
        System.Text.RegularExpressions.Regex.Matches(value, @"\{([A-Za-z]+)\}").Select(m => m.Groups[1].Value);

    private static RuleTerm Single(IReadOnlyList<RuleTerm> terms, RuleDefinition rule) =>
        terms.Count == 1 ? terms[0]
            : throw new InvalidDataException($"Rule {rule.Id} computes a total, so its left side must be exactly one cell.");

    private static TemplateSection CompileSection(SectionDefinition s, IReadOnlyDictionary<string, CellKind> kinds, HelpResolver help)
    {
        var parts = s.Kind == SectionKind.Narrative
            ? (s.Parts ?? []).Select(p => new NarrativePart(p.Id, s.Id, p.Heading)).ToList()
            : [];
        var opening = s.Kind == SectionKind.Narrative && s.Opening is { } openingId ? new NarrativePart(openingId, s.Id, null) : null;
        foreach (var part in parts.Prepend(opening).OfType<NarrativePart>())
            if (!Reports.PartIds.IsValid(part.Id) || Reports.PartIds.SectionOf(part.Id) != s.Id)
                throw new InvalidDataException($"Section {s.Id}: part id '{part.Id}' must be '{s.Id}.' followed by lower-case letters and underscores.");
        var tables = s.Kind == SectionKind.Tables
            ? (s.Tables ?? []).Select(t => CompileTable(s.Id, t, kinds, help)).ToList()
            : [];
        return new TemplateSection
        {
            Id = s.Id, Number = s.Number, Heading = s.Heading, Kind = s.Kind, PrintHeading = s.PrintHeading, Optional = s.Optional,
            MaxLength = s.MaxLength ?? 30_000, Guidance = s.Guidance, Opening = opening, Parts = parts,
            Layout = s.Layout, LabelHeader = s.LabelHeader, GridColumns = s.GridColumns, Tables = tables,
        };
    }

    private static TemplateSection WithComputed(TemplateSection s, HashSet<string> computed) => new()
    {
        Id = s.Id, Number = s.Number, Heading = s.Heading, Kind = s.Kind, PrintHeading = s.PrintHeading, Optional = s.Optional,
        MaxLength = s.MaxLength, Guidance = s.Guidance, Opening = s.Opening, Parts = s.Parts, Layout = s.Layout, LabelHeader = s.LabelHeader,
        GridColumns = s.GridColumns,
        Tables = s.Tables.Select(t => new TemplateTable
        {
            Id = t.Id, SectionId = t.SectionId, ShortName = t.ShortName, Title = t.Title, Note = t.Note,
            RowLabels = t.RowLabels, Columns = t.Columns, Rows = t.Rows, LeafColumns = t.LeafColumns,
            LeafRows = t.LeafRows,
            Cells = t.Cells.Select(c => c with { Computed = computed.Contains(c.Id) }).ToList(),
        }).ToList(),
    };

    private static TemplateTable CompileTable(
        string sectionId, TableDefinition t, IReadOnlyDictionary<string, CellKind> kinds, HelpResolver help)
    {
        var columns = t.Columns.Select(n => BuildNode(n, 0, null, d => help(d.Help, t.Id, d.Label))).ToList();
        var rows = t.Rows.Select(n => BuildNode(n, 0, null, d => help(d.Help, t.Id, d.Label))).ToList();
        var leafColumns = columns.SelectMany(c => c.Leaves()).ToList();
        var leafRows = rows.SelectMany(r => r.Leaves()).ToList();
        foreach (var leaf in leafColumns.Concat(leafRows).Where(l => l.Id is null))
            throw new InvalidDataException($"Table {t.Id}: leaf '{leaf.Label}' has no id.");

        var cells = new List<CellDefinition>();
        foreach (var row in leafRows)
        foreach (var col in leafColumns)
        {
            var kindCode = col.Kind ?? row.Kind ?? t.Kind;
            if (!kinds.TryGetValue(kindCode, out var kind))
                throw new InvalidDataException($"Table {t.Id}: unknown cell kind '{kindCode}'.");
            var rowName = t.RowLabels ? string.Join(" ", row.Path()) : null;
            // A not-applicable column prints no header; its short label names it for screen readers.
            var colName = col.Label.Length > 0 ? string.Join(" ", col.Path()) : col.ShortLabel;
            var title = t.Title ?? t.ShortName;
            var accessible = rowName is null ? $"{title} {colName}" : $"{rowName}，{colName}";
            var shortLabel = !t.RowLabels ? col.ShortLabel
                : leafColumns.Count == 1 ? row.ShortLabel
                : $"{row.ShortLabel}{col.ShortLabel}";
            var id = TemplateTable.CellId(t.Id, row.Id!, col.Id!);
            cells.Add(new CellDefinition(id, sectionId, t.Id, row.Id!, col.Id!, kind, accessible, shortLabel, Computed: false)
            {
                NotApplicable = col.NotApplicable || row.NotApplicable,
                RowHelp = t.RowLabels ? row.Help : null,
                ColumnHelp = col.Help,
            });
        }

        return new TemplateTable
        {
            Id = t.Id, SectionId = sectionId, ShortName = t.ShortName, Title = t.Title, Note = t.Note,
            RowLabels = t.RowLabels, Columns = columns, Rows = rows, LeafColumns = leafColumns,
            LeafRows = leafRows, Cells = cells,
        };
    }

    /// <summary>The help entry a row or column names (key, table id, label for the message), or null for none.</summary>
    private delegate HelpDefinition? HelpResolver(string? key, string tableId, string label);

    private static HeaderNode BuildNode(HeaderNodeDefinition d, int depth, HeaderNode? parent, Func<HeaderNodeDefinition, HelpDefinition?> help)
    {
        var children = new List<HeaderNode>();
        var node = new HeaderNode
        {
            Id = d.Id, Label = d.Label, ShortLabel = d.ShortLabel ?? d.Label, Kind = d.Kind,
            NotApplicable = d.NotApplicable, Help = help(d), Depth = depth, Parent = parent, Children = children,
        };
        children.AddRange((d.Children ?? []).Select(c => BuildNode(c, depth + 1, node, help)));
        return node;
    }

    private static IEnumerable<RuleInstance> Expand(RuleDefinition rule, ReportTemplate template)
    {
        if (rule.Kind == RuleKind.Texts)
        {
            foreach (var sectionId in rule.Sections ?? [])
            {
                var section = template.FindSection(sectionId) is { Kind: SectionKind.Narrative } s ? s
                    : throw new InvalidDataException($"Rule {rule.Id}: {sectionId} is not a narrative section.");
                var test = rule.MinLength is null && rule.Empty is null && rule.Mentions is null ? null
                    : new TextTest(rule.MinLength, rule.Empty ?? [], rule.Mentions ?? [], rule.Parts ?? [section.Id]);
                foreach (var read in test?.Parts ?? [])
                    if (template.FindSection(read.Contains('.', StringComparison.Ordinal) ? Reports.PartIds.SectionOf(read) : read) is not { Kind: SectionKind.Narrative })
                        throw new InvalidDataException($"Rule {rule.Id}: {read} is not a narrative section or part.");
                if (test?.Mentions.Count > 0 && !rule.Message.Contains("{missing}", StringComparison.Ordinal))
                    throw new InvalidDataException($"Rule {rule.Id}: a rule with mentions names the missing words ({{missing}}).");
                yield return new RuleInstance
                {
                    Key = $"{rule.Id}:{section.Id}", RuleId = rule.Id, Severity = rule.Severity, Kind = rule.Kind, SectionId = section.Id,
                    TableId = "", TableName = "", ScopeLabel = section.Heading, Lhs = [], Op = RuleOperator.Eq, Rhs = [], Computes = false,
                    When = rule.When, Message = rule.Message, Source = rule.Source, Cells = [], Parts = section.DefaultOutline.Select(p => p.Id).ToList(),
                    TextTest = test,
                };
            }
            yield break;
        }
        if (rule.Kind == RuleKind.Ratio)
        {
            if (rule.Factor is not { } factor || factor < 2)
                throw new InvalidDataException($"Rule {rule.Id}: a ratio rule needs a factor of at least 2.");
            foreach (var id in rule.Cells ?? throw Missing(rule, "cells"))
            {
                var cell = template.Sections.SelectMany(s => s.Tables).SelectMany(t => t.Cells).FirstOrDefault(c => c.Id == id)
                    ?? throw new InvalidDataException($"Rule {rule.Id}: unknown cell {id}.");
                var table = FindTable(template, cell.TableId, rule);
                yield return Instance(rule, table, $"{rule.Id}:{id}", Scope(rule, cell.ShortLabel),
                    [new RuleTerm(id, cell.ShortLabel)], [new RuleTerm(id, PreviousPrefix + cell.ShortLabel) { Previous = true }], [], null)
                    with { Factor = factor };
            }
            yield break;
        }
        if (rule.Kind == RuleKind.Cells)
        {
            foreach (var tableId in rule.Tables ?? [rule.Table ?? throw Missing(rule, "table")])
            {
                var table = FindTable(template, tableId, rule);
                yield return Instance(rule, table, $"{rule.Id}:{table.Id}", table.ShortName, [], [],
                    table.Cells.Select(c => c.Id).ToList(), suppressedScope: table.Id);
            }
            yield break;
        }

        // A linear rule over several tables (e.g. C2 over each 本年增/减 block) is expanded table by table; its keys
        // then name the table too, so they stay unique.
        var tableIds = rule.Tables is { Count: > 0 } list ? list : [rule.Table ?? throw Missing(rule, "table")];
        foreach (var tableId in tableIds)
        {
            var t = FindTable(template, tableId, rule);
            var prefix = rule.Tables is { Count: > 0 } ? $"{rule.Id}:{t.Id}" : rule.Id;
            foreach (var instance in ExpandLinear(rule, t, prefix)) yield return instance;
        }
    }

    private static IEnumerable<RuleInstance> ExpandLinear(RuleDefinition rule, TemplateTable t, string prefix)
    {
        var lhs = rule.Lhs ?? [];
        var rhs = rule.Rhs ?? [];
        var separator = prefix == rule.Id ? ":" : ".";
        switch (rule.ForEach)
        {
            case RuleScope.Column:
                var implied = rule.ImpliedColumn is { } impliedId ? FindLeaf(t.LeafColumns, impliedId, rule).Id : null;
                foreach (var col in t.LeafColumns)
                {
                    RuleTerm Term(string written) => ParseTerm(written, rowId => new(
                        CellOf(t, FindLeaf(t.LeafRows, rowId, rule).Id!, col.Id!), FindLeaf(t.LeafRows, rowId, rule).ShortLabel));
                    var instance = Instance(rule, t, $"{prefix}{separator}{col.Id}", Scope(rule, col.ShortLabel),
                        lhs.Select(Term).ToList(), rhs.Select(Term).ToList(), [], col.Id!);
                    yield return col.Id != implied ? instance : instance with
                    {
                        SuppressedByKeys = instance.SuppressedByKeys
                            .Concat(t.LeafColumns.Where(c => c.Id != implied).Select(c => $"{prefix}{separator}{c.Id}")).ToList(),
                    };
                }
                break;
            case RuleScope.Row:
                foreach (var row in t.LeafRows)
                {
                    RuleTerm Term(string written) => ParseTerm(written, colId => new(
                        CellOf(t, row.Id!, FindLeaf(t.LeafColumns, colId, rule).Id!), FindLeaf(t.LeafColumns, colId, rule).ShortLabel));
                    yield return Instance(rule, t, $"{prefix}{separator}{row.Id}", Scope(rule, row.ShortLabel),
                        lhs.Select(Term).ToList(), rhs.Select(Term).ToList(), [], row.Id!);
                }
                break;
            default:
                RuleTerm CellTerm(string written) => ParseTerm(written, rowAndColumn =>
                {
                    var id = $"{t.Id}.{rowAndColumn}";
                    var cell = t.Cells.FirstOrDefault(c => c.Id == id)
                        ?? throw new InvalidDataException($"Rule {rule.Id}: unknown cell {id}.");
                    return new RuleTerm(cell.Id, cell.ShortLabel);
                });
                yield return Instance(rule, t, prefix, Scope(rule, t.ShortName),
                    lhs.Select(CellTerm).ToList(), rhs.Select(CellTerm).ToList(), [], null);
                break;
        }
    }

    private static RuleInstance Instance(RuleDefinition rule, TemplateTable table, string key, string scope,
        IReadOnlyList<RuleTerm> lhs, IReadOnlyList<RuleTerm> rhs, IReadOnlyList<string> cells, string? suppressedScope) => new()
    {
        Key = key, RuleId = rule.Id, Severity = rule.Severity, Kind = rule.Kind, SectionId = table.SectionId,
        TableId = table.Id, TableName = table.ShortName, ScopeLabel = scope, Lhs = lhs, Op = rule.Op, Rhs = rhs,
        Computes = rule.Computes,
        SuppressedByKeys = rule.SuppressedBy is null ? []
            : [suppressedScope is null ? rule.SuppressedBy : $"{rule.SuppressedBy}:{suppressedScope}"],
        When = rule.When, WhenFilled = rule.WhenFilled, Message = rule.Message, Source = rule.Source, Cells = cells,
    };

    /// <summary>What a last-year term's label starts with in messages (上年四、结转下年度继续办理).</summary>
    public const string PreviousPrefix = "上年";

    /// <summary>A term as written in a linear rule: <c>row</c>, <c>-row</c> (subtracted) or <c>last:row</c> / <c>-last:row</c>
    /// (last year's report's value of the cell; spec §9 cross-year rules).</summary>
    private static RuleTerm ParseTerm(string written, Func<string, RuleTerm> cell)
    {
        var negative = written.StartsWith('-');
        var rest = negative ? written[1..] : written;
        var previous = rest.StartsWith("last:", StringComparison.Ordinal);
        var term = cell(previous ? rest["last:".Length..] : rest);
        return term with { Sign = negative ? -1 : 1, Previous = previous, Label = previous ? PreviousPrefix + term.Label : term.Label };
    }

    private static string Scope(RuleDefinition rule, string label) => (rule.Scope ?? "{label}").Replace("{label}", label);

    private static TemplateTable FindTable(ReportTemplate template, string id, RuleDefinition rule) =>
        template.Sections.SelectMany(s => s.Tables).FirstOrDefault(t => t.Id == id)
        ?? throw new InvalidDataException($"Rule {rule.Id}: unknown table {id}.");

    private static HeaderNode FindLeaf(IReadOnlyList<HeaderNode> leaves, string id, RuleDefinition rule) =>
        leaves.FirstOrDefault(l => l.Id == id) ?? throw new InvalidDataException($"Rule {rule.Id}: unknown row or column {id}.");

    private static string CellOf(TemplateTable t, string rowId, string colId) => TemplateTable.CellId(t.Id, rowId, colId);

    private static InvalidDataException Missing(RuleDefinition rule, string what) => new($"Rule {rule.Id}: missing {what}.");
}
