namespace GovInfoReports.Domain.Templates;

/// <summary>All template versions known to the application, and which one a report year uses.</summary>
public sealed class TemplateCatalog
{
    private readonly IReadOnlyList<ReportTemplate> _templates;

    public TemplateCatalog(IEnumerable<ReportTemplate> templates)
    {
        _templates = templates.OrderByDescending(t => t.Definition.FirstYear ?? int.MinValue).ToList();
    }

    public IReadOnlyList<ReportTemplate> All => _templates;

    public ReportTemplate? Get(string code) => _templates.FirstOrDefault(t => t.Code == code);

    /// <summary>The template a report year must use (spec §1), or null when no supported version covers it.</summary>
    public ReportTemplate? ForYear(int year) => _templates.FirstOrDefault(t => t.AppliesTo(year));

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
