using GovInfoReports.Domain.Agencies;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>Where an imported report goes: a draft that follows the normal workflow, or an archive record of a report
/// already published elsewhere, published at once with its numbers as printed (issue 10 part 5).</summary>
public enum ImportDestination { Draft, Archive }

public enum ImportStatus { Pending, Confirmed }

/// <summary>
/// One import of a published report: the original file as uploaded or pasted (kept, downloadable, with its SHA-256),
/// who brought it in for which agency and destination, and, once confirmed, the report it made. Nothing else is stored
/// until the user confirms the preview; the audit of an import is this row plus the report's own audit trail.
/// </summary>
public sealed class ReportImport
{
    private ReportImport() { }

    /// <param name="content">The bytes as received (a paste is stored as UTF-8 text).</param>
    /// <param name="userId">Who imports; null for the command line (<c>--import-report … --agency</c>).</param>
    public ReportImport(Agency agency, ImportDestination destination, string fileName, string sourceKind, byte[] content, string? userId, DateTimeOffset now)
    {
        AgencyId = agency.Id;
        Agency = agency;
        Destination = destination;
        FileName = fileName;
        SourceKind = sourceKind;
        Content = content;
        Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        UserId = userId;
        CreatedAt = now;
        Status = ImportStatus.Pending;
    }

    public int Id { get; private set; }
    public int AgencyId { get; private set; }
    public Agency Agency { get; private set; } = null!;
    public ImportDestination Destination { get; private set; }
    public ImportStatus Status { get; private set; }
    /// <summary>The uploaded file's name, or 粘贴的文字.txt for a paste.</summary>
    public string FileName { get; private set; } = "";
    /// <summary>What the file was read as: text, html, docx, pdf, xlsx.</summary>
    public string SourceKind { get; private set; } = "";
    public byte[] Content { get; private set; } = [];
    public string Sha256 { get; private set; } = "";
    /// <summary>Who imported it; null when it came from the command line.</summary>
    public string? UserId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public int? ReportId { get; private set; }
    /// <summary>An existing draft whose tables the file fills (the workbook downloaded from that draft, filled in
    /// Excel or WPS); null: the import makes a new report.</summary>
    public int? TargetReportId { get; private set; }

    /// <summary>Makes this import fill the tables of an existing draft instead of making a report.</summary>
    public void Target(int reportId)
    {
        if (Status != ImportStatus.Pending || Destination != ImportDestination.Draft) throw new InvalidOperationException("Only a pending draft import can fill a draft.");
        TargetReportId = reportId;
    }
    public DateTimeOffset? ConfirmedAt { get; private set; }
    public string? ConfirmedBy { get; private set; }

    /// <exception cref="InvalidOperationException">Already confirmed.</exception>
    public void Confirm(int reportId, string? userId, DateTimeOffset now)
    {
        if (Status != ImportStatus.Pending) throw new InvalidOperationException("This import was already confirmed.");
        Status = ImportStatus.Confirmed;
        ReportId = reportId;
        ConfirmedBy = userId;
        ConfirmedAt = now;
    }
}
