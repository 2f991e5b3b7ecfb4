using System.Net;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>Saving section forms over HTTP against real PostgreSQL.</summary>
public sealed class SectionSaveTests(AppFixture app) : IClassFixture<AppFixture>
{
    private Task<HttpClient> ClientAsync(string user = "edu") => app.ClientAsync(user);

    private async Task<Dictionary<string, decimal>> StoredCellsAsync(int reportId)
    {
        await using var db = app.Db();
        return await db.ReportCells.Where(c => c.ReportId == reportId).ToDictionaryAsync(c => c.CellId, c => c.Value);
    }

    [Fact]
    public async Task Saved_values_reload_exactly_and_blank_stays_distinct_from_zero()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await ClientAsync();
        var url = $"/entry/{id}/s3";
        var page = await FormPage.GetAsync(client, url);

        var saved = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            [FormPage.Cell("apps.new.np")] = "8",
            [FormPage.Cell("apps.new.biz")] = "0",
            [FormPage.Cell("apps.r1.np")] = "８", // full-width, normalised
        });

        Assert.Equal(HttpStatusCode.OK, saved.Response.StatusCode);
        Assert.Contains("已保存（3处修改）", saved.Text);
        var stored = await StoredCellsAsync(id);
        Assert.Equal(8m, stored["apps.new.np"]);
        Assert.Equal(0m, stored["apps.new.biz"]);
        Assert.Equal(8m, stored["apps.r1.np"]);
        Assert.False(stored.ContainsKey("apps.new.res")); // blank: no row at all
        // Totals are computed and stored; a total of only blank cells stays blank.
        Assert.Equal(8m, stored["apps.new.tot"]);
        Assert.Equal(8m, stored["apps.r7.np"]);
        Assert.False(stored.ContainsKey("apps.carry_in.tot"));

        Assert.Equal("8", saved.InputValue("apps.new.np"));
        Assert.Equal("0", saved.InputValue("apps.new.biz"));
        Assert.Equal("", saved.InputValue("apps.new.res"));
        Assert.Equal("8", saved.InputValue("apps.new.tot"));
    }

    [Theory]
    [InlineData("abc", "“abc”不是数字，请输入阿拉伯数字")]
    [InlineData("-3", "不能为负数")]
    [InlineData("2.5", "件数须为整数，不能有小数")]
    [InlineData("99999999999", "数值超出允许范围（最大 2147483647）")]
    [InlineData("1,23", "“1,23”的千位分隔符位置不正确，请直接输入数字")]
    public async Task Bad_input_gets_a_field_message_keeps_the_stored_value_and_saves_everything_else(string bad, string message)
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await ClientAsync();
        var url = $"/entry/{id}/s3";
        var page = await FormPage.GetAsync(client, url);
        page = await page.PostAsync(client, url, new Dictionary<string, string> { [FormPage.Cell("apps.r2.law")] = "4" });

        var result = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            [FormPage.Cell("apps.r2.law")] = bad,
            [FormPage.Cell("apps.new.np")] = "12",
            [FormPage.Cell("apps.carry_out.oth")] = "1,234",
        });

        Assert.Equal(HttpStatusCode.OK, result.Response.StatusCode);
        Assert.Equal(message, result.ErrorText(FormPage.DomId("apps.r2.law")));
        Assert.Equal(bad, result.InputValue("apps.r2.law")); // the raw text stays on the page
        Assert.Equal("12", result.InputValue("apps.new.np"));
        Assert.Equal("1,234", result.InputValue("apps.carry_out.oth"));
        var stored = await StoredCellsAsync(id);
        Assert.Equal(4m, stored["apps.r2.law"]); // kept its stored value
        Assert.Equal(12m, stored["apps.new.np"]);
        Assert.Equal(1234m, stored["apps.carry_out.oth"]);
    }

    [Fact]
    public async Task Money_accepts_six_decimals_and_refuses_seven()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await ClientAsync();
        var url = $"/entry/{id}/s2";
        var page = await FormPage.GetAsync(client, url);
        page = await page.PostAsync(client, url, new Dictionary<string, string> { [FormPage.Cell("a20_8.fees.amount")] = "4.6510" });
        Assert.Equal(4.651m, (await StoredCellsAsync(id))["a20_8.fees.amount"]);

        page = await page.PostAsync(client, url, new Dictionary<string, string> { [FormPage.Cell("a20_8.fees.amount")] = "1234.567891" });
        Assert.Equal("1234.567891", Domain.Values.CellValueParser.FormatValue((await StoredCellsAsync(id))["a20_8.fees.amount"]));
        Assert.Equal("1234.567891", page.Document.GetElementById(FormPage.DomId("a20_8.fees.amount"))!.GetAttribute("value"));

        page = await page.PostAsync(client, url, new Dictionary<string, string> { [FormPage.Cell("a20_8.fees.amount")] = "0.0000001" });
        Assert.Equal("金额最多保留6位小数（单位：万元）", page.ErrorText(FormPage.DomId("a20_8.fees.amount")));
        Assert.Equal(1234.567891m, (await StoredCellsAsync(id))["a20_8.fees.amount"]);
    }

    [Fact]
    public async Task Saving_shows_the_exact_A1_message_on_the_server()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await ClientAsync();
        var url = $"/entry/{id}/s3";
        var page = await FormPage.GetAsync(client, url);
        var result = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            [FormPage.Cell("apps.new.np")] = "8",
            [FormPage.Cell("apps.r1.np")] = "7",
        });
        Assert.Contains("表三 自然人列：一（8）＋二（空）＝8，三（七）总计（7）＋四（空）＝7，相差1", result.Violations());
        // The cells of the violated identity (一, 二, 三（七）, 四 of the column) are marked and described by the message.
        var messageId = result.Document.QuerySelectorAll("#violations li").First(li => li.TextContent.Contains("自然人列")).Id;
        foreach (var cell in new[] { "apps.new.np", "apps.carry_in.np", "apps.r7.np", "apps.carry_out.np" })
        {
            var input = result.Document.GetElementById(FormPage.DomId(cell))!;
            Assert.Contains("rule-error", input.ParentElement!.ClassName);
            Assert.Contains(messageId, input.GetAttribute("aria-describedby")!.Split(' '));
        }
        Assert.DoesNotContain("rule-error", result.Document.GetElementById(FormPage.DomId("apps.new.biz"))!.ParentElement!.ClassName);
    }

    [Fact]
    public async Task A_two_megabyte_paste_is_refused_with_a_message_and_nothing_typed_is_lost()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await ClientAsync();
        var url = $"/entry/{id}/s1";
        var page = await FormPage.GetAsync(client, url);
        var huge = string.Concat(Enumerable.Repeat("政府信息公开工作", 2 * 1024 * 1024 / 8 / 3 + 1)); // ≈ 2 MB of UTF-8
        var result = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            ["Input.Texts[s1.active]"] = huge,
            ["Input.Texts[s1.request]"] = "依申请公开情况。",
        });

        Assert.Equal(HttpStatusCode.OK, result.Response.StatusCode);
        Assert.Contains($"内容过长：{huge.Length + 8:N0}字，本部分最多30,000字", result.ErrorText(FormPage.DomId("s1")).Replace("一、总体情况：", ""));
        Assert.Equal(huge, result.Document.GetElementById(FormPage.DomId("s1.active"))!.TextContent);
        Assert.Equal("依申请公开情况。", result.Document.GetElementById(FormPage.DomId("s1.request"))!.TextContent);
        await using var db = app.Db();
        Assert.False(await db.ReportTexts.AnyAsync(t => t.ReportId == id));
    }

    [Fact]
    public async Task Narrative_text_is_saved_with_line_breaks_normalised()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await ClientAsync();
        var url = $"/entry/{id}/s6";
        var page = await FormPage.GetAsync(client, url);
        await page.PostAsync(client, url, new Dictionary<string, string> { ["Input.Texts[s6.text]"] = "第一段\r\n第二段<script>alert(1)</script>" });
        await using var db = app.Db();
        Assert.Equal("第一段\n第二段<script>alert(1)</script>", (await db.ReportTexts.SingleAsync(t => t.ReportId == id)).Text);
        var reloaded = await FormPage.GetAsync(client, url);
        Assert.DoesNotContain("<script>alert(1)</script>", reloaded.Html);
    }

    /// <summary>Issue 13: a section's save loads only what its merge needs (cells for a table section; outline and texts
    /// for a narrative one). What it did not load must come through the save untouched.</summary>
    [Fact]
    public async Task A_table_save_leaves_texts_outline_and_explanations_and_a_narrative_save_leaves_every_cell_and_total()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await ClientAsync();
        var narrative = await FormPage.GetAsync(client, $"/entry/{id}/s6");
        await narrative.PostAsync(client, $"/entry/{id}/s6", new Dictionary<string, string> { ["Input.Texts[s6.text]"] = "本年度无其他需要报告的事项。" });
        var tables = await FormPage.GetAsync(client, $"/entry/{id}/s3");
        await tables.PostAsync(client, $"/entry/{id}/s3", new Dictionary<string, string>
        {
            [FormPage.Cell("apps.new.np")] = "5", [FormPage.Cell("apps.r1.np")] = "3", [FormPage.Cell("apps.carry_out.np")] = "2",
        });
        await using (var db = app.Db())
        {
            var report = await db.Reports.Include(r => r.Explanations).SingleAsync(r => r.Id == id);
            report.Explain("X1:np", "上年报告有误", DateTimeOffset.UtcNow, null);
            await db.SaveChangesAsync();
        }
        async Task<(Dictionary<string, decimal> Cells, Dictionary<string, string> Texts, List<string> Outline, Dictionary<string, string> Explanations)> StoredAsync()
        {
            await using var db = app.Db();
            return (await StoredCellsAsync(id),
                await db.ReportTexts.Where(t => t.ReportId == id).ToDictionaryAsync(t => t.PartId, t => t.Text),
                await db.ReportParts.Where(p => p.ReportId == id).OrderBy(p => p.PartId).Select(p => $"{p.PartId}@{p.Position}:{p.Heading}").ToListAsync(),
                await db.Set<GovInfoReports.Domain.Reports.WarningExplanation>().Where(e => e.ReportId == id).ToDictionaryAsync(e => e.RuleKey, e => e.Text));
        }
        var before = await StoredAsync();
        Assert.Equal(5m, before.Cells["apps.new.tot"]);
        Assert.NotEmpty(before.Outline);

        // A table save: the cells change, and their totals with them; nothing else.
        tables = await FormPage.GetAsync(client, $"/entry/{id}/s3");
        var saved = await tables.PostAsync(client, $"/entry/{id}/s3", new Dictionary<string, string>
        {
            [FormPage.Cell("apps.new.np")] = "6", [FormPage.Cell("apps.r1.np")] = "4",
        });
        Assert.Contains("已保存（2处修改）", saved.Text);
        var afterTables = await StoredAsync();
        Assert.Equal(6m, afterTables.Cells["apps.new.tot"]);
        Assert.Equal(4m, afterTables.Cells["apps.r7.np"]);
        Assert.Equal(before.Texts, afterTables.Texts);
        Assert.Equal(before.Outline, afterTables.Outline);
        Assert.Equal(before.Explanations, afterTables.Explanations);

        // A narrative save: its text changes; every cell, the totals among them, stays.
        narrative = await FormPage.GetAsync(client, $"/entry/{id}/s6");
        saved = await narrative.PostAsync(client, $"/entry/{id}/s6", new Dictionary<string, string> { ["Input.Texts[s6.text]"] = "本年度无其他需要报告的事项，特此说明。" });
        Assert.Contains("已保存（1处修改）", saved.Text);
        var afterText = await StoredAsync();
        Assert.Equal("本年度无其他需要报告的事项，特此说明。", afterText.Texts["s6.text"]);
        Assert.Equal(afterTables.Cells, afterText.Cells);
        Assert.Equal(afterTables.Outline, afterText.Outline);
        Assert.Equal(afterTables.Explanations, afterText.Explanations);
    }
}

