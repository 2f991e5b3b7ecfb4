namespace GovInfoReports.Domain.Reports;

public enum SnapshotKind { Submission, Publication }

/// <summary>
/// A published version's PDF (the bytes, ~0.2–1 MB), stored in its <see cref="ReportSnapshot"/>'s row but read only when
/// asked for (<c>Include(s =&gt; s.Pdf)</c> or a projection): a page, open-data file or bulk CSV of the version needs its
/// content, not its PDF. Never changes once attached (<see cref="ReportSnapshot.AttachPdf"/>).
/// </summary>
public sealed class SnapshotPdf
{
    private SnapshotPdf() { }
    internal SnapshotPdf(byte[] bytes) => Bytes = bytes;

    /// <summary>The snapshot's id (the same row).</summary>
    public long SnapshotId { get; private set; }
    public byte[] Bytes { get; private set; } = [];
}

/// <summary>
/// A frozen copy of a report's content. A Publication snapshot is a public version (v1, v2, …) and never
/// changes; Submission snapshots let a reviewer see what changed since the previous submission.
/// </summary>
public sealed class ReportSnapshot
{
    private readonly List<SnapshotCell> _cells = [];
    private readonly List<SnapshotText> _texts = [];
    private readonly List<SnapshotPart> _parts = [];

    private ReportSnapshot() { }

    public static ReportSnapshot Of(Report report, SnapshotKind kind, int? version, string? userId, DateTimeOffset now)
    {
        var snapshot = new ReportSnapshot
        {
            ReportId = report.Id, Kind = kind, Revision = report.Revision, Version = version, At = now, UserId = userId,
            TemplateCode = report.TemplateCode, Metadata = report.Metadata,
            CorrectionNote = version > 1 ? report.CorrectionNote : null,
            AgencyName = report.Agency.Name, AgencyKind = report.Agency.Kind,
            RegionCode = report.Agency.Region?.Code ?? "", RegionName = report.Agency.Region?.Name ?? "",
        };
        snapshot._cells.AddRange(report.Cells.Select(c => new SnapshotCell(c.CellId, c.Value, c.Unit)));
        snapshot._texts.AddRange(report.Texts.Select(t => new SnapshotText(t.PartId, t.Text)));
        snapshot._parts.AddRange(report.Outline.Select(p => new SnapshotPart(p.PartId, p.Position, p.Heading)));
        return snapshot;
    }

    public long Id { get; private set; }
    public int ReportId { get; private set; }
    public SnapshotKind Kind { get; private set; }
    public int Revision { get; private set; }
    /// <summary>The public version number, for a Publication.</summary>
    public int? Version { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? UserId { get; private set; }
    public string TemplateCode { get; private set; } = "";
    /// <summary>The metadata as frozen (the same complex type as the report's).</summary>
    public ReportMetadata Metadata { get; private set; } = null!;
    public string? CorrectionNote { get; private set; }
    /// <summary>The agency as it was at publication: renaming or moving an agency later never changes a published version.</summary>
    public string AgencyName { get; private set; } = "";
    public Agencies.AgencyKind AgencyKind { get; private set; }
    public string RegionCode { get; private set; } = "";
    public string RegionName { get; private set; } = "";
    /// <summary>For a Publication: the PDF rendered once at publication, kept in the snapshot's own row but loaded only
    /// when asked for (<see cref="SnapshotPdf"/>); null when not loaded or not rendered (<see cref="PdfSha256"/> says which).</summary>
    public SnapshotPdf? Pdf { get; private set; }
    /// <summary>The SHA-256 (hex) of <see cref="Pdf"/>, shown beside its link; null until the PDF is attached.</summary>
    public string? PdfSha256 { get; private set; }

    /// <summary>For an archive record (a report published elsewhere, imported with its numbers exactly as printed, even
    /// where they break a rule): the import that holds the original file. Null for a version published here.</summary>
    public int? ArchiveImportId { get; private set; }
    /// <summary>The address the archived report was published at, as the importer gave it (may be null).</summary>
    public string? ArchiveSourceUrl { get; private set; }
    /// <summary>The date the archived report was originally published (Beijing date).</summary>
    public DateOnly? ArchivePublishedOn { get; private set; }
    public bool IsArchive => ArchiveImportId is not null;

    /// <summary>Marks a new publication as an archive record of a report published elsewhere (before it is stored: a
    /// published version never changes).</summary>
    /// <exception cref="InvalidOperationException">Not a publication, or already stored.</exception>
    public void MarkArchive(int importId, string? sourceUrl, DateOnly publishedOn)
    {
        if (Kind != SnapshotKind.Publication || Id != 0) throw new InvalidOperationException("Only a new published version can be an archive record.");
        ArchiveImportId = importId;
        ArchiveSourceUrl = string.IsNullOrWhiteSpace(sourceUrl) ? null : sourceUrl.Trim();
        ArchivePublishedOn = publishedOn;
    }

    /// <summary>For a version that came in by import (an archive record, or a version imported from the open-data JSON):
    /// every error and warning the template's rules found in its numbers and texts when it was imported (last year's
    /// report included, as it stood then), kept with the version as they were. Null for a version published here (its
    /// warnings were explained by the clerk before submission). Shown to the reviewer and, for an archive record, on the
    /// public page.</summary>
    public IReadOnlyList<ImportFinding>? ImportFindings { get; private set; }

    /// <summary>Records what the rules found when this new version was imported (before it is stored): its errors and
    /// warnings, each as <see cref="ImportFinding.From"/> keeps it; information (<see cref="Templates.Severity.Info"/>) is not kept.</summary>
    /// <exception cref="InvalidOperationException">Not a new publication.</exception>
    public void RecordImportFindings(IEnumerable<Rules.Violation> found)
    {
        if (Kind != SnapshotKind.Publication || Id != 0) throw new InvalidOperationException("Only a new published version records what its import found.");
        ImportFindings = found.Where(v => v.Severity != Templates.Severity.Info).Select(ImportFinding.From).ToList();
    }

    public void AttachPdf(byte[] pdf)
    {
        if (Kind != SnapshotKind.Publication) throw new InvalidOperationException("Only a published version has a PDF.");
        if (PdfSha256 is not null || Pdf is not null) throw new InvalidOperationException("A published version's PDF never changes.");
        Pdf = new SnapshotPdf(pdf);
        PdfSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf));
    }

    public IReadOnlyList<SnapshotCell> Cells => _cells;
    public IReadOnlyList<SnapshotText> Texts => _texts;

    public IReadOnlyDictionary<string, decimal> CellValues() => _cells.ToDictionary(c => c.CellId, c => c.Value, StringComparer.Ordinal);
    /// <summary>The unit chosen per cell, for the cells that have one (cell id → unit code).</summary>
    public IReadOnlyDictionary<string, string> CellUnits() =>
        _cells.Where(c => c.Unit is not null).ToDictionary(c => c.CellId, c => c.Unit!, StringComparer.Ordinal);
    public IReadOnlyDictionary<string, string> TextValues() => _texts.ToDictionary(t => t.PartId, t => t.Text, StringComparer.Ordinal);

    /// <summary>Every narrative part as frozen, with the heading the agency gave it, each section's in the order
    /// printed (sections in id order).</summary>
    public IReadOnlyList<WrittenPart> Parts() => Report.Written(_parts.Select(p => (p.PartId, p.Position, p.Heading)), TextValues());

    /// <summary>The frozen outline: every narrative part with its place and heading.</summary>
    public IReadOnlyList<SnapshotPart> Outline => _parts;

}

