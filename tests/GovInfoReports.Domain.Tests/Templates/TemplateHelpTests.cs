using System.Text.Json;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Templates;

/// <summary>The explanations of hard rows and columns (issue 9, "help as template data"): defined once per meaning in
/// the template, checked at load, identical wherever two formats share a row or column, and present for the rows
/// clerks ask about. Expected sources are typed by hand from the 条例 (2019 revision, 国务院令第711号).</summary>
public sealed class TemplateHelpTests
{
    /// <summary>Rows and columns of 表三 and 表四 every format that has them must explain (table, id).</summary>
    private static readonly (string Table, string Id)[] HardNodes =
    [
        ("apps", "carry_in"), ("apps", "carry_out"), ("apps", "r1"), ("apps", "r2"),
        ("apps", "r3_1"), ("apps", "r3_2"), ("apps", "r3_3"), ("apps", "r3_4"), ("apps", "r3_5"), ("apps", "r3_6"), ("apps", "r3_7"), ("apps", "r3_8"),
        ("apps", "r4_1"), ("apps", "r4_2"), ("apps", "r4_3"),
        ("apps", "r5_1"), ("apps", "r5_2"), ("apps", "r5_3"), ("apps", "r5_4"), ("apps", "r5_5"),
        ("apps", "r6"), ("apps", "r6_1"), ("apps", "r6_2"),
        ("apps", "np"), ("apps", "biz"), ("apps", "res"), ("apps", "ngo"), ("apps", "law"), ("apps", "oth"),
        ("lit", "rv_keep"), ("lit", "rv_fix"), ("lit", "rv_oth"), ("lit", "rv_pend"),
        ("lit", "ld_keep"), ("lit", "ld_fix"), ("lit", "ld_oth"), ("lit", "ld_pend"),
        ("lit", "la_keep"), ("lit", "la_fix"), ("lit", "la_oth"), ("lit", "la_pend"),
    ];

    private static IEnumerable<HeaderNode> Flatten(IEnumerable<HeaderNode> nodes) => nodes.SelectMany(n => Flatten(n.Children).Prepend(n));

    /// <summary>Every row and column of every table of a template, keyed by table and id (a group without an id by its labels).</summary>
    private static Dictionary<(string Table, string Node), HeaderNode> Nodes(ReportTemplate template) =>
        template.Tables.Values.SelectMany(t => Flatten(t.Columns).Select(n => (Key: (t.Id, "col:" + (n.Id ?? string.Join("/", n.Path()))), Node: n))
                .Concat(Flatten(t.Rows).Select(n => (Key: (t.Id, "row:" + (n.Id ?? string.Join("/", n.Path()))), Node: n))))
            .ToDictionary(x => x.Key, x => x.Node);

    [Fact]
    public void A_row_or_column_shared_by_two_formats_carries_the_same_help_in_both()
    {
        var templates = TestData.Catalog.All;
        Assert.Equal(["2021", "2019", "pre2019"], templates.Select(t => t.Code));
        var shared = 0;
        foreach (var a in templates)
            foreach (var b in templates.Where(b => string.CompareOrdinal(a.Code, b.Code) < 0))
            {
                var nodesB = Nodes(b);
                foreach (var (key, node) in Nodes(a).Where(kv => nodesB.ContainsKey(kv.Key)))
                {
                    Assert.True(Equals(node.Help, nodesB[key].Help), $"{key} differs between {a.Code} and {b.Code}");
                    if (node.Help is not null) shared++;
                }
            }
        // 表三 and 表四 rows and columns, 规章 / 规范性文件 and 处理决定数量 are shared by the 2019 and 2021 formats.
        Assert.True(shared >= 40, $"only {shared} shared rows and columns carry help");
    }

    [Fact]
    public void The_hard_rows_and_columns_are_explained_with_their_source_in_every_format_that_has_them()
    {
        foreach (var template in TestData.Catalog.All)
        {
            var nodes = template.Tables.Values.SelectMany(t => Flatten(t.Columns).Concat(Flatten(t.Rows)).Select(n => (t.Id, n))).ToList();
            foreach (var (table, id) in HardNodes)
                foreach (var (_, node) in nodes.Where(x => x.Id == table && x.n.Id == id))
                {
                    Assert.False(string.IsNullOrWhiteSpace(node.Help?.Text), $"{template.Code} {table}.{id} has no help");
                    Assert.False(string.IsNullOrWhiteSpace(node.Help!.Source), $"{template.Code} {table}.{id} has no source");
                }
        }
    }

