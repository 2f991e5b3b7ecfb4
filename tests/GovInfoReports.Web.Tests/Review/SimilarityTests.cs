using GovInfoReports.Domain.Reports.Similarity;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Review;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Review;

/// <summary>内容雷同 (X5): parts near-copied from last year's report or from a report of the same year and region are
/// warnings that need a 说明; a report identical to last year's is one warning of its own; the reviewer sees the
/// similarities with the shared passages marked.</summary>
public sealed class SimilarityTests(AppFixture app) : IClassFixture<AppFixture>
{
    // Years of this class only (its database is its own): two consecutive free years per test.
    private static int _year = 3000;
    private static (int Previous, int Current) Years() { var y = Interlocked.Add(ref _year, 2); return (y - 1, y); }

    private const string Request =
        "本年度共收到政府信息公开申请8件，均为自然人申请，现场接待申请人咨询12人次。我局严格按照《条例》规定的程序和时限办理，" +
        "对申请内容逐件登记、逐件审查，需要征求第三方意见的依法书面征求意见，所有申请均在法定期限内答复完毕，未发生逾期答复的情况。" +
        "在答复文书中告知申请人救济途径，并加强与申请人的沟通，耐心解释不予公开和无法提供的理由，申请人对答复总体满意。";

    private const string Other =
        "我局围绕教育领域重点工作，及时公开招生入学政策、学生资助、教师招聘和财政预决算等信息，通过门户网站、微信公众号同步发布，" +
        "并对重要政策配发图解和问答，全年主动公开各类信息三百余条，回应家长关切。";