public sealed class FillBlanksAndSeedTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Fill_blanks_records_zero_only_in_the_blank_cells_of_the_section()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/s4";
        var page = await FormPage.GetAsync(client, url);
        var result = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            [FormPage.Cell("lit.all.rv_keep")] = "3",
            ["FillBlanks"] = "true",
        });
        Assert.Contains("已保存（12处修改）", result.Text);
        await using var db = app.Db();
        var cells = await db.ReportCells.Where(c => c.ReportId == id).ToDictionaryAsync(c => c.CellId, c => c.Value);
        Assert.Equal(3m, cells["lit.all.rv_keep"]);
        Assert.Equal(0m, cells["lit.all.la_pend"]);
        Assert.Equal(3m, cells["lit.all.rv_tot"]);
        Assert.DoesNotContain(cells.Keys, k => k.StartsWith("apps.", StringComparison.Ordinal)); // other sections untouched
        Assert.Empty(result.Violations());
    }

    [Fact]
    public async Task Seeding_the_demo_twice_changes_nothing()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var seeder = scope.ServiceProvider.GetRequiredService<GovInfoReports.Web.Demo.DemoSeeder>();
        await using var db = app.Db();
        var before = (await db.Regions.CountAsync(), await db.Agencies.CountAsync(), await db.Reports.CountAsync(r => r.Year == 2022));
        Assert.False(await seeder.SeedAsync(CancellationToken.None, publishHistory: false));
        Assert.Equal(before, (await db.Regions.CountAsync(), await db.Agencies.CountAsync(), await db.Reports.CountAsync(r => r.Year == 2022)));
        Assert.Equal((4, 5), (before.Item1, before.Item2));
    }
}
