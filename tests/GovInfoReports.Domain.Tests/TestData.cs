using System.Text.Json;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests;

public static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    public static readonly TemplateCatalog Catalog = TemplateCatalog.Load();
    public static readonly ReportTemplate Template2021 = Catalog.Get("2021")!;
    public static readonly ReportTemplate Template2019 = Catalog.Get("2019")!;

    /// <summary>The template a rule or parse case runs on: its "template" (default 2021).</summary>
    public static ReportTemplate Template(JsonNode @case) => Catalog.Get(TemplateCode(@case))!;

    public static string TemplateCode(JsonNode @case) => @case["template"]?.GetValue<string>() ?? "2021";

    /// <summary>The unit chosen per cell of a case (cells whose kind offers a choice: 2019 采购总金额): its base's, then its own.</summary>
    public static Dictionary<string, string> Units(JsonNode root, JsonNode @case)
    {
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        var spec = @case["base"]?.GetValue<string>() is { } baseName ? root["bases"]![baseName] : null;
        foreach (var source in new[] { spec, @case })
            foreach (var (id, unit) in source?["units"]?.AsObject() ?? [])
                units[id] = unit!.GetValue<string>();
        return units;
    }

    public static JsonNode RuleCases => JsonNode.Parse(File.ReadAllText(PathOf("rule-cases.json")))!;

    /// <summary>Raw cell texts of a case: the base's fill for every typed cell, then the overrides.</summary>
    public static Dictionary<string, string> RawCells(ReportTemplate template, JsonNode root, JsonNode @case)
    {
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        void Apply(JsonNode? spec)
        {
            if (spec is null) return;
            if (spec["fill"]?.GetValue<string>() is { } fill)
                foreach (var cell in template.Cells.Where(c => c.Enterable)) raw[cell.Id] = fill;
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
            kv => GovInfoReports.Domain.Values.CellValueParser.Parse(kv.Value, template.CellsById[kv.Key].Kind, template.InputMessages).Value!.Value,
            StringComparer.Ordinal);
    }

    public static JsonNode NarrativeCases => JsonNode.Parse(File.ReadAllText(PathOf("narrative-cases.json")))!;

    public static IEnumerable<object[]> NarrativeCaseNames() =>
        NarrativeCases["cases"]!.AsArray().Select(c => new object[] { c!["name"]!.GetValue<string>() });

    /// <summary>The typed cells of a narrative case (tests/TestData/narrative-cases.json): its base (its own file's, else
    /// rule-cases.json's, e.g. base002) then its overrides.</summary>
    public static Dictionary<string, string> NarrativeRawCells(ReportTemplate template, JsonNode root, JsonNode @case)
    {
        var baseName = @case["base"]?.GetValue<string>();
        var bases = baseName is not null && root["bases"]![baseName] is not null ? root : RuleCases;
        return RawCells(template, bases, @case);
    }

    /// <summary>The narrative parts of a narrative case.</summary>
    public static Dictionary<string, string> NarrativeTexts(JsonNode @case) =>
        @case["texts"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);

    public static IEnumerable<object[]> CaseNames() =>
        RuleCases["cases"]!.AsArray().Select(c => new object[] { c!["name"]!.GetValue<string>() });

    public static IEnumerable<object[]> ParseCases() =>
        RuleCases["parse"]!.AsArray().Select((c, i) => new object[] { i, c!["kind"]!.GetValue<string>(), c["raw"]!.GetValue<string>() });

    public static Dictionary<string, bool> Context(JsonNode @case) =>
        (@case["context"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<bool>());

    /// <summary>A case's last-year report ({"year", "template", "description", "cells": {id: "value"}}), or null: the
    /// cross-year rules are then not judged. Its cells are the stored values, totals included.</summary>
    public static GovInfoReports.Domain.Rules.PreviousYear? Previous(JsonNode @case) => @case["previous"] is { } p
        ? new GovInfoReports.Domain.Rules.PreviousYear(p["year"]!.GetValue<int>(), p["template"]?.GetValue<string>() ?? "2021",
            p["cells"]!.AsObject().ToDictionary(kv => kv.Key, kv => decimal.Parse(kv.Value!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal),
            p["description"]!.GetValue<string>())
        : null;

    /// <summary>A case's narrative parts ({partId: text}), or null: the texts rules are then not judged.</summary>
    public static Dictionary<string, string>? Texts(JsonNode @case) =>
        @case["texts"]?.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);

    /// <summary>The same, as the browser's data block gives it to rules.js ({year, description, values: {id: "value"}}).</summary>
    public static object? PreviousForBrowser(JsonNode @case) => @case["previous"] is { } p
        ? new { year = p["year"]!.GetValue<int>(), description = p["description"]!.GetValue<string>(),
            values = p["cells"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()) }
        : null;

    /// <summary>A variant of the 2019 template with one rule removed (C3), one severity changed (C2 → warning), one
    /// rule added (Z2, over two tables) and one unit choice dropped (采购总金额 only in 元), with the cells and the
    /// violations both evaluators must give (Domain.Tests Rules2019AreDataTests, Web.Tests RuleCasesInBrowserTests).</summary>
    public static class Variant2019
    {
        /// <summary>The variant, compiled.</summary>
        public static ReportTemplate Template()
        {
            var template = JsonNode.Parse(TemplateCatalog.EmbeddedText("2019"))!;
            var rules = template["rules"]!.AsArray();
            rules.Remove(rules.Single(r => r!["id"]!.GetValue<string>() == "C3"));
            rules.Single(r => r!["id"]!.GetValue<string>() == "C2")!["severity"] = "warning";
            rules.Add(JsonNode.Parse("""
                { "id": "Z2", "severity": "warning", "kind": "linear", "tables": [ "a20_5", "a20_6" ], "forEach": "row",
                  "lhs": [ "decisions" ], "op": "le", "rhs": [ "prev", "change" ], "scope": "{label}行",
                  "message": "{table} {scope}：{lhs}多于{rhs}之和{rhsSum}，请核实", "source": "test variant" }
                """));
            var units = template["cellKinds"]!["purchase"]!["units"]!.AsArray();
            units.Remove(units.Single(u => u!["code"]!.GetValue<string>() == "wanyuan"));
            return TemplateCompiler.Compile(TemplateDefinition.Parse(template.ToJsonString()));
        }

        /// <summary>Fixture 003 with a decrease larger than last year's items and fewer disclosed in total than newly.</summary>
        public static Dictionary<string, string> RawCells()
        {
            var root = TestData.RuleCases;
            var raw = TestData.RawCells(TestData.Template2019, root, new JsonObject { ["base"] = "base003" });
            raw["a20_6.coercion.change"] = "-48";
            raw["a20_1.normative.public_total"] = "100";
            return raw;
        }

        public static readonly Dictionary<string, string> Units = new() { ["a20_9.procurement.amount"] = "yuan" };

        public static readonly string[] Expected =
        [
            "C2:a20_6.coercion warning 第二十条第（六）项 行政强制行：上一年项目数量（47）＋本年增/减（-48）＝-1，本年增/减后的项目数量不能为负数",
            "Z2:a20_6.coercion warning 第二十条第（六）项 行政强制行：处理决定数量（43）多于上一年项目数量（47）＋本年增/减（-48）之和-1，请核实",
        ];
    }
}
