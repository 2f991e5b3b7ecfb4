using System.Text.RegularExpressions;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Rules;

/// <summary>
/// A number of the narrative bound to a cell: the token <c>{{table.row.column}}</c> (e.g. <c>{{apps.new.tot}}</c>) is
/// stored in the text as typed and printed as the cell's current value everywhere the text is shown (HTML, PDF, DOCX,
/// the review's preview); the open-data JSON keeps the token. A bound number cannot disagree with its table, so the
/// narrative-number checks skip it. The syntax uses only ASCII braces, dots, lower-case letters, digits and
/// underscores: the form's text cleaning (Forms/InputText) keeps all of them, and a clerk typing prose never writes it.
/// </summary>
public static partial class CellTokens
{
    [GeneratedRegex(@"\{\{([a-z][a-z0-9_]*\.[a-z0-9_]+\.[a-z0-9_]+)\}\}")]
    private static partial Regex Pattern();

    /// <summary>The token of a cell: <c>{{cellId}}</c>.</summary>
    public static string Token(string cellId) => "{{" + cellId + "}}";

    /// <summary>The cell ids the tokens of <paramref name="text"/> name, in order (unknown ones included).</summary>
    public static IEnumerable<string> CellIds(string? text) =>
        string.IsNullOrEmpty(text) ? [] : Pattern().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>The text with each token replaced by spaces of the same length (offsets are kept): what the narrative
    /// checks scan.</summary>
    public static string Mask(string text) => Pattern().Replace(text, m => new string(' ', m.Length));

    /// <summary>What a reader sees where an unknown cell is named (a template changed, a token typed by hand).</summary>
    public static string UnknownMarker(string cellId) => $"〔表格数字有误：{cellId}〕";

    /// <summary>What a reader sees for a known cell that is blank.</summary>
    public const string BlankMarker = "〔未填〕";

    /// <summary>The text as printed: each token of a known, applicable cell replaced by <paramref name="format"/> of its
    /// value (<see cref="BlankMarker"/> when blank), an unknown one by <see cref="UnknownMarker"/>.</summary>
    public static string Render(string text, ReportTemplate template, Func<string, string?> format)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains("{{", StringComparison.Ordinal)) return text;
        return Pattern().Replace(text, m =>
        {
            var id = m.Groups[1].Value;
            if (!template.CellsById.TryGetValue(id, out var cell) || cell.NotApplicable) return UnknownMarker(id);
            return format(id) is { Length: > 0 } value ? value : BlankMarker;
        });
    }

    /// <summary>The text with each token replaced by <paramref name="value"/> of its cell (<see cref="BlankMarker"/> when
    /// null): for a text shown without its template at hand (a search snippet).</summary>
    public static string Render(string text, Func<string, string?> value) =>
        string.IsNullOrEmpty(text) || !text.Contains("{{", StringComparison.Ordinal) ? text
            : Pattern().Replace(text, m => value(m.Groups[1].Value) is { Length: > 0 } v ? v : BlankMarker);

    /// <summary>The error of a token naming a cell the template does not have: the report cannot be submitted with it.</summary>
    public static IEnumerable<Violation> Check(ReportTemplate template, IReadOnlyDictionary<string, string> texts)
    {
        foreach (var (partId, text) in texts.OrderBy(t => t.Key, StringComparer.Ordinal))
            foreach (var id in CellIds(text).Distinct(StringComparer.Ordinal))
                if (!template.CellsById.TryGetValue(id, out var cell) || cell.NotApplicable)
                    yield return new Violation($"token:{partId}:{id}", "token", Severity.Error, Reports.PartIds.SectionOf(partId), "",
                        // Not template data: it names no statutory rule, only this app's own token syntax.
                        $"文字中引用的表格数字“{Token(id)}”不存在，请删除后用“插入表格数字”重新插入", []);
    }
}
