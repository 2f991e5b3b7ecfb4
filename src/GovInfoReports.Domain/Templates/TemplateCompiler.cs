using System.Globalization;

namespace GovInfoReports.Domain.Templates;

/// <summary>Turns template data into a <see cref="ReportTemplate"/>: builds the header trees,
/// enumerates the cells and expands every rule over its columns, rows or cells. Any reference to
/// an unknown table, row, column or rule is a data error and fails loudly here, at start-up.</summary>
public static class TemplateCompiler
{
    /// <summary>Decimals a stored value can have (report_cells.value is numeric(18,4)).</summary>
    public const int MaxScale = 4;

    public static ReportTemplate Compile(TemplateDefinition definition)
    {
        var kinds = definition.CellKinds.ToDictionary(
            kv => kv.Key,
            kv => new CellKind(kv.Key, kv.Value.Label, kv.Value.Unit, kv.Value.Scale,
                decimal.Parse(kv.Value.Max, CultureInfo.InvariantCulture)),
            StringComparer.Ordinal);

        foreach (var kind in kinds.Values.Where(k => k.Scale is < 0 or > MaxScale))
            throw new InvalidDataException($"Template {definition.Code}: cell kind {kind.Code} has {kind.Scale} decimals; values are stored with at most {MaxScale}.");
        var sections = definition.Sections.Select(s => CompileSection(s, kinds)).ToList();
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
        rules = rules.Select(r => r with
        {
            Cells = r.Kind == RuleKind.Cells ? r.Cells.Where(id => !computed.Contains(id)).ToList() : r.Cells,
        }).ToList();
        foreach (var id in definition.KeyFigures.Values.SelectMany(v => v).Where(id => !cellIds.Contains(id)))
            throw new InvalidDataException($"Template {definition.Code}: key figure cell {id} is not a cell.");
        foreach (var carry in definition.CarryOver)
            foreach (var row in new[] { carry.FromRow, carry.ToRow })
                if (!cells.Any(c => c.TableId == carry.Table && c.RowId == row))
                    throw new InvalidDataException($"Template {definition.Code}: carry-over row {carry.Table}.{row} does not exist.");
        foreach (var term in rules.SelectMany(r => r.Lhs.Concat(r.Rhs)).Where(t => !cellIds.Contains(t.CellId)))
            throw new InvalidDataException($"Template {definition.Code}: rule term {term.CellId} is not a cell.");
        return new ReportTemplate(definition, finalSections, cells, rules, kinds);
    }

    private static RuleTerm Single(IReadOnlyList<RuleTerm> terms, RuleDefinition rule) =>
        terms.Count == 1 ? terms[0]
            : throw new InvalidDataException($"Rule {rule.Id} computes a total, so its left side must be exactly one cell.");

    private static TemplateSection CompileSection(SectionDefinition s, IReadOnlyDictionary<string, CellKind> kinds)
    {
        var parts = s.Kind == SectionKind.Narrative
            ? (s.Parts ?? []).Select(p => new NarrativePart(p.Id, s.Id, p.Heading)).ToList()
            : [];
        var opening = s.Kind == SectionKind.Narrative && s.Opening is { } openingId ? new NarrativePart(openingId, s.Id, null) : null;
        foreach (var part in parts.Prepend(opening).OfType<NarrativePart>())
            if (!Reports.PartIds.IsValid(part.Id) || Reports.PartIds.SectionOf(part.Id) != s.Id)
                throw new InvalidDataException($"Section {s.Id}: part id '{part.Id}' must be '{s.Id}.' followed by lower-case letters and underscores.");
        var tables = s.Kind == SectionKind.Tables
            ? (s.Tables ?? []).Select(t => CompileTable(s.Id, t, kinds)).ToList()
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
        string sectionId, TableDefinition t, IReadOnlyDictionary<string, CellKind> kinds)
    {
        var columns = t.Columns.Select(n => BuildNode(n, 0, null)).ToList();
        var rows = t.Rows.Select(n => BuildNode(n, 0, null)).ToList();
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
            var colName = string.Join(" ", col.Path());
            var title = t.Title ?? t.ShortName;
            var accessible = rowName is null ? $"{title} {colName}" : $"{rowName}，{colName}";
            var shortLabel = !t.RowLabels ? col.ShortLabel
                : leafColumns.Count == 1 ? row.ShortLabel
                : $"{row.ShortLabel}{col.ShortLabel}";
            var id = TemplateTable.CellId(t.Id, row.Id!, col.Id!);
            cells.Add(new CellDefinition(id, sectionId, t.Id, row.Id!, col.Id!, kind, accessible, shortLabel, Computed: false));
        }

