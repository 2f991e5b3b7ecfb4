using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>The 2019 format's section 二 in headless Chromium: a negative 本年增/减 is accepted while typing, 采购总金额
/// asks for its unit until 元 or 万元 is chosen, and the save stores the value in 万元 with the unit.</summary>
[Collection("Browser")]
public sealed class Format2019LiveEntryTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    [Fact]
    public async Task A_negative_change_is_accepted_and_the_purchase_amount_asks_for_its_unit_until_yuan_is_chosen()
    {
        var id = await app.NewReportAsync(2020);
        await using var browserPage = await TestBrowser.NewPageAsync(app.Factory.ServerAddress, true);
        var page = browserPage.Page;
        await AppFixture.LoginAsync(page, "edu");
        await page.GotoAsync($"/entry/{id}/s2");

        await page.Locator("#c-a20_5-licensing-change").FillAsync("－649");
        Assert.Equal("", await page.Locator("#e-c-a20_5-licensing-change").TextContentAsync());
        await page.Locator("#c-a20_9-procurement-amount").FillAsync("21174299");
        Assert.Equal("请选择金额的单位（元或万元），按报告印发的数字填写", await page.Locator("#e-c-a20_9-procurement-amount").TextContentAsync());
        await page.Locator("#u-c-a20_9-procurement-amount").SelectOptionAsync("yuan");
        Assert.Equal("", await page.Locator("#e-c-a20_9-procurement-amount").TextContentAsync());
        Assert.Equal(0, await page.Locator("[data-cell='a20_8.fees.na']").CountAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/s2");
        Assert.Contains("已保存（2处修改）", await page.Locator(".notice").TextContentAsync());
        Assert.Equal("21174299", await page.Locator("#c-a20_9-procurement-amount").InputValueAsync());
        Assert.Equal("yuan", await page.Locator("#u-c-a20_9-procurement-amount").InputValueAsync());
        await using var db = app.Db();
        var amount = await db.ReportCells.SingleAsync(c => c.ReportId == id && c.CellId == "a20_9.procurement.amount");
        Assert.Equal((2117.4299m, "yuan"), (amount.Value, amount.Unit));
        Assert.Empty(browserPage.Errors);
    }
}
