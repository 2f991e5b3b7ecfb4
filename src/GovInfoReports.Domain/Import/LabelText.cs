using System.Text;
using System.Text.RegularExpressions;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Import;

/// <summary>
/// Labels compared the way published reports drift from the template: NFKC (full-width forms), no whitespace (wrapped
/// labels such as 本年度办 理结果), no leading numbering (一、 （三） 1. (2)), no punctuation or quotes, then the template's
/// <see cref="ReportTemplate.LabelVariants"/> (本年度止件数 → 本年废止件数, 社会组织 → 社会公益组织). The browser's
/// paste (Entry/Assets/js/paste.js, <c>norm</c>) compares labels the same way.
/// </summary>
public static partial class LabelText
{
    /// <summary>The comparable form of a label, without the template's variants.</summary>
    public static string Strip(string label)
    {
        var s = Whitespace().Replace(label.Normalize(NormalizationForm.FormKC), "");
        for (;;)
        {
            var next = Numbering().Replace(s, "");
            if (next == s) break;
            s = next;
        }
        return Punctuation().Replace(s, "");
    }

    /// <summary>The comparable form of a label after the template's variants: a whole-label variant is replaced by
    /// the template's wording, and a variant inside a longer label (行政法复议 in a header) too.</summary>
    public static string Normalise(string label, ReportTemplate template)
    {
        var s = Strip(label);
        foreach (var (variant, wording) in template.LabelVariants)
        {
            var v = Strip(variant);
            if (v.Length > 0 && s.Contains(v, StringComparison.Ordinal)) s = s.Replace(v, Strip(wording), StringComparison.Ordinal);
        }
        return s;
    }

    /// <summary>Whether <paramref name="text"/> holds a CJK character (a label, not a number or a dash).</summary>
    public static bool HasCjk(string text) => text.Any(c => c is >= '\u3400' and <= '\u9FFF');

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+[、.]|\([0-9]+\)|[0-9]+[)、.])")]
    private static partial Regex Numbering();

    [GeneratedRegex("[()（）,，.。、:：;；“”\"'‘’《》<>\\[\\]【】/／]")]
    private static partial Regex Punctuation();
}