        return new TemplateTable
        {
            Id = t.Id, SectionId = sectionId, ShortName = t.ShortName, Title = t.Title, Note = t.Note,
            RowLabels = t.RowLabels, Columns = columns, Rows = rows, LeafColumns = leafColumns,
            LeafRows = leafRows, Cells = cells,
        };
    }

    private static HeaderNode BuildNode(HeaderNodeDefinition d, int depth, HeaderNode? parent)
    {
        var children = new List<HeaderNode>();
        var node = new HeaderNode
        {
            Id = d.Id, Label = d.Label, ShortLabel = d.ShortLabel ?? d.Label, Kind = d.Kind,
            Depth = depth, Parent = parent, Children = children,
        };
        children.AddRange((d.Children ?? []).Select(c => BuildNode(c, depth + 1, node)));
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
                yield return new RuleInstance
                {
                    Key = $"{rule.Id}:{section.Id}", RuleId = rule.Id, Severity = rule.Severity, Kind = rule.Kind, SectionId = section.Id,
                    TableId = "", TableName = "", ScopeLabel = section.Heading, Lhs = [], Op = RuleOperator.Eq, Rhs = [], Computes = false,
                    When = rule.When, Message = rule.Message, Source = rule.Source, Cells = [], Parts = section.DefaultOutline.Select(p => p.Id).ToList(),
                };
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

        var t = FindTable(template, rule.Table ?? throw Missing(rule, "table"), rule);
        var lhs = rule.Lhs ?? [];
        var rhs = rule.Rhs ?? [];
        switch (rule.ForEach)
        {
            case RuleScope.Column:
                foreach (var col in t.LeafColumns)
                {
                    RuleTerm Term(string rowId) => new(
                        CellOf(t, FindLeaf(t.LeafRows, rowId, rule).Id!, col.Id!), FindLeaf(t.LeafRows, rowId, rule).ShortLabel);
                    yield return Instance(rule, t, $"{rule.Id}:{col.Id}", Scope(rule, col.ShortLabel),
                        lhs.Select(Term).ToList(), rhs.Select(Term).ToList(), [], col.Id!);
                }
                break;
            case RuleScope.Row:
                foreach (var row in t.LeafRows)
                {
                    RuleTerm Term(string colId) => new(
                        CellOf(t, row.Id!, FindLeaf(t.LeafColumns, colId, rule).Id!), FindLeaf(t.LeafColumns, colId, rule).ShortLabel);
                    yield return Instance(rule, t, $"{rule.Id}:{row.Id}", Scope(rule, row.ShortLabel),
                        lhs.Select(Term).ToList(), rhs.Select(Term).ToList(), [], row.Id!);
                }
                break;
            default:
                RuleTerm CellTerm(string rowAndColumn)
                {
                    var id = $"{t.Id}.{rowAndColumn}";
                    var cell = t.Cells.FirstOrDefault(c => c.Id == id)
                        ?? throw new InvalidDataException($"Rule {rule.Id}: unknown cell {id}.");
                    return new RuleTerm(cell.Id, cell.ShortLabel);
                }
                yield return Instance(rule, t, rule.Id, Scope(rule, t.ShortName),
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
        SuppressedByKey = rule.SuppressedBy is null ? null
            : suppressedScope is null ? rule.SuppressedBy : $"{rule.SuppressedBy}:{suppressedScope}",
        When = rule.When, WhenFilled = rule.WhenFilled, Message = rule.Message, Source = rule.Source, Cells = cells,
    };

    private static string Scope(RuleDefinition rule, string label) => (rule.Scope ?? "{label}").Replace("{label}", label);

    private static TemplateTable FindTable(ReportTemplate template, string id, RuleDefinition rule) =>
        template.Sections.SelectMany(s => s.Tables).FirstOrDefault(t => t.Id == id)
        ?? throw new InvalidDataException($"Rule {rule.Id}: unknown table {id}.");

    private static HeaderNode FindLeaf(IReadOnlyList<HeaderNode> leaves, string id, RuleDefinition rule) =>
        leaves.FirstOrDefault(l => l.Id == id) ?? throw new InvalidDataException($"Rule {rule.Id}: unknown row or column {id}.");

    private static string CellOf(TemplateTable t, string rowId, string colId) => TemplateTable.CellId(t.Id, rowId, colId);

    private static InvalidDataException Missing(RuleDefinition rule, string what) => new($"Rule {rule.Id}: missing {what}.");
}
