using FluentValidation;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Web.Forms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>
/// 导入报告: a published report as a file (.txt .html .htm .docx .pdf .xlsx) or pasted text, for an agency chosen from
/// the registry, into a draft (填报员 of the agency) or an archive record (审核员 of its subtree, 管理员). Reading stores
/// the original as a pending import and opens its preview; nothing else is stored before the preview is confirmed.
/// </summary>
// A file or a paste up to 50 MB arrives whole, so that one over it is refused at its field rather than by the server.
[RequestSizeLimit(2L * SourceReaders.MaxBytes + 1_000_000)]
[RequestFormLimits(MultipartBodyLengthLimit = 2L * SourceReaders.MaxBytes + 1_000_000, ValueLengthLimit = 2 * SourceReaders.MaxBytes)]
public sealed class StartModel(ReportImports imports, IValidator<ImportStartForm> validator) : PageModel
{
    /// <summary>Largest pasted text, in UTF-8 bytes: as large as a file may be (a 30-page report is some 100 KB).</summary>
    public const int MaxPasteBytes = SourceReaders.MaxBytes;

    public sealed class StartInput
    {
        public string? AgencyId { get; set; }
        public string? Destination { get; set; }
        public string? Text { get; set; }
        /// <summary>A draft whose tables the uploaded workbook fills (the 用Excel填写表格 form of its overview), or null.</summary>
        public string? ReportId { get; set; }
    }

    [BindProperty] public StartInput Input { get; set; } = new();
    [BindProperty] public IFormFile? Upload { get; set; }
    public IReadOnlyList<Agency> DraftAgencies { get; private set; } = [];
    public IReadOnlyList<Agency> ArchiveAgencies { get; private set; } = [];
    /// <summary>Why the document could not be read (nothing was stored).</summary>
    public string? ReadError { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (DraftAgencies.Count == 0 && ArchiveAgencies.Count == 0) return Forbid();
        Input.Destination = DraftAgencies.Count > 0 ? nameof(ImportDestination.Draft) : nameof(ImportDestination.Archive);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (DraftAgencies.Count == 0 && ArchiveAgencies.Count == 0) return Forbid();
        var form = new ImportStartForm(Input.Destination, Upload, Input.Text);
        var valid = (await validator.ValidateAsync(form, ct)).AddTo(ModelState);
        var destination = ImportStartForm.DestinationOf(Input.Destination);
        // Which agencies the user may choose depends on its grants: checked here, with the destination's own words.
        var allowed = destination == ImportDestination.Archive ? ArchiveAgencies : DraftAgencies;
        var agency = int.TryParse(Input.AgencyId, out var id) ? allowed.FirstOrDefault(a => a.Id == id) : null;
        if (destination is not null && agency is null)
            ModelState.AddModelError("Input.AgencyId", destination == ImportDestination.Archive
                ? "请选择您审核范围内的机关（存档记录由审核员或管理员建立）" : "请选择您负责填报的机关（草稿由该机关的填报员导入）");
        // Tens of megabytes refused are not sent back into a text box, which would stall the browser.
        if (!valid && ModelState["Input.Text"] is { Errors.Count: > 0 }) Input.Text = null;
        byte[]? content = null;
        var fileName = "粘贴的文字.txt";
        if (valid && Upload is { Length: > 0 })
        {
            using var stream = new MemoryStream();
            await Upload.CopyToAsync(stream, ct);
            content = stream.ToArray();
            fileName = Path.GetFileName(Upload.FileName);
        }
        else if (valid) content = System.Text.Encoding.UTF8.GetBytes(Input.Text!);
        if (!ModelState.IsValid || content is null || agency is null || destination is null) return Page();

        int? target = int.TryParse(Input.ReportId, out var reportId) ? reportId : null;
        var (import, error) = await imports.StartAsync(agency.Id, destination.Value, fileName, content, ct, target);
        if (import is null)
        {
            ReadError = error;
            return Page();
        }
        return Redirect($"/import/{import.Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        DraftAgencies = await imports.AgenciesAsync(ImportDestination.Draft, ct);
        ArchiveAgencies = await imports.AgenciesAsync(ImportDestination.Archive, ct);
    }
}

/// <summary>The 导入报告 form as posted: the destination (Draft, Archive), a file (form field <c>Upload</c>) or pasted text.
/// The agency is checked by the page against the user's grants.</summary>
public sealed record ImportStartForm(string? Destination, IFormFile? Upload, string? Text)
{
    /// <summary>The destination posted, or null when it names none.</summary>
    public static ImportDestination? DestinationOf(string? value) =>
        Enum.TryParse<ImportDestination>(value, out var d) && Enum.IsDefined(d) ? d : null;
}

/// <summary>导入报告's field rules: a destination; a file or a paste; either at most <see cref="SourceReaders.MaxBytes"/>
/// (50 MB; a paste counted in UTF-8 bytes, as it is stored). What the file holds is the readers' and parser's to judge.</summary>
public sealed class ImportStartFormValidator : AbstractValidator<ImportStartForm>
{
    public ImportStartFormValidator()
    {
        RuleFor(f => f.Destination).Must(d => ImportStartForm.DestinationOf(d) is not null).WithMessage("请选择导入为草稿还是存档记录")
            .OverridePropertyName("Input.Destination");
        RuleFor(f => f.Upload).Must(u => u!.Length <= SourceReaders.MaxBytes).When(f => f.Upload is { Length: > 0 })
            .WithMessage((_, u) => $"文件有{u!.Length / 1024 / 1024} MB，最大{SourceReaders.MaxBytes / 1024 / 1024} MB");
        RuleFor(f => f.Upload).Must(_ => false).When(f => f.Upload is not { Length: > 0 } && string.IsNullOrWhiteSpace(f.Text))
            .WithMessage("请选择文件或粘贴报告的文字");
        RuleFor(f => f.Text).Must(t => System.Text.Encoding.UTF8.GetByteCount(t!) <= StartModel.MaxPasteBytes)
            .When(f => f.Upload is not { Length: > 0 } && !string.IsNullOrWhiteSpace(f.Text))
            .WithMessage((_, t) => $"粘贴的内容有{System.Text.Encoding.UTF8.GetByteCount(t!) / 1024.0 / 1024.0:F1} MB，最多{StartModel.MaxPasteBytes / 1024 / 1024} MB")
            .OverridePropertyName("Input.Text");
    }
}
