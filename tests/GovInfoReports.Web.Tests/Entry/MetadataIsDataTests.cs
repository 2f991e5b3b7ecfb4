using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Tests.Support;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>The app runs on a variant of the 2021 template (Templates:Directory) whose metadata block differs: a
/// renamed field, a new hint, a shorter and required 联系方式, a renamed cover line, other version words. The form, its messages, the
/// document's cover and the audit follow, with no code change.</summary>
public sealed class MetadataIsDataTests(MetadataIsDataTests.VariantFixture app) : IClassFixture<MetadataIsDataTests.VariantFixture>
{
    public sealed class VariantFixture : AppFixture
    {
        private readonly Lazy<string> _directory = new(WriteVariant);
        protected override string? TemplateDirectory => _directory.Value;

        private static string WriteVariant()
        {
            var template = JsonNode.Parse(TemplateCatalog.EmbeddedText("2021"))!;
            var fields = template["metadata"]!["fields"]!.AsArray();
            var office = fields.Single(f => f!["id"]!.GetValue<string>() == "compilingOffice")!;
            office["label"] = "编制单位";
            office["hint"] = "填写本机关全称";
            var contact = fields.Single(f => f!["id"]!.GetValue<string>() == "contact")!;
            contact["maxLength"] = 20;
            contact["required"] = true;
            template["metadata"]!["cover"]!.AsArray()[1]!["label"] = "统计时段";
            var versions = template["metadata"]!["versions"]!;
            versions["label"] = "版次";
            versions["published"] = "{date}公布的第{version}稿";
            versions["draft"] = "草稿预览";
            versions["history"] = "历次版本";
            var dir = Directory.CreateTempSubdirectory("gir-template-metadata").FullName;
            File.WriteAllText(Path.Combine(dir, "2021.json"), template.ToJsonString());
            return dir;
        }
    }

    [Fact]
    public async Task Form_messages_cover_and_audit_follow_the_template_metadata()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        var client = await app.ClientAsync("edu");
        var url = $"/entry/{id}/meta";
        var page = await FormPage.GetAsync(client, url);
        Assert.Equal("编制单位", page.Document.QuerySelector("label[for=m-CompilingOffice]")!.TextContent.Trim());
        Assert.Equal("填写本机关全称", page.Document.GetElementById("m-CompilingOffice-hint")!.TextContent.Trim());

        var blank = await page.PostAsync(client, url, new Dictionary<string, string> { ["Input.Contact"] = "" });
        Assert.Equal("请填写联系方式", blank.Document.GetElementById("m-Contact-error")!.TextContent.Trim());
        var longer = await blank.PostAsync(client, url, new Dictionary<string, string> { ["Input.Contact"] = new string('电', 21) });
        Assert.Equal("联系方式最多20字，当前21字", longer.Document.GetElementById("m-Contact-error")!.TextContent.Trim());
        var saved = await longer.PostAsync(client, url, new Dictionary<string, string>
        {
            ["Input.Contact"] = "0373-0000000",
            ["Input.CompilingOffice"] = "获嘉县教育局办公室",
        });
        Assert.Contains("报告信息已保存", saved.Text);

        var preview = await FormPage.GetAsync(client, $"/entry/{id}/preview");
        var cover = preview.Document.QuerySelectorAll(".report-meta dt").Select(dt => dt.TextContent.Trim()).ToList();
        Assert.Equal("统计时段", cover[1]);
        Assert.DoesNotContain("统计期", cover);
        Assert.Equal("草稿预览", preview.Document.QuerySelector(".report-meta dd.draft-mark")!.TextContent.Trim());
        Assert.Contains("版次", cover);

        await using var db = app.Db();
        Assert.Contains(db.AuditEntries.Where(a => a.ReportId == id).Where(a => a.Target == Domain.Reports.AuditTarget.Metadata).Select(a => a.Key).ToList(), k => k == "编制单位");
    }

    [Fact]
    public async Task The_published_version_line_and_history_use_the_template_words()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        await app.PublishViaFormsAsync(id);
        await using var db = app.Db();
        var report = db.Reports.Include(r => r.Agency).Single(r => r.Id == id);

        var page = await FormPage.GetAsync(app.Factory.CreateClient(), $"/reports/{report.Agency.Code}/{report.Year}");
        var line = page.Document.QuerySelectorAll(".report-meta div").Single(d => d.QuerySelector("dt")!.TextContent.Trim() == "版次");
        Assert.Matches(@"^\d{4}年\d{1,2}月\d{1,2}日公布的第1稿$", line.QuerySelector("dd")!.TextContent.Trim());
        Assert.Equal("历次版本", page.Document.GetElementById("versions-heading")!.TextContent.Trim());
        Assert.DoesNotContain("第1版", page.Text);
    }

    [Fact]
    public async Task The_word_documents_print_the_template_version_words()
    {
        var id = await app.NewReportAsync(AppFixture.UniqueYear());
        await app.FillFixture002Async(id);
        static List<string> CoverOf(byte[] docx)
        {
            using var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(docx), false);
            // A cover line is "label<tab>value" (w:tab between two runs).
            return document.MainDocumentPart!.Document.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>()
                .Select(p => string.Join("\t", p.Elements<DocumentFormat.OpenXml.Wordprocessing.Run>().Select(r => r.InnerText))).ToList();
        }
        var preview = CoverOf(await (await app.ClientAsync("edu")).GetByteArrayAsync($"/entry/{id}/preview?format=docx"));
        Assert.Contains("版次\t草稿预览", preview);
        Assert.DoesNotContain(preview, p => p.Contains("预览（未发布）", StringComparison.Ordinal));

        await app.PublishViaFormsAsync(id);
        await using var db = app.Db();
        var report = db.Reports.Include(r => r.Agency).Single(r => r.Id == id);
        var published = CoverOf(await app.Factory.CreateClient().GetByteArrayAsync($"/reports/{report.Agency.Code}/{report.Year}.docx"));
        Assert.Contains(published, p => System.Text.RegularExpressions.Regex.IsMatch(p, @"^版次\t\d{4}年\d{1,2}月\d{1,2}日公布的第1稿$"));
        Assert.DoesNotContain(published, p => p.Contains("第1版", StringComparison.Ordinal));
    }
}
