using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>
/// Version by year with an override (issue 8 part 3): a report published late in a format other than its year's
/// statutory one is created in the format chosen, carries a warning naming both formats, and cannot be submitted
/// until the clerk has written its 说明.
/// </summary>
public sealed class FormatOverrideTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_2021_report_in_the_older_2019_format_needs_a_written_reason_before_it_can_be_submitted()
    {
        var client = await app.ClientAsync("town");
        var page = await FormPage.GetAsync(client, "/entry");
        var agency = page.Document.QuerySelectorAll("#agency option").First(o => o.TextContent.Contains("获嘉县太山镇人民政府")).GetAttribute("value")!;
        var created = await page.PostAsync(client, "/entry", new Dictionary<string, string>
            { ["Input.AgencyId"] = agency, ["Input.Year"] = "2021", ["Input.Template"] = "2019" });
        Assert.Contains("格式：2019年版年度报告格式（试行）", created.Text);
        int id;
        await using (var db = app.Db())
            id = await db.Reports.Where(r => r.Year == 2021 && r.Agency.Name == "获嘉县太山镇人民政府").Select(r => r.Id).SingleAsync();
        await FillBalancedAsync(id);

        var template = app.Templates.Get("2019")!;
        var warning = $"2021年度报告应使用2021年版年度报告格式，本报告使用2019年版年度报告格式（试行）（{template.Basis}），请说明原因";
        var overview = await FormPage.GetAsync(client, $"/entry/{id}");
        Assert.Contains(warning, overview.Text);
        var refused = await overview.PostAsync(client, $"/entry/{id}", new Dictionary<string, string>(), "form.submit-form", "Submit");
        Assert.Contains($"请填写说明：{warning}", refused.Text);

        var explained = await refused.PostAsync(client, $"/entry/{id}", new Dictionary<string, string>
        {
            ["Explanations[format-override]"] = "本镇2021年度报告已于2022年1月按2019年版格式在政府网站发布，此处按原样录入。",
        }, "form[action*=Explain]", "Explain");
        Assert.Contains("说明已保存", explained.Text);
        var submitted = await explained.PostAsync(client, $"/entry/{id}", new Dictionary<string, string>(), "form.submit-form", "Submit");
        Assert.Contains("报告已提交，等待审核", submitted.Text);
        await using (var db = app.Db())
            Assert.Equal(ReportStatus.Submitted, await db.Reports.Where(r => r.Id == id).Select(r => r.Status).SingleAsync());
    }

    /// <summary>Every enterable cell 0 (采购总金额 in 万元), totals computed, every narrative part written: a report with
    /// no error of its own, so only the format warning stands between it and submission.</summary>
    private async Task FillBalancedAsync(int id)
    {
        await using var db = app.Db();
        var report = await db.Reports.Include(r => r.Cells).Include(r => r.Texts).SingleAsync(r => r.Id == id);
        var template = app.Templates.Get(report.TemplateCode)!;
        var now = DateTimeOffset.UtcNow;
        var values = template.Cells.Where(c => c.Enterable).ToDictionary(c => c.Id, _ => 0m, StringComparer.Ordinal);
        Domain.Rules.RuleEvaluator.ComputeTotals(template, values);
        foreach (var (cell, value) in values)
            report.SetCell(cell, value, now, null, template.CellsById[cell].Kind.Units.Count > 0 ? template.CellsById[cell].Kind.Units[0].Code : null);
        foreach (var part in report.Parts()) report.SetText(part.Id, "无。", now);
        // A 乡镇人民政府's report states its problems (rule N12) and its 工作考核, 社会评议 and 责任追究 (条例 art. 50(四), rule N10).
        report.SetText("s1.oversight", "将政务公开纳入年度工作考核，邀请群众代表开展社会评议，落实责任追究。", now);
        report.SetText("s5.text", "部分村务信息公开不及时。下一步将建立定期更新制度，由专人负责督促检查。", now);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_report_in_its_years_own_format_carries_no_format_warning()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        var overview = await FormPage.GetAsync(await app.ClientAsync("edu"), $"/entry/{id}");
        Assert.DoesNotContain("请说明原因", overview.Text);
        Assert.Null(overview.Document.QuerySelector("textarea[name='Explanations[format-override]']"));
    }
}
