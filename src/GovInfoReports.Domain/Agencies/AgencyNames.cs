namespace GovInfoReports.Domain.Agencies;

/// <summary>
/// The common short forms of Chinese agency names, so that public search finds 获嘉县人民政府 for 获嘉县政府 and
/// 获嘉县人民政府办公室 for 获嘉县政府办. A name and a query are both shortened with the same replacements, in order
/// (longer words first), then compared as substrings.
/// </summary>
public static class AgencyNames
{
    /// <summary>Full word → its usual short form, applied in this order (a later pair sees the result of an earlier one).</summary>
    public static readonly IReadOnlyList<(string Full, string Short)> ShortForms =
    [
        ("人民代表大会常务委员会", "人大常委会"),
        ("人民代表大会", "人大"),
        ("人民政府", "政府"),
        ("发展和改革委员会", "发改委"),
        ("卫生健康委员会", "卫健委"),
        ("人力资源和社会保障局", "人社局"),
        ("住房和城乡建设局", "住建局"),
        ("市场监督管理局", "市场监管局"),
        ("委员会", "委"),
        ("办公室", "办"),
    ];

    /// <summary>The name with every full word in <see cref="ShortForms"/> replaced by its short form (ordinal).</summary>
    public static string Shorten(string name) =>
        ShortForms.Aggregate(name, (text, form) => text.Replace(form.Full, form.Short, StringComparison.Ordinal));
}
