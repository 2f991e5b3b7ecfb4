using System.Text.Json;
using GovInfoReports.Domain.Tests;
using GovInfoReports.Web.Tests.Support;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>tests/TestData/rule-cases.json against the browser evaluator (Entry/Assets/js/rules.js, served as /js/rules.js) in
/// headless Chromium, with the compiled template fetched from the app: the same expectations the
/// C# evaluator meets in Domain.Tests, so the two cannot drift apart.</summary>
[Collection("Browser")]
public sealed class RuleCasesInBrowserTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    public static IEnumerable<object[]> Cases() => TestData.CaseNames();

    /// <summary>A page with rules.js loaded and every compiled template fetched into window.templates[code].</summary>
    private async Task<BrowserPage> OpenAsync()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var page = await TestBrowser.NewPageAsync(app.Factory.ServerAddress);
        await AppFixture.LoginAsync(page.Page, "edu");
        await page.Page.GotoAsync($"/entry/{id}/s3");
        await page.Page.EvaluateAsync("async codes => { window.templates = {}; for (const code of codes) window.templates[code] = await (await fetch('/templates/' + code + '.json')).json(); }",
            TestData.Catalog.All.Select(t => t.Code).ToArray());
        return page;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_gives_the_same_violations_values_and_input_errors_in_the_browser(string name)
    {
        var root = TestData.RuleCases;
        var @case = root["cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
        await using var page = await OpenAsync();

        var raw = TestData.RawCells(TestData.Template(@case), root, @case);
        var result = await page.Page.EvaluateAsync<JsonElement>(
            "([code, cells, ctx, units, previous, texts]) => GovInfoRules.evaluateRaw(window.templates[code], cells, ctx, units, previous, texts)",
            new object?[] { TestData.TemplateCode(@case), raw, TestData.Context(@case), TestData.Units(root, @case), TestData.PreviousForBrowser(@case), TestData.Texts(@case) });

        var expected = @case["expect"]!.AsArray()
            .Select(e => $"{e!["key"]} {e["severity"]} {e["message"]}").Order(StringComparer.Ordinal).ToList();
        var actual = result.GetProperty("violations").EnumerateArray()
            .Select(v => $"{v.GetProperty("key").GetString()} {v.GetProperty("severity").GetString()} {v.GetProperty("message").GetString()}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);

        var expectedErrors = (@case["inputErrors"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
        var actualErrors = result.GetProperty("inputErrors").EnumerateObject().Where(p => !p.Name.StartsWith('$')).ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(expectedErrors.OrderBy(kv => kv.Key), actualErrors.OrderBy(kv => kv.Key));

        var values = result.GetProperty("values");
        foreach (var (id, value) in @case["values"]?.AsObject() ?? [])
        {
            var actualValue = values.TryGetProperty(id, out var v) ? v.GetString() : null;
            Assert.True(value?.GetValue<string>() == actualValue, $"{id}: expected {value?.GetValue<string>() ?? "blank"}, got {actualValue ?? "blank"}");
        }
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task The_browser_follows_a_2019_template_variant_with_changed_rules_and_units()
    {
        await using var page = await OpenAsync();
        var variant = TestData.Variant2019.Template();
        var context = new Dictionary<string, bool> { ["mayMakeRules"] = false };
        var json = JsonSerializer.Serialize(Web.Entry.ClientTemplate.For(variant, context), Domain.Templates.TemplateDefinition.JsonOptions);
        var result = await page.Page.EvaluateAsync<JsonElement>(
            "([json, cells, ctx, units]) => GovInfoRules.evaluateRaw(JSON.parse(json), cells, ctx, units)",
            new object[] { json, TestData.Variant2019.RawCells(), context, TestData.Variant2019.Units });
        var actual = result.GetProperty("violations").EnumerateArray()
            .Select(v => $"{v.GetProperty("key").GetString()} {v.GetProperty("severity").GetString()} {v.GetProperty("message").GetString()}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(TestData.Variant2019.Expected, actual);
        Assert.DoesNotContain(result.GetProperty("inputErrors").EnumerateObject(), p => !p.Name.StartsWith('$')); // $id: Playwright's serialisation
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Every_parse_case_reads_the_same_in_the_browser()
    {
        await using var page = await OpenAsync();
        var cases = TestData.RuleCases["parse"]!.AsArray();
        foreach (var @case in cases)
        {
            var kind = @case!["kind"]!.GetValue<string>();
            var raw = @case["raw"]!.GetValue<string>();
            var result = await page.Page.EvaluateAsync<JsonElement>(
                "([code, kind, raw]) => { const t = window.templates[code]; const p = GovInfoRules.parse(raw, t.kinds[kind], t.messages); return { error: p.error, blank: p.blank, value: p.value === null ? null : GovInfoRules.format(p.value) }; }",
                new object[] { TestData.TemplateCode(@case), kind, raw });
            Assert.True(@case["error"]?.GetValue<string>() == (result.GetProperty("error").ValueKind == JsonValueKind.Null ? null : result.GetProperty("error").GetString()), $"error of '{raw}'");
            Assert.True(@case["value"]?.GetValue<string>() == (result.GetProperty("value").ValueKind == JsonValueKind.Null ? null : result.GetProperty("value").GetString()), $"value of '{raw}'");
            Assert.True((@case["blank"]?.GetValue<bool>() ?? false) == result.GetProperty("blank").GetBoolean(), $"blank of '{raw}'");
        }
    }
}
