using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Domain.Rules;

/// <summary>
/// Compares the numbers a narrative states near the words that name a cell or a total (收到申请100件, 上年结转3件,
/// 行政复议2件, 公开率95%) with the tables, by the template's narrative checks (<see cref="NarrativeCheckDefinition"/>;
/// template-spec §10, all inferred rules). Its browser twin is Entry/Assets/js/narrative.js; both run
/// tests/TestData/narrative-cases.json. A number inside a cell token (<see cref="CellTokens"/>) is the cell itself
/// and is never compared.
/// </summary>
public static partial class NarrativeNumbers
{
    /// <summary>Characters that end a clause: a number and the term it belongs to must lie in one clause. An ASCII
    /// comma ends one too, except as a thousands separator (1,234).</summary>
    private const string ClauseEnds = "。！？!?\n\r，；;";

    /// <summary>Characters that end a sentence, for the quote of a message.</summary>
    private const string SentenceEnds = "。！？!?\n\r";

    /// <summary>The quote of a long sentence keeps this many characters before and after the number.</summary>
    private const int QuoteBefore = 24, QuoteAfter = 16;

    // Arabic numbers (after NormaliseDigits): not part of a longer number, a word or 第N; then the unit. 件事 is the
    // phrase 一件事 (“高效办成一件事”), not a count.
    [GeneratedRegex(@"(?<![0-9.,A-Za-z第])([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)\s*(万元|元|%|件(?!事))")]
    private static partial Regex ArabicNumber();

    // Chinese numerals (一百零五, 两) only before 件.
    [GeneratedRegex(@"(?<![第])([零〇一二两三四五六七八九十百千万]+)\s*(件)(?!事)")]
    private static partial Regex ChineseNumber();

