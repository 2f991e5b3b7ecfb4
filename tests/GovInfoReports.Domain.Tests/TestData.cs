using System.Text.Json;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests;

public static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    public static readonly TemplateCatalog Catalog = TemplateCatalog.Load();
    public static readonly ReportTemplate Template2021 = Catalog.Get("2021")!;

    /// <summary>The template a rule or parse case runs on: its "template" (default 2021).</summary>
    public static ReportTemplate Template(JsonNode @case) => Catalog.Get(TemplateCode(@case))!;

    public static string TemplateCode(JsonNode @case) => @case["template"]?.GetValue<string>() ?? "2021";

    public static JsonNode RuleCases => JsonNode.Parse(File.ReadAllText(PathOf("rule-cases.json")))!;

    /// <summary>Raw cell texts of a case: the base's fill for every typed cell, then the overrides.</summary>
    public static Dictionary<string, string> RawCells(ReportTemplate template, JsonNode root, JsonNode @case)
    {
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        void Apply(JsonNode? spec)
        {
            if (spec is null) return;
            if (spec["fill"]?.GetValue<string>() is { } fill)
                foreach (var cell in template.Cells.Where(c => !c.Computed)) raw[cell.Id] = fill;
            foreach (var (id, value) in spec["cells"]?.AsObject() ?? [])
                raw[id] = value!.GetValue<string>();
        }
        if (@case["base"]?.GetValue<string>() is { } baseName) Apply(root["bases"]![baseName]);
        foreach (var (id, value) in @case["cells"]?.AsObject() ?? []) raw[id] = value!.GetValue<string>();
        return raw;
    }

    /// <summary>Every typed cell of fixture 002 (获嘉县人民政府办公室 2022) as published: the 'base002' of rule-cases.json.</summary>
    public static Dictionary<string, decimal> Fixture002(ReportTemplate template)
    {
        var root = RuleCases;
        var raw = RawCells(template, root, new JsonObject { ["base"] = "base002" });
        return raw.ToDictionary(kv => kv.Key,
            kv => Values.CellValueParser.Parse(kv.Value, template.CellsById[kv.Key].Kind, template.InputMessages).Value!.Value,
            StringComparer.Ordinal);
    }

    public static IEnumerable<object[]> CaseNames() =>
        RuleCases["cases"]!.AsArray().Select(c => new object[] { c!["name"]!.GetValue<string>() });

    public static IEnumerable<object[]> ParseCases() =>
        RuleCases["parse"]!.AsArray().Select((c, i) => new object[] { i, c!["kind"]!.GetValue<string>(), c["raw"]!.GetValue<string>() });

    public static Dictionary<string, bool> Context(JsonNode @case) =>
        (@case["context"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<bool>());
}
