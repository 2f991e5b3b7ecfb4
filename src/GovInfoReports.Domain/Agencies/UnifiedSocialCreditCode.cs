namespace GovInfoReports.Domain.Agencies;

/// <summary>
/// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-symbol alphabet (no I, O, Z, S, V);
/// the last is a check character over the first 17 with weights 3^i mod 31.
/// </summary>
public static class UnifiedSocialCreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Null when the code is valid, otherwise the reason in Chinese.</summary>
    public static string? Validate(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return "请填写统一社会信用代码";
        code = code.Trim().ToUpperInvariant();
        if (code.Length != 18) return $"统一社会信用代码应为18位，当前为{code.Length}位";
        var bad = code.FirstOrDefault(c => !Alphabet.Contains(c));
        if (bad != default) return $"统一社会信用代码含有无效字符“{bad}”";
        var expected = CheckCharacter(code[..17]);
        return code[17] == expected ? null : $"统一社会信用代码校验位错误（应为“{expected}”）";
    }

    public static char CheckCharacter(string first17)
    {
        if (first17.Length != 17) throw new ArgumentException("17 characters expected.", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        return Alphabet[(31 - sum % 31) % 31];
    }

    /// <summary>Completes a 17-character base with its check character.</summary>
    public static string Complete(string first17) => first17 + CheckCharacter(first17);
}
