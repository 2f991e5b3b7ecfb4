namespace GovInfoReports.Domain.Templates;

/// <summary>All template versions known to the application, and which one a report year uses.</summary>
public sealed class TemplateCatalog
{
    private readonly IReadOnlyList<ReportTemplate> _templates;

    public TemplateCatalog(IEnumerable<ReportTemplate> templates)
    {
        _templates = templates.OrderByDescending(t => t.Definition.FirstYear ?? int.MinValue).ToList();
        // Stored text fingerprints are compared across formats (a 2020 report with its 2021 successor, a late report in
        // an older format with its peers): one shingle size for all, or comparisons would silently mean nothing.
        var sizes = _templates.Select(t => t.Definition.Similarity?.ShingleSize).OfType<int>().Distinct().ToList();
        if (sizes.Count > 1)
            throw new InvalidDataException($"Templates disagree on the similarity shingle size ({string.Join(", ", sizes)}); all must use one.");
        ShingleSize = sizes.Count == 1 ? sizes[0] : null;
    }

    /// <summary>The shingle size of every template's similarity check (内容雷同), or null when none has one.</summary>
    public int? ShingleSize { get; }

    public IReadOnlyList<ReportTemplate> All => _templates;

    public ReportTemplate? Get(string code) => _templates.FirstOrDefault(t => t.Code == code);

    /// <summary>The template a report year must use (spec §1: ≤ 2018 the pre-2019 free form, 2019–2020 the 2019
    /// format, ≥ 2021 the 2021 format), from each template's firstYear/lastYear; null when no loaded template
    /// covers the year (e.g. ≤ 2018 until the pre-2019 template is loaded).</summary>
    public ReportTemplate? ForYear(int year) => _templates.FirstOrDefault(t => t.AppliesTo(year));

    /// <summary>The first report year: the 2008 条例 (国务院令第492号) took effect on 2008-05-01 and its Art. 31
    /// introduced the yearly report; nothing earlier exists.</summary>
    public const int FirstReportYear = 2008;

    /// <summary>Whether <paramref name="code"/> is the statutory format of <paramref name="year"/> (false: an override,
    /// which needs a 说明).</summary>
    public bool IsFormatFor(string code, int year) => ForYear(year)?.Code == code;

    /// <summary>
    /// The format a report of <paramref name="year"/> is entered in. Without <paramref name="overrideCode"/>, the
    /// statutory one (<see cref="ForYear"/>). With it, that format, allowed when it already existed for the year
    /// (an agency that published late in an older format): the choice is then marked
    /// <see cref="TemplateChoice.IsOverride"/> and its <see cref="TemplateChoice.Warning"/> needs a 说明.
    /// Years before <see cref="FirstReportYear"/> or after <paramref name="currentYear"/> (Beijing) are refused;
    /// every refusal is a Chinese message for the year field.
    /// </summary>
    public TemplateChoice Choose(int year, int currentYear, string? overrideCode = null)
    {
        if (year < FirstReportYear)
            return TemplateChoice.Refused($"{year}年没有政府信息公开工作年度报告：《中华人民共和国政府信息公开条例》自2008年5月1日起施行，最早为2008年度报告");
        if (year > currentYear)
            return TemplateChoice.Refused($"{year}年尚未开始，不能填报（当前年度的报告可在年内起草）");
        var statutory = ForYear(year);
        if (string.IsNullOrEmpty(overrideCode) || overrideCode == statutory?.Code)
            return statutory is null
                ? TemplateChoice.Refused($"本系统尚未载入{year}年度报告适用的格式，暂不能填报")
                : new TemplateChoice(statutory, null, false, null);
        if (Get(overrideCode) is not { } chosen)
            return TemplateChoice.Refused($"没有“{overrideCode}”这一报告格式");
        if (chosen.Definition.FirstYear is { } first && first > year)
            return TemplateChoice.Refused($"{chosen.Name}自{first}年度起适用，{year}年度报告不能使用");
        var expected = statutory is null ? $"{year}年度适用的格式" : statutory.Name;
        return new TemplateChoice(chosen, null, true,
            $"{year}年度报告应使用{expected}，本报告使用{chosen.Name}（{chosen.Basis}），请说明原因");
    }

    /// <summary>The earliest report year any loaded template supports.</summary>
    public int EarliestYear => _templates.Min(t => t.Definition.FirstYear ?? int.MinValue);

    /// <summary>Loads the templates embedded in this assembly, or, when <paramref name="directory"/> is given,
    /// every *.json file in it (used to run a deployment or a test on a changed rule set without a release).</summary>
    public static TemplateCatalog Load(string? directory = null)
    {
        var texts = string.IsNullOrWhiteSpace(directory) ? EmbeddedTexts() : Directory.GetFiles(directory, "*.json").Select(File.ReadAllText);
        var templates = texts.Select(TemplateDefinition.Parse).Select(TemplateCompiler.Compile).ToList();
        if (templates.Count == 0) throw new InvalidDataException($"No template definitions found{(directory is null ? "" : $" in {directory}")}.");
        return new TemplateCatalog(templates);
    }

    public static string EmbeddedText(string code)
    {
        var assembly = typeof(TemplateCatalog).Assembly;
        using var stream = assembly.GetManifestResourceStream($"GovInfoReports.Domain.Templates.{code}.json")
            ?? throw new InvalidDataException($"No embedded template {code}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IEnumerable<string> EmbeddedTexts()
    {
        var assembly = typeof(TemplateCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("GovInfoReports.Domain.Templates.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return reader.ReadToEnd();
        }
    }
}

/// <summary>The outcome of <see cref="TemplateCatalog.Choose"/>: the format, or a Chinese refusal for the year field.
/// An override (a format other than the year's statutory one) carries the warning whose 说明 the clerk must write.</summary>
public sealed record TemplateChoice(ReportTemplate? Template, string? Error, bool IsOverride, string? Warning)
{
    public static TemplateChoice Refused(string error) => new(null, error, false, null);
}
