using System.Collections.Concurrent;
using System.Text.Json;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Web.Entry;

/// <summary>
/// The compiled template as the browser's rule evaluator (wwwroot/js/rules.js) reads it: cell kinds,
/// input messages, cells and expanded rule instances. The JS holds no cell id or label of its own.
/// </summary>
/// <param name="LabelVariants">Label wordings agencies print (variant → the template's), for matching a pasted
/// table's rows and columns (Entry/Assets/js/paste.js); also served in /templates/{code}.json.</param>
public sealed record ClientTemplate(
    string Code,
    IReadOnlyDictionary<string, ClientKind> Kinds,
    IReadOnlyDictionary<string, string> Messages,
    IReadOnlyDictionary<string, ClientCell> Cells,
    IReadOnlyList<RuleInstance> Rules,
    IReadOnlyDictionary<string, bool> Context,
    IReadOnlyDictionary<string, string> LabelVariants)
{
    /// <summary>Last year's report for the cross-year rules (spec §9): its values of the cells the rules read, as decimal
    /// strings (万元 for money), and which version it is. Null (left out of the JSON): none, and the rules are not judged.</summary>
    public ClientPrevious? Previous { get; init; }

    /// <summary><see cref="For(ReportTemplate, IReadOnlyDictionary{string, bool}, string?, bool)"/> with last year's report.</summary>
    public static ClientTemplate For(ReportTemplate template, IReadOnlyDictionary<string, bool> context, string? sectionId, Domain.Rules.PreviousYear? previous)
    {
        var client = For(template, context, sectionId);
        return previous is null ? client : client with { Previous = client.PreviousOf(previous) };
    }

    /// <summary>The cells last year's report is read at by these rules (the cross-year rules' <c>Previous</c> terms).</summary>
    public IReadOnlySet<string> PreviousCells() =>
        Rules.SelectMany(r => r.Lhs.Concat(r.Rhs)).Where(t => t.Previous).Select(t => t.CellId).ToHashSet(StringComparer.Ordinal);

    private ClientPrevious PreviousOf(Domain.Rules.PreviousYear previous) => ClientPrevious.Of(previous, PreviousCells());

    /// <summary>The narrative-number checks (Entry/Assets/js/narrative.js): all of them for the whole template, those
    /// scanning the section for a narrative section's page, none for a table page.</summary>
    public IReadOnlyList<NarrativeCheck> NarrativeChecks { get; init; } = [];

    /// <param name="withHelp">Whether each cell carries its row's and column's explanations (<see cref="ClientCell.Help"/>):
    /// the public /templates/{code}.json does; the form's own data block does not (its page shows them beside the labels).</param>
    public static ClientTemplate For(ReportTemplate template, IReadOnlyDictionary<string, bool> context, string? sectionId = null, bool withHelp = false)
    {
        var rules = template.Rules.Where(r => sectionId is null || r.SectionId == sectionId).ToList();
        var cellIds = sectionId is null
            ? template.Cells.Select(c => c.Id).ToHashSet()
            : template.Cells.Where(c => c.SectionId == sectionId).Select(c => c.Id)
                .Concat(rules.SelectMany(r => r.Lhs.Concat(r.Rhs)).Select(t => t.CellId)).ToHashSet();
        return new ClientTemplate(
            template.Code,
            template.Kinds.ToDictionary(k => k.Key, k => new ClientKind(k.Value.Label, k.Value.Unit, k.Value.Scale,
                Domain.Values.CellValueParser.FormatValue(k.Value.Max), k.Value.Signed, k.Value.Units)),
            template.InputMessages,
            template.Cells.Where(c => cellIds.Contains(c.Id)).ToDictionary(c => c.Id, c => new ClientCell(c.Kind.Code, c.Computed, c.ShortLabel, c.NotApplicable)
            {
                Help = withHelp && (c.RowHelp ?? c.ColumnHelp) is not null ? new ClientHelp(c.RowHelp, c.ColumnHelp) : null,
            }),
            rules,
            context,
            template.LabelVariants)
        {
            NarrativeChecks = template.NarrativeChecks.Where(c => sectionId is null || c.Sections.Contains(sectionId)).ToList(),
        };
    }
}

