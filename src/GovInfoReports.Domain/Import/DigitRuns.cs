namespace GovInfoReports.Domain.Import;

/// <summary>
/// Numbers of one table row printed without separators, e.g. <c>352001038</c> for the seven cells 35|2|0|0|1|0|38 of a
/// 表三 row, or 17 digits for the 15 cells of 表四. <see cref="Tokens"/> are the pieces the text did separate (by a space,
/// a minus sign, a tab…), in order; each token holds one or more whole values, so a split never crosses a token's edge.
/// A token is digits, optionally with a leading '-' (a negative first value, only in a signed cell such as 2019 本年增/减)
/// or with one '.' (then it is one money value, never split).
/// </summary>
/// <param name="TableId">The template table (e.g. <c>apps</c>).</param>
/// <param name="CellIds">The template cell ids the tokens fill, in order (the row's applicable columns).</param>
/// <param name="Tokens">At least one token; together they hold exactly <see cref="CellIds"/>.Count values.</param>
/// <param name="SourceText">The text as printed, shown to the user when the run stays unresolved.</param>
/// <param name="LineNumber">The <see cref="SourceLine.Number"/> it came from.</param>
public sealed record DigitRun(string TableId, IReadOnlyList<string> CellIds, IReadOnlyList<string> Tokens, string SourceText, int LineNumber);

/// <summary>What the template's arithmetic says about the <see cref="DigitRun"/>s of one table.</summary>
/// <param name="Inferred">Cells that have the same value in every split satisfying the rules (由勾稽关系推定).</param>
/// <param name="Ambiguous">Cells whose value differs between satisfying splits: the distinct values, ascending (待确认).</param>
/// <param name="Unresolved">Runs no split of which satisfies the rules (their cells are neither inferred nor ambiguous).</param>
/// <param name="Solutions">How many satisfying splits were found (up to the search's bound).</param>
/// <param name="Truncated">The search stopped at its bound: <see cref="Ambiguous"/> lists the candidates seen so far.</param>
public sealed record DigitRunSolution(
    IReadOnlyDictionary<string, decimal> Inferred,
    IReadOnlyDictionary<string, IReadOnlyList<decimal>> Ambiguous,
    IReadOnlyList<DigitRun> Unresolved,
    int Solutions,
    bool Truncated);