public sealed class SnapshotCell
{
    private SnapshotCell() { }
    internal SnapshotCell(string cellId, decimal value, string? unit = null) { CellId = cellId; Value = value; Unit = unit; }
    public long SnapshotId { get; private set; }
    public string CellId { get; private set; } = "";
    /// <summary>In the kind's unit (万元 for money).</summary>
    public decimal Value { get; private set; }
    /// <summary>The code of the unit the agency printed the value in, or null.</summary>
    public string? Unit { get; private set; }
}

public sealed class SnapshotText
{
    private SnapshotText() { }
    internal SnapshotText(string partId, string text) { PartId = partId; Text = text; }
    public long SnapshotId { get; private set; }
    public string PartId { get; private set; } = "";
    public string Text { get; private set; } = "";
}

/// <summary>One part of a snapshot's narrative outline, as frozen: place in its section and heading (null: none).</summary>
public sealed class SnapshotPart
{
    private SnapshotPart() { }
    internal SnapshotPart(string partId, int position, string? heading) { PartId = partId; Position = position; Heading = heading; }
    public long SnapshotId { get; private set; }
    public string PartId { get; private set; } = "";
    public int Position { get; private set; }
    public string? Heading { get; private set; }
}

/// <summary>A reviewer's comment, optionally pinned to a section, shown to the clerk.</summary>
public sealed class ReviewComment
{
    private ReviewComment() { }
    public ReviewComment(int reportId, int revision, string? sectionId, string text, string userId, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ReportId = reportId; Revision = revision; SectionId = sectionId; Text = text.Trim(); UserId = userId; At = at;
    }
    public long Id { get; private set; }
    public int ReportId { get; private set; }
    public int Revision { get; private set; }
    public string? SectionId { get; private set; }
    public string Text { get; private set; } = "";
    public string UserId { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}

/// <summary>One violation found in an imported version: the rule's id (A1, C4, X1 …), its severity and its message in
/// Chinese as it was given at import.</summary>
public sealed record ImportFinding(string RuleId, Templates.Severity Severity, string Message)
{
    /// <summary>What is kept of a violation: its rule, severity and message (its cells and section are not).</summary>
    public static ImportFinding From(Rules.Violation violation) => new(violation.RuleId, violation.Severity, violation.Message);

    /// <summary>The finding as a violation to list (key = rule id; no section, table or cells).</summary>
    public Rules.Violation ToViolation() => new(RuleId, RuleId, Severity, "", "", Message, []);
}
