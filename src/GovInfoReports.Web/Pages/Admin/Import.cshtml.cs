using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Pages.Admin;

/// <summary>Imports a published report from the open-data JSON.</summary>
public sealed class ImportModel(ReportImporter importer, AccessControl access) : PageModel
{
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public string? Json { get; set; }
    public IReadOnlyList<string> Problems { get; private set; } = [];
    [TempData] public string? Notice { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var text = Json;
        if (Upload is { Length: > 0 })
        {
            if (Upload.Length > 10 * 1024 * 1024) { Problems = ["文件过大（最大10 MB）"]; return Page(); }
            using var reader = new StreamReader(Upload.OpenReadStream());
            text = await reader.ReadToEndAsync(ct);
        }
        if (string.IsNullOrWhiteSpace(text)) { Problems = ["请选择JSON文件或粘贴JSON内容"]; return Page(); }
        var result = await importer.ImportAsync(text, access.UserId, ct);
        if (!result.Imported) { Problems = result.Problems; return Page(); }
        Notice = $"已导入：{result.Permalink}";
        return Redirect("/admin/import");
    }
}
