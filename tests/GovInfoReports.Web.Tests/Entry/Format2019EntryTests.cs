using System.Net;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>The 2019 format (国办公开办函〔2019〕60号) through the section forms: signed 本年增/减, not-applicable
/// cells and 采购总金额 stored with the unit the agency printed (元 or 万元), against real PostgreSQL.</summary>
public sealed class Format2019EntryTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Amount = "a20_9.procurement.amount";
    private const string Change = "a20_5.licensing.change";
    private static string Unit(string cellId) => $"Input.Units[{cellId}]";

    private async Task<Dictionary<string, (decimal Value, string? Unit)>> StoredCellsAsync(int reportId)
    {
        await using var db = app.Db();
        return await db.ReportCells.Where(c => c.ReportId == reportId).ToDictionaryAsync(c => c.CellId, c => (c.Value, c.Unit));
    }

    [Fact]
    public async Task A_purchase_amount_in_yuan_is_stored_in_wanyuan_with_its_unit_and_shown_again_as_printed()
    {
        var id = await app.NewReportAsync(2019);
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/s2";
        var page = await FormPage.GetAsync(client, url);

        var saved = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            [FormPage.Cell(Amount)] = "21174299",
            [Unit(Amount)] = "yuan",
            [FormPage.Cell(Change)] = "－649", // full-width minus, as printed in fixture 003
        });

        Assert.Equal(HttpStatusCode.OK, saved.Response.StatusCode);
        Assert.Contains("已保存（2处修改）", saved.Text);
        var stored = await StoredCellsAsync(id);
        Assert.Equal((2117.4299m, "yuan"), stored[Amount]);
        Assert.Equal((-649m, (string?)null), stored[Change]);
        Assert.Equal("21174299", saved.InputValue(Amount));
        Assert.Equal("yuan", saved.Fields()[Unit(Amount)]);
        Assert.Equal("-649", saved.InputValue(Change));

        // Changing the unit alone is a change: the same digits now mean 万元.
        var wanyuan = await saved.PostAsync(client, url, new Dictionary<string, string> { [Unit(Amount)] = "wanyuan" });
        Assert.Contains("已保存（1处修改）", wanyuan.Text);
        Assert.Equal((21174299m, "wanyuan"), (await StoredCellsAsync(id))[Amount]);
    }

    [Fact]
    public async Task A_purchase_amount_without_its_unit_gets_a_chinese_message_every_other_value_is_saved_and_not_applicable_cells_have_no_input()
    {
        var id = await app.NewReportAsync(2020);
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/s2";
        var page = await FormPage.GetAsync(client, url);

        foreach (var na in new[] { "a20_8.fees.na", "a20_9.procurement.na" })
        {
            Assert.Null(page.Document.QuerySelector($"[data-cell='{na}']")); // never enterable
            var td = page.Document.QuerySelector($"td[data-na='{na}']");
            Assert.NotNull(td);
            Assert.Equal("", td.TextContent.Trim()); // drawn blank, never 0
        }

        var result = await page.PostAsync(client, url, new Dictionary<string, string>
        {
            [FormPage.Cell("a20_8.fees.na")] = "0", // a forged post into a not-applicable cell
            [FormPage.Cell(Amount)] = "1200.5",
            [FormPage.Cell(Change)] = "-3",
            [FormPage.Cell("a20_1.rules.made")] = "2",
        });

        Assert.Equal(HttpStatusCode.OK, result.Response.StatusCode);
        Assert.Equal("请选择金额的单位（元或万元），按报告印发的数字填写", result.ErrorText(FormPage.DomId(Amount)));
        Assert.Equal("1200.5", result.InputValue(Amount)); // what was typed stays
        var stored = await StoredCellsAsync(id);
        Assert.False(stored.ContainsKey(Amount));
        Assert.False(stored.ContainsKey("a20_8.fees.na"));
        Assert.Equal(-3m, stored[Change].Value);
        Assert.Equal(2m, stored["a20_1.rules.made"].Value);
    }
}