    /// <summary>Writes texts as the app does (the app's DbContext, so fingerprints are kept by its interceptor).</summary>
    private async Task WriteAsync(int reportId, params (string Part, string Text)[] texts)
    {
        using var scope = app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var report = await db.Reports.Include(r => r.Texts).SingleAsync(r => r.Id == reportId);
        foreach (var (part, text) in texts) report.SetText(part, text, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    }

    private async Task<SimilarityResult> CheckAsync(int reportId)
    {
        using var scope = app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var report = await db.Reports.AsNoTracking().Include(r => r.Agency).Include(r => r.Texts).Include(r => r.Cells).SingleAsync(r => r.Id == reportId);
        return await scope.ServiceProvider.GetRequiredService<SimilarityChecks>().CheckAsync(report, app.Templates.Get(report.TemplateCode)!, CancellationToken.None);
    }

    private static int Percent(string a, string b) => (int)Math.Floor(TextSimilarity.Jaccard(a, b, 5) * 100 + 1e-9);

    [Fact]
    public async Task A_part_copied_from_last_years_report_is_a_warning_naming_the_part_and_percent_that_needs_a_reason_before_submission()
    {
        var (previousYear, year) = Years();
        var previous = await app.NewReportAsync(previousYear);
        await app.FillFixture002Async(previous);
        await WriteAsync(previous, ("s1.request", Request));
        var id = await app.NewReportAsync(year);
        await app.FillFixture002Async(id, ("a20_1.normative.in_force", 29)); // continues last year's 23 + 6 (X2)
        var copied = Request.Replace("12人次", "15人次", StringComparison.Ordinal);
        await WriteAsync(id, ("s1.request", copied));

        var percent = Percent(copied, Request);
        Assert.InRange(percent, 90, 99);
        var warning = $"一、总体情况（二）依申请公开与本机关{previousYear}年度报告的相应内容相似度{percent}%，疑似照搬上年内容（内容雷同）；如确需沿用，请说明";
        var clerk = await app.ClientAsync("edu");
        var overview = await FormPage.GetAsync(clerk, $"/entry/{id}");
        Assert.Contains(warning, overview.Text);
        Assert.DoesNotContain("完全相同", overview.Text);

        var refused = await overview.PostAsync(clerk, $"/entry/{id}", new Dictionary<string, string>(), "form.submit-form", "Submit");
        Assert.Contains($"请填写说明：{warning}", refused.Text);
        var explained = await refused.PostAsync(clerk, $"/entry/{id}", new Dictionary<string, string>
        {
            ["Explanations[X5:prev:s1.request]"] = "本年度依申请公开的办理程序与上年相同，仅件数不同。",
        }, "form[action*=Explain]", "Explain");
        Assert.Contains("说明已保存", explained.Text);
        var submitted = await explained.PostAsync(clerk, $"/entry/{id}", new Dictionary<string, string>(), "form.submit-form", "Submit");
        Assert.Contains("报告已提交，等待审核", submitted.Text);
    }

    [Fact]
    public async Task A_part_rewritten_since_last_year_is_no_warning()
    {
        var (previousYear, year) = Years();
        var previous = await app.NewReportAsync(previousYear);
        await app.FillFixture002Async(previous);
        await WriteAsync(previous, ("s1.request", Request));
        var id = await app.NewReportAsync(year);
        await app.FillFixture002Async(id);
        await WriteAsync(id, ("s1.request", Other));

        var result = await CheckAsync(id);
        Assert.Empty(result.Violations);
        Assert.Null(Assert.Single(result.Parts, p => p.Part.Id == "s1.request").Previous);
    }

    [Fact]
    public async Task A_report_identical_to_last_years_in_every_cell_and_paragraph_is_one_warning_of_its_own()
    {
        var (previousYear, year) = Years();
        var previous = await app.NewReportAsync(previousYear);
        await app.FillFixture002Async(previous);
        await WriteAsync(previous, ("s1.request", Request), ("s6.text", "本年度未收取信息处理费。"));
        var id = await app.NewReportAsync(year);
        await app.FillFixture002Async(id);
        await WriteAsync(id, ("s1.request", Request), ("s6.text", "本年度未收取信息处理费。"));

        var result = await CheckAsync(id);
        Assert.True(result.IdenticalToPrevious);
        var violation = Assert.Single(result.Violations);
        Assert.Equal(SimilarityChecks.IdenticalKey, violation.Key);
        Assert.Equal("X5a", violation.RuleId);
        var clerk = await app.ClientAsync("edu");
        var overview = await FormPage.GetAsync(clerk, $"/entry/{id}");
        Assert.Contains($"本报告与本机关{previousYear}年度报告完全相同（每个单元格、每段文字），请核对是否误用上年报告；如确无变化，请说明", overview.Text);

        // One cell different: no longer the same report, but the copied part still is.
        using (var scope = app.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var report = await db.Reports.Include(r => r.Cells).SingleAsync(r => r.Id == id);
            report.SetCell("a20_1.rules.issued", 0m + report.CellValues()["a20_1.rules.issued"] + 1, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        result = await CheckAsync(id);
        Assert.False(result.IdenticalToPrevious);
        Assert.Equal(["X5:prev:s1.request"], result.Violations.Select(v => v.Key));
    }

    [Fact]
    public async Task A_copy_of_a_report_of_the_same_year_in_the_same_region_is_found_and_one_in_another_region_is_not()
    {
        var (_, year) = Years();
        var mine = await app.NewReportAsync(year, "获嘉县教育局");
        var sameRegion = await app.NewReportAsync(year, "获嘉县人民政府办公室");
        var otherRegion = await app.NewReportAsync(year, "新乡市人民政府");
        var unrelated = await app.NewReportAsync(year, "获嘉县人民政府");
        await WriteAsync(sameRegion, ("s5.text", Request.Replace("我局", "我办")));
        await WriteAsync(otherRegion, ("s1.request", Request));
        await WriteAsync(unrelated, ("s1.request", Other));
        await WriteAsync(mine, ("s1.request", Request));

        var result = await CheckAsync(mine);
        var part = Assert.Single(result.Parts, p => p.Part.Id == "s1.request");
        var peer = Assert.Single(part.Peers);
        Assert.Equal(sameRegion, peer.ReportId);
        Assert.Equal("s5.text", peer.PartId);
        Assert.Equal(Percent(Request, Request.Replace("我局", "我办")), peer.Percent);
        var violation = Assert.Single(result.Violations);
        Assert.Equal("X5:peer:s1.request", violation.Key);
        Assert.Contains($"与本地区获嘉县人民政府办公室{year}年度报告的内容相似度{peer.Percent}%", violation.Message);

        // And the other way round: the office's report finds the education bureau's.
        var theirs = await CheckAsync(sameRegion);
        Assert.Equal(mine, Assert.Single(Assert.Single(theirs.Parts).Peers).ReportId);
    }

    [Fact]
    public async Task Saving_a_part_rewrites_its_fingerprint_and_removing_the_text_removes_it()
    {
        var (_, year) = Years();
        var id = await app.NewReportAsync(year);
        await WriteAsync(id, ("s1.request", Request));
        await using (var db = app.Db())
        {
            var stored = await db.TextFingerprints.SingleAsync(f => f.ReportId == id && f.PartId == "s1.request");
            Assert.Equal(TextSimilarity.Signature(Request, 5), TextFingerprintIndex.Read(stored.Signature));
            Assert.Equal(TextSimilarity.BandKeys(TextSimilarity.Signature(Request, 5)), stored.Bands);
            Assert.Equal(year, stored.Year);
        }
        await WriteAsync(id, ("s1.request", Other));
        await using (var db = app.Db())
            Assert.Equal(TextSimilarity.Signature(Other, 5),
                TextFingerprintIndex.Read((await db.TextFingerprints.SingleAsync(f => f.ReportId == id && f.PartId == "s1.request")).Signature));
        await WriteAsync(id, ("s1.request", ""));
        await using (var db = app.Db())
            Assert.False(await db.TextFingerprints.AnyAsync(f => f.ReportId == id && f.PartId == "s1.request"));
    }

    [Fact]
    public async Task The_reviewer_sees_the_similarity_and_the_shared_passages_marked_side_by_side()
    {
        var (previousYear, year) = Years();
        var previous = await app.NewReportAsync(previousYear);
        await app.FillFixture002Async(previous);
        await WriteAsync(previous, ("s1.request", "去岁起笔。" + Request));
        var id = await app.NewReportAsync(year);
        await app.FillFixture002Async(id, ("a20_1.normative.in_force", 29)); // continues last year's 23 + 6 (X2)
        var copied = "今年开头。" + Request;
        await WriteAsync(id, ("s1.request", copied));
        var clerk = await app.ClientAsync("edu");
        await FormPage.PostHandlerAsync(clerk, $"/entry/{id}", "Explain", new() { ["Explanations[X5:prev:s1.request]"] = "程序未变。" });
        Assert.Contains("报告已提交，等待审核", (await FormPage.PostHandlerAsync(clerk, $"/entry/{id}", "Submit")).Text);

        var reviewer = await app.ClientAsync("reviewer");
        var page = await FormPage.GetAsync(reviewer, $"/review/{id}");
        var section = page.Document.GetElementById("similarity")!;
        Assert.Contains("一、总体情况（二）依申请公开", section.QuerySelector("h3")!.TextContent);
        var item = section.QuerySelector("li.similar-warned")!;
        Assert.Contains($"与本机关{previousYear}年度报告相似度 {Percent(copied, "去岁起笔。" + Request)}%", item.QuerySelector("summary")!.TextContent);
        Assert.NotNull(item.QuerySelector("details[open]"));
        var sides = item.QuerySelectorAll(".similar-text").ToList();
        Assert.Equal(2, sides.Count);
        // Each side: its own text whole, the shared passage (the copied paragraph, up to its last letter) marked, the rest not.
        Assert.Equal(copied, sides[0].TextContent);
        Assert.Equal(Request.TrimEnd('。'), Assert.Single(sides[0].QuerySelectorAll("mark")).TextContent);
        Assert.Equal("去岁起笔。" + Request, sides[1].TextContent);
        Assert.Equal(Request.TrimEnd('。'), Assert.Single(sides[1].QuerySelectorAll("mark")).TextContent);
    }
}
