using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Values;

/// <summary>Outcome of reading what a clerk typed into a cell: blank, a value, or an error message. For a cell whose
/// unit the clerk chooses, <paramref name="Value"/> is normalised to the kind's unit (万元) and
/// <paramref name="Unit"/> is the code of the unit chosen (as printed).</summary>
public sealed record ParsedCell(bool IsBlank, decimal? Value, string? Error, string? Unit = null)
{
    public static readonly ParsedCell Blank = new(true, null, null);
    public bool IsValid => Error is null;
}

/// <summary>
/// Reads typed cell text. Accepts full-width digits and punctuation (normalised to ASCII) and
/// well-formed thousands separators; refuses text, negatives (except in a signed kind: 2019 本年增/减,
/// where "-649" and "－649" are read and "--5" is not a number), decimals in counts, more decimals
/// than the kind allows, and numbers beyond the kind's maximum. The browser's twin is in
/// wwwroot/js/rules.js; both are run against tests/TestData/rule-cases.json.
/// </summary>
public static partial class CellValueParser
{
    /// <summary>Longer input is refused before any pattern is tried (a number has at most 20-odd characters).</summary>
    public const int MaxInputLength = 40;

    public static ParsedCell Parse(string? raw, CellKind kind, IReadOnlyDictionary<string, string> messages)
    {
        var text = Normalise(raw);
        if (text.Length == 0) return ParsedCell.Blank;
        if (text.Length > MaxInputLength)
            return new(false, null, messages["inputTooLong"].Replace("{length}", text.Length.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        string Fail(string key) => Format(messages[key], kind, raw!.Trim());

        if (!NumberShape().IsMatch(text))
            return new(false, null, Fail(LooseNumberShape().IsMatch(text) ? "badSeparator" : "notNumber"));

        var negative = text.StartsWith('-');
        var unsigned = text.TrimStart('+', '-').Replace(",", "", StringComparison.Ordinal);
        var dot = unsigned.IndexOf('.');
        var integerDigits = (dot < 0 ? unsigned : unsigned[..dot]).TrimStart('0');
        var fraction = dot < 0 ? "" : unsigned[(dot + 1)..].TrimEnd('0');
        if (integerDigits.Length > 20) return new(false, null, Fail(negative && !kind.Signed ? "negative" : "tooLarge"));
        var value = decimal.Parse((integerDigits.Length == 0 ? "0" : integerDigits) + (fraction.Length > 0 ? "." + fraction[..Math.Min(fraction.Length, 20)] : ""), CultureInfo.InvariantCulture);
        if (negative && !kind.Signed && (value != 0 || fraction.Length > 0)) return new(false, null, Fail("negative"));
        if (fraction.Length > kind.Scale) return new(false, null, Fail(kind.Scale == 0 ? "notInteger" : "tooManyDecimals"));
        if (value > kind.Max) return new(false, null, Fail("tooLarge"));
        return new(false, negative && value != 0 ? -value : value, null);
    }

    /// <summary>
    /// Reads what a clerk typed into one cell of the template: as <see cref="Parse"/>, and in addition refuses any
    /// text in a not-applicable cell, and for a kind with unit choices (2019 采购总金额) requires the unit the
    /// agency printed (<paramref name="unitCode"/>, a <see cref="UnitChoice.Code"/>), checks the decimals of that
    /// unit (元: 2) and returns the value normalised to the kind's unit (21174299 元 → 2117.4299 万元) with the code.
    /// </summary>
    public static ParsedCell ParseCell(string? raw, CellDefinition cell, string? unitCode, IReadOnlyDictionary<string, string> messages)
    {
        var kind = cell.Kind;
        if (Normalise(raw).Length == 0) return ParsedCell.Blank;
        if (cell.NotApplicable) return new(false, null, Format(messages["notApplicable"], kind, raw!.Trim()));
        if (kind.Units.Count == 0) return Parse(raw, kind, messages);
        if (kind.FindUnit(unitCode) is not { } unit)
            return new(false, null, Format(messages["unitMissing"], kind, raw!.Trim())
                .Replace("{units}", string.Join("或", kind.Units.Select(u => u.Label)), StringComparison.Ordinal));
        var factor = Pow10(unit.Shift);
        var inUnit = Parse(raw, kind with { Unit = unit.Label, Scale = unit.Scale, Max = kind.Max * factor }, messages);
        return inUnit.Value is { } v ? inUnit with { Value = v / factor, Unit = unit.Code } : inUnit;
    }

    /// <summary>A stored (normalised) value as printed in the unit the clerk chose: 2117.4299 万元 in 元 → "21174299".
    /// Without a unit choice, <see cref="FormatValue"/>.</summary>
    public static string FormatValue(decimal value, CellKind kind, string? unitCode) =>
        kind.FindUnit(unitCode) is { } unit ? FormatValue(value * Pow10(unit.Shift)) : FormatValue(value);

    private static decimal Pow10(int power)
    {
        var factor = 1m;
        for (var i = 0; i < power; i++) factor *= 10;
        return factor;
    }

    /// <summary>Trims (including the ideographic space) and maps full-width digits and signs to ASCII.</summary>
    public static string Normalise(string? raw)
    {
        if (raw is null) return "";
        var sb = new StringBuilder(raw.Length);
        // U+FEFF is trimmed too, as JavaScript's trim() does.
        foreach (var ch in raw.Trim().Trim('\u3000', '\uFEFF').Trim())
        {
            sb.Append(ch switch
            {
                >= '０' and <= '９' => (char)('0' + (ch - '０')),
                '．' or '。' => '.',
                '，' => ',',
                '－' or '−' => '-',
                '＋' => '+',
                _ => ch,
            });
        }
        return sb.ToString().Trim();
    }

    public static string Format(string template, CellKind kind, string raw) => template
        .Replace("{raw}", raw, StringComparison.Ordinal)
        .Replace("{kind}", kind.Label, StringComparison.Ordinal)
        .Replace("{unit}", kind.Unit, StringComparison.Ordinal)
        .Replace("{scale}", kind.Scale.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{max}", FormatValue(kind.Max), StringComparison.Ordinal);

    /// <summary>Invariant text of a stored value: the number as typed, without exponent, rounding or trailing
    /// zeros (1234.567891 → "1234.567891"; 45.4000, as numeric(18,4) stored 45.4, → "45.4"). The pattern has
    /// 28 optional decimals, the most a decimal can carry, so no value is ever rounded here.</summary>
    public static string FormatValue(decimal value) => value.ToString(ExactPattern, CultureInfo.InvariantCulture);

    private const string ExactPattern = "0.############################";

    // ASCII digits only ([0-9], not \d, which in .NET also matches other scripts' digits). "5." and ".5" are numbers.
    [GeneratedRegex(@"^[+-]?(([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]*)?|\.[0-9]+)$")]
    private static partial Regex NumberShape();

    /// <summary>Digits with misplaced thousands separators (linear: no nested repetition).</summary>
    [GeneratedRegex(@"^[+-]?[0-9][0-9,]*(\.[0-9]*)?$")]
    private static partial Regex LooseNumberShape();
}
