namespace GovInfoReports.Domain.Import;

/// <summary>The kind of file or paste a <see cref="SourceDocument"/> was read from.</summary>
public enum SourceKind { Text, Html, Docx, Pdf, Xlsx }

/// <summary>
/// A published report as read from a paste or a file, reduced to what <see cref="PublishedReportParser"/> needs:
/// its lines in reading order. A table row is one line whose <see cref="SourceLine.Cells"/> are the row's cells
/// in grid order; a paragraph is one line with one cell. Readers keep the grid: a cell spanning n columns is its
/// text followed by n−1 empty cells, and a row spanned from above has an empty cell in that position, so values
/// keep their column positions even when a printed cell is blank.
/// </summary>
public sealed record SourceDocument(SourceKind Kind, IReadOnlyList<SourceLine> Lines);

/// <summary>One line of a <see cref="SourceDocument"/>.</summary>
/// <param name="Number">1-based position in the source (the line of a text, the paragraph or table row of a document),
/// shown to the user next to what was read from it.</param>
/// <param name="Cells">The cells' texts, trimmed; empty strings for blank cells (never null).</param>
public sealed record SourceLine(int Number, IReadOnlyList<string> Cells)
{
    /// <summary>The line as it reads, cells joined by a tab.</summary>
    public string Text => string.Join("\t", Cells);
}