    [Theory]
    [InlineData("2021")]
    [InlineData("2019")]
    public void The_internal_affairs_row_cites_article_16_and_names_its_three_kinds(string code)
    {
        var help = TestData.Catalog.Get(code)!.CellsById["apps.r3_5.np"].RowHelp!;
        Assert.Equal("《政府信息公开条例》第十六条第一款", help.Source);
        Assert.Contains("人事管理、后勤管理、内部工作流程", help.Text);
        var process = TestData.Catalog.Get(code)!.CellsById["apps.r3_6.np"].RowHelp!;
        Assert.Equal("《政府信息公开条例》第十六条第二款", process.Source);
        Assert.Contains("讨论记录、过程稿、磋商信函、请示报告", process.Text);
        Assert.Equal("《政府信息公开条例》第三十三条", TestData.Catalog.Get(code)!.CellsById["apps.carry_out.tot"].RowHelp!.Source);
    }

    [Fact]
    public void A_cell_carries_its_row_and_column_help_and_a_table_without_row_labels_only_the_column_help()
    {
        var t = TestData.Template2021;
        Assert.Equal("《政府信息公开条例》第二十七条", t.CellsById["apps.r3_5.np"].ColumnHelp!.Source);
        Assert.Null(t.CellsById["apps.r7.tot"].RowHelp);
        Assert.Null(t.CellsById["apps.r7.tot"].ColumnHelp);
        var fix = t.CellsById["lit.all.la_fix"];
        Assert.Null(fix.RowHelp);
        // The spec leaves 结果纠正 undefined: the help says so instead of inventing a definition.
        Assert.Contains("没有界定", fix.ColumnHelp!.Text);
        Assert.Same(fix.ColumnHelp, t.CellsById["lit.all.rv_fix"].ColumnHelp);
    }

    [Theory]
    [InlineData("unknownKey", "'5.属于三类内部事务信息' of table apps names unknown help 'nope'")]
    [InlineData("emptyText", "help 'internalAffairs' has no text")]
    [InlineData("emptySource", "help 'internalAffairs' has no source")]
    [InlineData("longText", "help 'internalAffairs' has a text of 201 characters; at most 200")]
    [InlineData("longSource", "help 'internalAffairs' has a source of 61 characters; at most 60")]
    [InlineData("unused", "help 'orphan' is not named by any row or column")]
    public void Help_that_does_not_fit_the_template_is_refused_at_load(string fault, string expected)
    {
        var json = JsonNode.Parse(TemplateCatalog.EmbeddedText("2021"))!;
        var help = json["help"]!;
        switch (fault)
        {
            case "unknownKey": Row(json, "r3_5")["help"] = "nope"; break;
            case "emptyText": help["internalAffairs"]!["text"] = " "; break;
            case "emptySource": help["internalAffairs"]!["source"] = ""; break;
            case "longText": help["internalAffairs"]!["text"] = new string('字', 201); break;
            case "longSource": help["internalAffairs"]!["source"] = new string('字', 61); break;
            default: help["orphan"] = new JsonObject { ["text"] = "说明", ["source"] = "来源" }; break;
        }
        var error = Assert.Throws<InvalidDataException>(() => TemplateCompiler.Compile(TemplateDefinition.Parse(json.ToJsonString())));
        Assert.Equal($"Template 2021: {expected}.", error.Message);
    }

    [Fact]
    public void A_help_entry_with_a_member_other_than_text_and_source_is_refused_when_read()
    {
        var json = JsonNode.Parse(TemplateCatalog.EmbeddedText("2021"))!;
        json["help"]!["internalAffairs"]!["sorce"] = "《政府信息公开条例》第十六条";
        var error = Assert.Throws<JsonException>(() => TemplateDefinition.Parse(json.ToJsonString()));
        Assert.Contains("sorce", error.Message);
    }

    private static JsonNode Row(JsonNode template, string id)
    {
        IEnumerable<JsonNode> All(JsonNode node) => node switch
        {
            JsonObject o => o.Select(kv => kv.Value).OfType<JsonNode>().SelectMany(All).Prepend(o),
            JsonArray a => a.OfType<JsonNode>().SelectMany(All),
            _ => [],
        };
        return All(template).OfType<JsonObject>().Single(o => o["id"]?.GetValue<string>() == id && o["label"] is not null);
    }
}
