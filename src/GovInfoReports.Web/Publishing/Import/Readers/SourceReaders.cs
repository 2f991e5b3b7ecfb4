using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using GovInfoReports.Domain.Import;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>What reading a file gave: the document, or why there is none.</summary>
/// <param name="Document">The lines read; null exactly when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the file cannot be read, in Chinese for the clerk: what was found and what is expected.</param>
/// <param name="Note">Something the clerk should know about a file that was read, in Chinese (its extension names
/// another kind of file than its content).</param>
public sealed record SourceReading(SourceDocument? Document, string? Error, string? Note = null);

/// <summary>
/// The one entry point for reading a published 政府信息公开工作年度报告 from a file: chooses the reader by the content
/// (magic bytes, not the name: a PDF starts with <c>%PDF</c>, a .docx/.xlsx is a ZIP holding word/document.xml or
/// xl/workbook.xml, a web page is HTML text, any other text is read by <see cref="TextSource"/>) and compares it
/// with the extension: a file whose extension names another kind is read by its content, with a
/// <see cref="SourceReading.Note"/> saying so. Never throws for bad input: every refusal is a
/// <see cref="SourceReading.Error"/>.
/// </summary>
public static partial class SourceReaders
{
    /// <summary>The largest file read, in bytes (50 MB): a year's report with its tables is a few MB at most even
    /// as a scanned PDF; more is not a report.</summary>
    public const int MaxBytes = 50 * 1024 * 1024;

    private const string Supported = "支持 .txt .html .htm .docx .pdf .xlsx";

    /// <summary>Reads <paramref name="content"/>, a file the clerk uploaded as <paramref name="fileName"/> (only its
    /// extension is used). Refuses, with a Chinese message: an empty file, one over <see cref="MaxBytes"/>, a legacy
    /// .doc/.xls (or a password-protected Office file: both are OLE2 containers), an encrypted or damaged PDF, a
    /// scanned PDF without a text layer, images, other archives and binaries.</summary>
    public static SourceReading Read(string fileName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length == 0) return Refused("文件是空的：没有可读取的内容");
        if (content.Length > MaxBytes) return Refused($"文件太大（{content.Length / 1024.0 / 1024.0:0.#} MB）：最大 {MaxBytes / 1024 / 1024} MB");
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        SourceKind? kind = null;
        try
        {
            (kind, var refusal) = Detect(content, extension);
            if (refusal is not null) return Refused(refusal);
            var note = Mismatch(extension, kind!.Value);
            return kind switch
            {
                SourceKind.Pdf => PdfSource.Read(content) switch
                {
                    (var document, null) => new SourceReading(document, null, note),
                    (_, var error) => Refused(error),
                },
                SourceKind.Docx => new SourceReading(DocxSource.Read(content), null, note),
                SourceKind.Xlsx => new SourceReading(XlsxSource.Read(content), null, note),
                SourceKind.Html => new SourceReading(HtmlSource.Read(content), null, note),
                _ => new SourceReading(TextSource.Read(TextSource.Decode(content)!), null, note),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The libraries throw their own (English) exceptions for damaged files; the clerk needs to know only that
            // this file cannot be read and what would do.
            return Refused(kind is { } found
                ? $"文件已损坏，无法按{Name(found)}读取：请重新导出或另存后上传"
                : $"文件已损坏或格式无法识别（{Describe(extension)}）：请重新导出后上传；{Supported}");
        }
    }

    private static SourceReading Refused(string error) => new(null, error);

