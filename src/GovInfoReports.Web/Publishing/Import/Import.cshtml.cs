using FluentValidation;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Forms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Publishing;

/// <summary>Imports a published report from the open-data JSON.</summary>
public sealed class ImportModel(ReportImporter importer, AccessControl access, IValidator<ImportInput> validator) : PageModel
{
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public string? Json { get; set; }
    /// <summary>Why the importer refused the report (its content); problems of the form itself are at its fields.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];
    [TempData] public string? Notice { get; set; }
    /// <summary>The warnings of the report just imported (kept with its version), one per line.</summary>
    [TempData] public string? ImportedWarnings { get; set; }

    public IReadOnlyList<string> Warnings => ImportedWarnings?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!(await validator.ValidateAsync(new ImportInput(Upload, Json), ct)).AddTo(ModelState)) return Page();
        var text = Json;
        if (Upload is { Length: > 0 })
        {
            using var reader = new StreamReader(Upload.OpenReadStream());
            text = await reader.ReadToEndAsync(ct);
        }
        var result = await importer.ImportAsync(text!, access.UserId, ct);
        if (!result.Imported) { Problems = result.Problems; return Page(); }
        Notice = result.Warnings.Count == 0 ? $"已导入：{result.Permalink}" : $"已导入：{result.Permalink}；有{result.Warnings.Count}条警告，已随该版本保存，审核员在审核页可以看到";
        ImportedWarnings = result.Warnings.Count == 0 ? null : string.Join('\n', result.Warnings);
        return Redirect("/admin/import");
    }
}

/// <summary>The import form: a JSON file (form field <c>Upload</c>) or pasted JSON (<c>Json</c>); a file wins.</summary>
public sealed record ImportInput(IFormFile? Upload, string? Json);

/// <summary>The import form needs a file or pasted text, each at most <see cref="MaxBytes"/> (a published report's
/// JSON is some 20 KB); what the JSON holds is the importer's to judge.</summary>
public sealed class ImportInputValidator : AbstractValidator<ImportInput>
{
    /// <summary>Largest file, and largest pasted text in characters: 10 MB.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    public ImportInputValidator()
    {
        RuleFor(i => i.Json).NotEmpty().When(i => i.Upload is not { Length: > 0 }).WithMessage("请选择JSON文件或粘贴JSON内容")
            .MaximumLength(MaxBytes).WithMessage("粘贴的内容过长（最多10 MB）");
        RuleFor(i => i.Upload).Must(f => f!.Length <= MaxBytes).When(i => i.Upload is not null).WithMessage("文件过大（最大10 MB）");
    }
}