/// <summary>Last year's report as rules.js reads it: <paramref name="Values"/> by cell id as decimal strings.</summary>
public sealed record ClientPrevious(int Year, string Description, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>Last year's report with the values of <paramref name="read"/> alone (the cells the rules compare with).</summary>
    public static ClientPrevious Of(Domain.Rules.PreviousYear previous, IReadOnlySet<string> read) =>
        new(previous.Year, previous.Description,
            previous.Values.Where(v => read.Contains(v.Key)).ToDictionary(v => v.Key, v => Domain.Values.CellValueParser.FormatValue(v.Value), StringComparer.Ordinal));
}

/// <summary>
/// The entry form's rules block (<c>&lt;script type="application/json" id="template-rules"&gt;</c>, ~100 KB for 表三) as
/// the page embeds it: <see cref="ClientTemplate.For(ReportTemplate, IReadOnlyDictionary{string, bool}, string?, Domain.Rules.PreviousYear?)"/>
/// serialized with <see cref="TemplateDefinition.JsonOptions"/> and every <c>&lt;</c> written <c>\u003c</c> (so no text
/// can close the script element). All but last year's values depends only on the template, the section and the
/// agency's rule context, so that part is serialized once per combination and kept (a few dozen strings); each page
/// writes it as it is, then its own <c>previous</c> member and the closing brace. Nothing of the large part is copied
/// per page (a copy of 100 KB would be a large-object allocation each time). A singleton; safe for concurrent use.
/// </summary>
public sealed class ClientTemplates
{
    private readonly ConcurrentDictionary<string, (string Head, IReadOnlySet<string> PreviousCells)> _sections = new(StringComparer.Ordinal);

    /// <summary>The block for one section of a report (<paramref name="context"/>: the agency's rule flags;
    /// <paramref name="previous"/>: last year's report, or null for none), as two pieces written one after the other:
    /// the shared serialized object without its closing brace, and the page's own end.</summary>
    public (string Head, string Tail) Json(ReportTemplate template, IReadOnlyDictionary<string, bool> context, string sectionId, Domain.Rules.PreviousYear? previous)
    {
        var key = $"{template.Code}\n{sectionId}\n{string.Join(",", context.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))}";
        var (head, read) = _sections.GetOrAdd(key, _ =>
        {
            var client = ClientTemplate.For(template, context, sectionId);
            var json = Escape(JsonSerializer.Serialize(client, TemplateDefinition.JsonOptions));
            // The serialized object without "previous" (null members are left out) ends in its closing brace.
            return (json[..^1], client.PreviousCells());
        });
        return previous is null
            ? (head, "}")
            : (head, ",\"previous\":" + Escape(JsonSerializer.Serialize(ClientPrevious.Of(previous, read), TemplateDefinition.JsonOptions)) + "}");
    }

    private static string Escape(string json) => json.Replace("<", "\\u003c", StringComparison.Ordinal);
}

/// <param name="Signed">Negative values allowed (2019 本年增/减).</param>
/// <param name="Units">Units the clerk chooses between (code, label, scale, shift); empty: always <paramref name="Unit"/>.</param>
public sealed record ClientKind(string Label, string Unit, int Scale, string Max, bool Signed, IReadOnlyList<UnitChoice> Units);

/// <param name="NotApplicable">Part of the grid but never entered (2019 blocks （八）（九））.</param>
public sealed record ClientCell(string Kind, bool Computed, string Label, bool NotApplicable)
{
    /// <summary>The explanations of the cell's row and column, when the template has any (null members are left out
    /// of the JSON, as is the whole member for a cell without help).</summary>
    public ClientHelp? Help { get; init; }
}

/// <summary>What a clerk can read about a cell: its row's and its column's explanation ({text, source}), either null.</summary>
public sealed record ClientHelp(HelpDefinition? Row, HelpDefinition? Column);