    /// <summary>The kind of the content, or a refusal saying what it is.</summary>
    private static (SourceKind? Kind, string? Refusal) Detect(byte[] content, string extension)
    {
        var span = content.AsSpan();
        // A PDF's header may follow up to 1 KB of junk (PDF 32000-1 annex H.3).
        if (span[..Math.Min(span.Length, 1024)].IndexOf("%PDF-"u8) >= 0) return (SourceKind.Pdf, null);
        if (span.StartsWith("PK\u0003\u0004"u8) || span.StartsWith("PK\u0005\u0006"u8)) return Zip(content);
        if (span.StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }))
            return (null, extension switch
            {
                ".xls" or ".et" => "这是旧版Excel文件（.xls）：请在Excel或WPS中“另存为”Excel工作簿（.xlsx）后上传",
                ".docx" or ".xlsx" => $"这是加密（设有打开密码）的Office文件：请去掉密码后另存为{extension}再上传",
                _ => "这是旧版Word文档（.doc）或旧版Excel文件（.xls）：请在Word/Excel或WPS中“另存为”.docx或.xlsx后上传",
            });
        if (Image(span) is { } image) return (null, $"这是图片（{image}），无法读取数字：请上传可复制文字的PDF、Word或网页版本");
        if (span.StartsWith("{\\rtf"u8)) return (null, "这是RTF文档：请在Word或WPS中“另存为”Word文档（.docx）后上传");
        if (span.StartsWith("Rar!"u8) || span.StartsWith(new byte[] { 0x37, 0x7A, 0xBC, 0xAF }) || span.StartsWith(new byte[] { 0x1F, 0x8B }))
            return (null, $"这是压缩包：请解压后上传其中的报告文件；{Supported}");

        var head = HeadText(content);
        if (head is null) return (null, $"不是可读取的报告文件：内容既不是文字，也不是Word、Excel、PDF或网页；{Supported}");
        if (head.TrimStart().StartsWith("MIME-Version:", StringComparison.OrdinalIgnoreCase))
            return (null, "这是单个文件网页（.mht）：请在浏览器或Word中另存为网页（.htm/.html）或Word文档（.docx）后上传");
        if (HtmlLike().IsMatch(head)) return (SourceKind.Html, null);
        return TextSource.Decode(content) is null
            ? (null, $"不是可读取的报告文件：内容既不是文字，也不是Word、Excel、PDF或网页；{Supported}")
            : (SourceKind.Text, null);
    }

    /// <summary>A ZIP is a .docx or .xlsx by the part it holds (ECMA-376 part 2: the main part's usual name).</summary>
    private static (SourceKind? Kind, string? Refusal) Zip(byte[] content)
    {
        using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (names.Contains("word/document.xml")) return (SourceKind.Docx, null);
        if (names.Contains("xl/workbook.xml")) return (SourceKind.Xlsx, null);
        if (names.Contains("ppt/presentation.xml")) return (null, $"这是PowerPoint演示文稿，不是报告文件；{Supported}");
        if (names.Contains("OFD.xml")) return (null, "这是OFD版式文件：请另存为PDF（可复制文字）或Word文档（.docx）后上传");
        return (null, $"这是ZIP压缩包，不是Word（.docx）或Excel（.xlsx）文件：请解压后上传其中的报告文件；{Supported}");
    }

    private static string? Image(ReadOnlySpan<byte> span) =>
        span.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47 }) ? "PNG"
        : span.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }) ? "JPEG"
        : span.StartsWith("GIF8"u8) ? "GIF"
        : span.StartsWith("II*\0"u8) || span.StartsWith("MM\0*"u8) ? "TIFF"
        : span.StartsWith("BM"u8) && span.Length > 14 && span[6] == 0 && span[7] == 0 ? "BMP"
        : null;

    /// <summary>The first 4 KB as text to look at: UTF-16 by its byte-order mark; otherwise as Latin-1, which reads the
    /// ASCII of HTML tags in UTF-8 and GB18030 alike. Null when it holds NUL bytes (binary).</summary>
    private static string? HeadText(byte[] content)
    {
        var length = Math.Min(content.Length, 4096);
        if (content.Length >= 2 && (content[0] == 0xFF && content[1] == 0xFE || content[0] == 0xFE && content[1] == 0xFF))
            return (content[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode).GetString(content, 2, (length - 2) & ~1);
        return Array.IndexOf(content, (byte)0, 0, length) >= 0 ? null : Encoding.Latin1.GetString(content, 0, length);
    }

    [GeneratedRegex(@"<(!doctype\s+html|html|head|body|meta|table|div|p|span|h[1-6])[\s>/]", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlLike();

    /// <summary>The note for a file whose extension names another kind than its content (null when they agree or the
    /// extension names no kind).</summary>
    private static string? Mismatch(string extension, SourceKind kind)
    {
        SourceKind? expected = extension switch
        {
            ".txt" or ".text" => SourceKind.Text,
            ".html" or ".htm" or ".shtml" or ".xhtml" => SourceKind.Html,
            ".docx" => SourceKind.Docx,
            ".pdf" => SourceKind.Pdf,
            ".xlsx" => SourceKind.Xlsx,
            _ => null,
        };
        return expected is null || expected == kind ? null : $"文件扩展名为{extension}，但内容是{Name(kind)}：已按{Name(kind)}读取";
    }

    private static string Name(SourceKind kind) => kind switch
    {
        SourceKind.Pdf => "PDF文件（.pdf）",
        SourceKind.Docx => "Word文档（.docx）",
        SourceKind.Xlsx => "Excel工作簿（.xlsx）",
        SourceKind.Html => "网页（.html）",
        _ => "纯文本（.txt）",
    };

    private static string Describe(string extension) => extension.Length == 0 ? "无扩展名" : "扩展名" + extension;
}