    /// <summary>One mismatch per check, part and stated number (the violation key), for every narrative part of the
    /// sections the checks scan. <paramref name="values"/> are the cells with their totals; a check whose cells are
    /// not all filled (or whose denominator is 0) is not compared.</summary>
    public static IEnumerable<Violation> Check(ReportTemplate template, IReadOnlyDictionary<string, string> texts, IReadOnlyDictionary<string, decimal> values)
    {
        if (template.NarrativeChecks.Count == 0) yield break;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (partId, text) in texts.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(text)) continue;
            var sectionId = Reports.PartIds.SectionOf(partId);
            var checks = template.NarrativeChecks.Where(c => c.Sections.Contains(sectionId)).ToList();
            if (checks.Count == 0) continue;
            foreach (var found in Find(checks, text))
            {
                if (Compare(found, values) is not { } violation) continue;
                var key = $"{found.Check.Id}:{partId}:{found.StatedKey}";
                if (seen.Add(key)) yield return violation with { Key = key, SectionId = sectionId };
            }
        }
    }

    /// <summary>A number of the narrative taken by a check: where it is (<paramref name="Start"/>..<paramref name="End"/>,
    /// the digits only), its value in the check's unit, how it was written and the sentence it is quoted from.</summary>
    public sealed record Found(NarrativeCheck Check, int Start, int End, decimal Value, int Decimals, string Stated, string StatedKey, string Quote);

    private sealed record Number(int Start, int End, decimal Value, int Decimals, string Unit, string Text);

    private sealed record Occurrence(int Start, int End, List<NarrativeCheck> Checks);

    /// <summary>Every number of <paramref name="text"/> that one of <paramref name="checks"/> takes, in text order.</summary>
    public static IEnumerable<Found> Find(IReadOnlyList<NarrativeCheck> checks, string text)
    {
        var norm = CellTokens.Mask(NormaliseDigits(text));
        // The checks' terms, once per text (not once per clause).
        var terms = checks.SelectMany(c => c.Terms).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (cs, ce) in Clauses(norm))
        {
            var clause = norm[cs..ce];
            var occurrences = Occurrences(checks, terms, clause);
            if (occurrences.Count == 0) continue;
            var numbers = Numbers(clause);
            var taken = new HashSet<(int, string)>();
            var previousEnd = 0;
            foreach (var n in numbers)
            {
                var segmentStart = previousEnd;
                previousEnd = n.End;
                var nearest = occurrences.Where(o => o.End <= n.Start && o.Checks.Any(c => Accepts(c, n.Unit)))
                    .OrderByDescending(o => o.End).FirstOrDefault();
                if (nearest is null) continue;
                var segment = clause[segmentStart..n.Start];
                var candidates = nearest.Checks.Where(c => Accepts(c, n.Unit) && !taken.Contains((nearest.Start, c.Id))
                    && (c.Between.Count == 0 || c.Between.Any(w => segment.Contains(w, StringComparison.Ordinal)))).ToList();
                // Two checks that both fit (制发规章和规范性文件共7件) leave the number to the reader: no guess.
                if (candidates.Count != 1) continue;
                var check = candidates[0];
                taken.Add((nearest.Start, check.Id));
                var value = n.Unit == "元" ? n.Value / 10000m : n.Value;
                var stated = n.Text + n.Unit;
                var statedKey = check.Unit == "%" ? CellValueParser.FormatValue(value) + "%" : CellValueParser.FormatValue(value);
                yield return new Found(check, cs + n.Start, cs + n.End, value, n.Decimals, stated, statedKey, Quote(text, cs + n.Start, cs + n.End));
            }
        }
    }

    private static decimal Pow10(int n)
    {
        var p = 1m;
        for (var i = 0; i < n; i++) p *= 10m;
        return p;
    }

    private static bool Accepts(NarrativeCheck check, string unit) => check.Unit == unit || (check.Unit == "万元" && unit == "元");

    /// <summary>The violation of a number that disagrees with its cells, or null (it agrees, or a cell is blank).</summary>
    private static Violation? Compare(Found found, IReadOnlyDictionary<string, decimal> values)
    {
        var check = found.Check;
        if (Sum(check.Cells, values) is not { } sum) return null;
        string message;
        Severity severity;
        if (check.IsRatio)
        {
            if (Sum(check.Denominator, values) is not { } denominator || denominator == 0) return null;
            // The stated percentage is rounded to the decimals it has (83% and 83.3% both fit 5 of 6): it fits when
            // |sum × 100 / denominator − stated| ≤ ½ × 10^-decimals, compared exactly as
            // |2 × sum × 100 × 10^d − 2 × stated × 10^d × denominator| ≤ denominator.
            var scale = Pow10(found.Decimals);
            if (Math.Abs(2m * sum * 100m * scale - 2m * (found.Value * scale) * denominator) <= denominator) return null;
            var shown = Math.Round(sum * 100m / denominator, Math.Max(found.Decimals, 2), MidpointRounding.AwayFromZero);
            message = Fill(check.Message, found, CellValueParser.FormatValue(shown) + "%",
                $"（{Terms(check.Cells, values)}）÷（{Terms(check.Denominator, values)}）");
            severity = check.Severity;
        }
        else
        {
            if (sum == found.Value) return null;
            var unit = check.Unit == "件" ? "件" : check.Unit;
            if (check.Soft is { } soft && Sum(soft.Cells, values) is { } softSum && softSum == found.Value)
            {
                message = Fill(soft.Message, found, CellValueParser.FormatValue(sum) + unit, Terms(soft.Cells, values));
                severity = soft.Severity;
            }
            else
            {
                message = Fill(check.Message, found, CellValueParser.FormatValue(sum) + unit, Terms(check.Cells, values));
                severity = check.Severity;
            }
        }
        var cells = check.Cells.Concat(check.Denominator).Select(t => t.CellId).Distinct().ToList();
        return new Violation("", check.Id, severity, "", "", message, cells);
    }

    private static string Fill(string message, Found found, string value, string cells) => message
        .Replace("{quote}", found.Quote, StringComparison.Ordinal)
        .Replace("{stated}", found.Stated, StringComparison.Ordinal)
        .Replace("{value}", value, StringComparison.Ordinal)
        .Replace("{label}", found.Check.Label, StringComparison.Ordinal)
        .Replace("{cells}", cells, StringComparison.Ordinal);

    private static decimal? Sum(IReadOnlyList<RuleTerm> terms, IReadOnlyDictionary<string, decimal> values) =>
        terms.All(t => values.ContainsKey(t.CellId)) ? terms.Sum(t => values[t.CellId]) : null;

    private static string Terms(IReadOnlyList<RuleTerm> terms, IReadOnlyDictionary<string, decimal> values) =>
        string.Join("＋", terms.Select(t => $"{t.Label}（{CellValueParser.FormatValue(values[t.CellId])}）"));

    /// <summary>Full-width digits, point and percent sign as ASCII, character for character (positions are kept).</summary>
    public static string NormaliseDigits(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            chars[i] = chars[i] switch
            {
                >= '０' and <= '９' => (char)('0' + (chars[i] - '０')),
                '．' => '.',
                '％' => '%',
                _ => chars[i],
            };
        return new string(chars);
    }

    /// <summary>The clauses of a text as (start, end) offsets.</summary>
    private static IEnumerable<(int Start, int End)> Clauses(string text)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !EndsClause(text, i)) continue;
            if (i > start) yield return (start, i);
            start = i + 1;
        }
    }

    private static bool EndsClause(string text, int i)
    {
        var ch = text[i];
        if (ch == ',')
            // 1,234: a thousands separator, not the end of a clause.
            return !(i > 0 && char.IsAsciiDigit(text[i - 1]) && i + 3 < text.Length
                     && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3])
                     && (i + 4 >= text.Length || !char.IsAsciiDigit(text[i + 4])));
        return ClauseEnds.Contains(ch);
    }

    /// <summary>Where the checks' terms occur in a clause: a longer term wins over one it overlaps (答复率 over 答复);
    /// a check whose <see cref="NarrativeCheck.NotAfter"/> word directly precedes the term does not take it.</summary>
    private static List<Occurrence> Occurrences(IReadOnlyList<NarrativeCheck> checks, IReadOnlyList<string> terms, string clause)
    {
        var all = new List<(int Start, int End, string Term)>();
        foreach (var term in terms)
            for (var i = clause.IndexOf(term, StringComparison.Ordinal); i >= 0; i = clause.IndexOf(term, i + 1, StringComparison.Ordinal))
                all.Add((i, i + term.Length, term));
        var kept = new List<(int Start, int End, string Term)>();
        foreach (var o in all.OrderBy(o => o.Start).ThenByDescending(o => o.End - o.Start).ThenBy(o => o.Term, StringComparer.Ordinal))
            if (!kept.Any(k => o.Start < k.End && k.Start < o.End)) kept.Add(o);
        var result = new List<Occurrence>();
        foreach (var o in kept.OrderBy(o => o.Start))
        {
            var before = clause[..o.Start];
            var owners = checks.Where(c => c.Terms.Contains(o.Term) && !c.NotAfter.Any(w => before.EndsWith(w, StringComparison.Ordinal))).ToList();
            if (owners.Count > 0) result.Add(new Occurrence(o.Start, o.End, owners));
        }
        return result;
    }

    /// <summary>The numbers of a clause with a unit (件, 万元, 元, %), in order.</summary>
    private static List<Number> Numbers(string clause)
    {
        var numbers = new List<Number>();
        foreach (Match m in ArabicNumber().Matches(clause))
        {
            var digits = m.Groups[1].Value;
            var plain = digits.Replace(",", "", StringComparison.Ordinal);
            if (!decimal.TryParse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) continue;
            var dot = plain.IndexOf('.');
            numbers.Add(new Number(m.Groups[1].Index, m.Groups[1].Index + digits.Length, value, dot < 0 ? 0 : plain.Length - dot - 1, m.Groups[2].Value, digits));
        }
        foreach (Match m in ChineseNumber().Matches(clause))
            if (ChineseValue(m.Groups[1].Value) is { } value)
                numbers.Add(new Number(m.Groups[1].Index, m.Groups[1].Index + m.Groups[1].Length, value, 0, m.Groups[2].Value, m.Groups[1].Value));
        return numbers.OrderBy(n => n.Start).ToList();
    }

    /// <summary>The value of a Chinese numeral below 一亿 (一百零五 = 105, 十二 = 12, 两 = 2), or null when it is not one.</summary>
    public static decimal? ChineseValue(string numeral)
    {
        long total = 0, section = 0, digit = 0;
        var any = false;
        foreach (var ch in numeral)
        {
            var d = "零〇一二两三四五六七八九".IndexOf(ch);
            if (d >= 0)
            {
                digit = d switch { 0 or 1 => 0, 2 => 1, 3 or 4 => 2, _ => d - 2 };
                any = true;
                continue;
            }
            var unit = ch switch { '十' => 10, '百' => 100, '千' => 1000, '万' => 10000, _ => 0 };
            if (unit == 0) return null;
            if (unit == 10000)
            {
                total += (section + digit) * 10000;
                section = 0;
            }
            else section += (digit == 0 && unit == 10 ? 1 : digit) * unit;
            digit = 0;
            any = true;
        }
        return any ? total + section + digit : null;
    }

    /// <summary>The sentence around a number, shortened around it when long, with the number in 【】.</summary>
    private static string Quote(string text, int start, int end)
    {
        var s = start;
        while (s > 0 && !SentenceEnds.Contains(text[s - 1])) s--;
        var e = end;
        while (e < text.Length && !SentenceEnds.Contains(text[e])) e++;
        var from = Math.Max(s, start - QuoteBefore);
        var to = Math.Min(e, end + QuoteAfter);
        var quote = new StringBuilder();
        if (from > s) quote.Append('…');
        quote.Append(text, from, start - from).Append('【').Append(text, start, end - start).Append('】').Append(text, end, to - end);
        if (to < e) quote.Append('…');
        return quote.ToString().Trim();
    }
}
