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
        return previous is null ? client : client with { Previous = ClientPrevious.Of(previous, client.PreviousCells()) };
    }

    /// <summary>The cells last year's report is read at by these rules (the cross-year rules' <c>Previous</c> terms).</summary>
    public IReadOnlySet<string> PreviousCells() =>
        Rules.SelectMany(r => r.Lhs.Concat(r.Rhs)).Where(t => t.Previous).Select(t => t.CellId).ToHashSet(StringComparer.Ordinal);

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
/// The entry form's rules (~100 KB for 表三) as the section page hands them to the browser's evaluator:
/// <see cref="ClientTemplate.For(ReportTemplate, IReadOnlyDictionary{string, bool}, string?, Domain.Rules.PreviousYear?)"/>
/// serialized with <see cref="TemplateDefinition.JsonOptions"/>. All but last year's values depends only on the
/// template, the section and the agency's rule context (<see cref="Domain.Agencies.Agency.RuleContextFlags"/>), so
/// that part is a script of its own, <c>GET /templates/{code}/{section}.js?context=…&amp;v=…</c>, which sets
/// <c>window.GovInfoSectionRules</c> to the JSON text; its URL carries a hash of its content, so browsers keep it
/// (immutable) and a reload of the page after a save does not carry it again. The page itself embeds only last
/// year's values (<c>#template-previous</c>); rules.js's <c>pageTemplate()</c> joins the two. Each combination is
/// serialized once and kept (a few dozen strings). A singleton; safe for concurrent use.
/// </summary>
public sealed class ClientTemplates
{
    private sealed record Block(string Json, string Version, IReadOnlySet<string> PreviousCells)
    {
        /// <summary>The script served: the JSON as a JavaScript string (the serializer escapes &lt;, &gt;, &amp;, quotes and
        /// every non-ASCII character, so nothing in it can end the script or the string).</summary>
        public string Script { get; } = $"window.GovInfoSectionRules = {JsonSerializer.Serialize(Json)};\n";
    }

    private readonly ConcurrentDictionary<string, Block> _blocks = new(StringComparer.Ordinal);

    private Block BlockOf(ReportTemplate template, IReadOnlyDictionary<string, bool> context, string sectionId) =>
        _blocks.GetOrAdd($"{template.Code}\n{sectionId}\n{ContextText(context)}", _ =>
        {
            var client = ClientTemplate.For(template, context, sectionId);
            var json = JsonSerializer.Serialize(client, TemplateDefinition.JsonOptions);
            var version = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json)))[..16];
            return new Block(json, version, client.PreviousCells());
        });

    /// <summary>The address of the shared rules script of one section for an agency of <paramref name="context"/>.</summary>
    public string ScriptUrl(ReportTemplate template, IReadOnlyDictionary<string, bool> context, string sectionId) =>
        $"/templates/{Uri.EscapeDataString(template.Code)}/{Uri.EscapeDataString(sectionId)}.js?context={Uri.EscapeDataString(ContextText(context))}"
        + $"&v={BlockOf(template, context, sectionId).Version}";

    /// <summary>The shared rules script (see the class) and its version (the <c>v</c> of <see cref="ScriptUrl"/>).</summary>
    public (string Script, string Version) Script(ReportTemplate template, IReadOnlyDictionary<string, bool> context, string sectionId)
    {
        var block = BlockOf(template, context, sectionId);
        return (block.Script, block.Version);
    }

    /// <summary>The shared rules of one section as JSON (what the script hands to the page).</summary>
    public string Json(ReportTemplate template, IReadOnlyDictionary<string, bool> context, string sectionId) =>
        BlockOf(template, context, sectionId).Json;

    /// <summary>The page's own part: last year's values of the cells the section's cross-year rules read, as JSON for
    /// <c>&lt;script type="application/json" id="template-previous"&gt;</c> (every <c>&lt;</c> written <c>\u003c</c>);
    /// null when there is no last year's report.</summary>
    public string? PreviousJson(ReportTemplate template, IReadOnlyDictionary<string, bool> context, string sectionId, Domain.Rules.PreviousYear? previous) =>
        previous is null ? null
        : JsonSerializer.Serialize(ClientPrevious.Of(previous, BlockOf(template, context, sectionId).PreviousCells), TemplateDefinition.JsonOptions)
            .Replace("<", "\\u003c", StringComparison.Ordinal);

    /// <summary>A rule context as the script's address writes it: <c>mayMakeRules:true,isPeoplesGovernment:false</c>
    /// (empty: no flag known, as while the database is unreachable).</summary>
    public static string ContextText(IReadOnlyDictionary<string, bool> context) =>
        string.Join(",", context.Select(c => $"{c.Key}:{(c.Value ? "true" : "false")}"));

    /// <summary>Reads <see cref="ContextText"/> back; false for anything else (a flag not among
    /// <see cref="Domain.Agencies.Agency.RuleContextFlags"/>, a value not true/false, a flag twice).</summary>
    public static bool TryParseContext(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Dictionary<string, bool>? context)
    {
        context = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text)) return true;
        foreach (var pair in text.Split(','))
        {
            var colon = pair.IndexOf(':');
            var name = colon < 0 ? "" : pair[..colon];
            if (!Domain.Agencies.Agency.RuleContextFlags.Contains(name) || context.ContainsKey(name)) { context = null; return false; }
            switch (pair[(colon + 1)..])
            {
                case "true": context[name] = true; break;
                case "false": context[name] = false; break;
                default: context = null; return false;
            }
        }
        return true;
    }
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
