using System.Text.Json.Nodes;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Tests.Support;

namespace GovInfoReports.Web.Tests.Entry;

/// <summary>The app runs on a variant of the 2021 template (Templates:Directory) whose metadata block differs: a
/// renamed field, a new hint, a shorter and required 联系方式, a renamed cover line. The form, its messages, the
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

        await using var db = app.Db();
        Assert.Contains(db.AuditEntries.Where(a => a.ReportId == id).Where(a => a.Target == Domain.Reports.AuditTarget.Metadata).Select(a => a.Key).ToList(), k => k == "编制单位");
    }
}
