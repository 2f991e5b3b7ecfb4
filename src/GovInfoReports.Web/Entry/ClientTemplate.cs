using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Web.Entry;

/// <summary>
/// The compiled template as the browser's rule evaluator (wwwroot/js/rules.js) reads it: cell kinds,
/// input messages, cells and expanded rule instances. The JS holds no cell id or label of its own.
/// </summary>
public sealed record ClientTemplate(
    string Code,
    IReadOnlyDictionary<string, ClientKind> Kinds,
    IReadOnlyDictionary<string, string> Messages,
    IReadOnlyDictionary<string, ClientCell> Cells,
    IReadOnlyList<RuleInstance> Rules,
    IReadOnlyDictionary<string, bool> Context)
{
    public static ClientTemplate For(ReportTemplate template, IReadOnlyDictionary<string, bool> context, string? sectionId = null)
    {
        var rules = template.Rules.Where(r => sectionId is null || r.SectionId == sectionId).ToList();
        var cellIds = sectionId is null
            ? template.Cells.Select(c => c.Id).ToHashSet()
            : template.Cells.Where(c => c.SectionId == sectionId).Select(c => c.Id)
                .Concat(rules.SelectMany(r => r.Lhs.Concat(r.Rhs)).Select(t => t.CellId)).ToHashSet();
        return new ClientTemplate(
            template.Code,
            template.Kinds.ToDictionary(k => k.Key, k => new ClientKind(k.Value.Label, k.Value.Unit, k.Value.Scale,
                Domain.Values.CellValueParser.FormatValue(k.Value.Max))),
            template.InputMessages,
            template.Cells.Where(c => cellIds.Contains(c.Id)).ToDictionary(c => c.Id, c => new ClientCell(c.Kind.Code, c.Computed, c.ShortLabel)),
            rules,
            context);
    }
}

public sealed record ClientKind(string Label, string Unit, int Scale, string Max);

public sealed record ClientCell(string Kind, bool Computed, string Label);
