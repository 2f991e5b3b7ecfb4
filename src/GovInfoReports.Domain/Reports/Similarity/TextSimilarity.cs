using System.Text;

namespace GovInfoReports.Domain.Reports.Similarity;

/// <summary>A range of characters in an original (un-normalised) text: <paramref name="Start"/> and
/// <paramref name="Length"/> in UTF-16 code units, so <c>text.Substring(Start, Length)</c> is the passage.</summary>
public readonly record struct TextRange(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>A text as compared: <see cref="Chars"/> holds only its letters and digits after NFKC (full-width
/// ＡＢ１ → ab1, lower-case), and for each of them the range of the original text it came from
/// (<see cref="Start"/>[i], <see cref="End"/>[i]), so passages found in the normalised text map back to the
/// characters the agency wrote.</summary>
public sealed class NormalisedText
{
    internal NormalisedText(string chars, int[] start, int[] end) { Chars = chars; Start = start; End = end; }

    public string Chars { get; }
    public IReadOnlyList<int> Start { get; }
    public IReadOnlyList<int> End { get; }
    public int Length => Chars.Length;
}

/// <summary>The shared passages of two texts for highlighting: ranges of each original text, in order, not
/// overlapping.</summary>
public sealed record SharedPassages(IReadOnlyList<TextRange> InFirst, IReadOnlyList<TextRange> InSecond);

/// <summary>
/// 内容雷同 (spec X5; 国办公开办函〔2021〕30号 （四）明确责任 names "内容雷同、敷衍塞责" as a failure): how much of one
/// narrative text another one repeats. Texts are compared as sets of character n-gram shingles of their letters
/// and digits (<see cref="Normalise"/>: whitespace, punctuation and symbols dropped, so re-punctuating or
/// re-wrapping a copied paragraph does not hide it), by the Jaccard index |A∩B| / |A∪B| (1 = the same shingles).
/// Chinese has no spaces, so word shingles would need a segmenter; 5 characters is about two words.
/// <para>
/// For many texts, each is summarised by a MinHash signature (<see cref="SignatureSize"/> 32-bit minima of
/// fixed, seeded hash functions; Broder 1997): two signatures agree in one position with probability equal to the
/// Jaccard index, so the share of equal positions estimates it (standard error √(J(1−J)/120): ±0.027 at 0.9). The
/// signature is cut into <see cref="Bands"/> bands of <see cref="Rows"/> rows, each band hashed to one key
/// (<see cref="BandKeys"/>): texts sharing any key are candidates (LSH; Leskovec, Rajaraman, Ullman, Mining of
/// Massive Datasets ch. 3.4). A pair of similarity s becomes a candidate with probability 1 − (1 − s^6)^20:
/// 0.99999974 at s = 0.9 (one miss in four million), 0.9977 at 0.8, 0.27 at 0.5, 0.08 at 0.4 and 0.015 at 0.3 —
/// so the 0.9 threshold is found with near certainty while unrelated texts rarely need a second look.
/// </para>
/// Everything is deterministic: the hash functions are fixed constants, never seeded per process, because
/// signatures are stored and compared across runs.
/// </summary>
public static class TextSimilarity
{
    /// <summary>Number of bands of the LSH index.</summary>
    public const int Bands = 20;
    /// <summary>Signature positions per band.</summary>
    public const int Rows = 6;
    /// <summary>MinHash positions: <see cref="Bands"/> × <see cref="Rows"/>.</summary>
    public const int SignatureSize = Bands * Rows;

    // Multiply-add-shift hash functions h_i(x) = (a_i·x + b_i) >> 32 over 64-bit shingle hashes (Dietzfelbinger
    // et al. 1997), a_i odd: constants from a fixed SplitMix64 sequence, the same in every process and release.
    private static readonly ulong[] A = new ulong[SignatureSize];
    private static readonly ulong[] B = new ulong[SignatureSize];

    static TextSimilarity()
    {
        var state = 0x5EED_2021_0030_0001UL;
        for (var i = 0; i < SignatureSize; i++)
        {
            A[i] = SplitMix(ref state) | 1;
            B[i] = SplitMix(ref state);
        }
    }

    /// <summary>The letters and digits of <paramref name="text"/> after NFKC, lower-cased, each with the range of
    /// the original it came from. Whitespace, punctuation, symbols and control characters are dropped; numbers
    /// stay (a year or a count changed is a real change).</summary>
    public static NormalisedText Normalise(string text)
    {
        var chars = new StringBuilder(text.Length);
        var start = new List<int>(text.Length);
        var end = new List<int>(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            var width = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (c is >= '\u4E00' and <= '\u9FFF')
                Add(c);
            else if (c < 0x80)
            {
                if (char.IsAsciiLetterOrDigit(c)) Add(char.ToLowerInvariant(c));
            }
            else
            {
                // Full-width letters and digits, circled numbers, compatibility ideographs: NFKC folds them to the
                // ordinary characters, so ２０２４ and 2024 are the same text.
                var folded = text.Substring(i, width).Normalize(NormalizationForm.FormKC);
                for (var j = 0; j < folded.Length; j++)
                {
                    if (!char.IsLetterOrDigit(folded, j)) { if (char.IsSurrogatePair(folded, j)) j++; continue; }
                    if (char.IsSurrogatePair(folded, j)) { Add(folded[j]); Add(folded[j + 1]); j++; }
                    else Add(char.ToLowerInvariant(folded[j]));
                }
            }
            i += width;

            void Add(char ch)
            {
                chars.Append(ch);
                start.Add(i);
                end.Add(i + width);
            }
        }
        return new NormalisedText(chars.ToString(), [.. start], [.. end]);
    }

    /// <summary>The 64-bit hash of each n-character shingle of <paramref name="text"/>, by position (Length − n + 1
    /// of them; a non-empty text shorter than n is one shingle). Equal shingles have equal hashes in every process.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is less than 1.</exception>
    public static ulong[] Shingles(NormalisedText text, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var s = text.Chars;
        if (s.Length == 0) return [];
        if (s.Length < n) return [Hash(s, 0, s.Length)];
        var result = new ulong[s.Length - n + 1];
        for (var p = 0; p < result.Length; p++) result[p] = Hash(s, p, n);
        return result;
    }

    /// <summary>The distinct shingles of a text (see <see cref="Shingles(NormalisedText, int)"/>).</summary>
    public static HashSet<ulong> ShingleSet(string text, int n) => [.. Shingles(Normalise(text), n)];

    /// <summary>The Jaccard index |A∩B| / |A∪B| of two shingle sets, in [0, 1]; 0 when both are empty.</summary>
    public static double Jaccard(IReadOnlySet<ulong> a, IReadOnlySet<ulong> b)
    {
        if (a.Count == 0 && b.Count == 0) return 0;
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var common = 0;
        foreach (var x in small) if (large.Contains(x)) common++;
        return (double)common / (a.Count + b.Count - common);
    }

    /// <summary>The exact Jaccard index of two texts' n-gram shingle sets.</summary>
    public static double Jaccard(string a, string b, int n) => Jaccard(ShingleSet(a, n), ShingleSet(b, n));

    /// <summary>The MinHash signature of a set of shingle hashes: <see cref="SignatureSize"/> values, position i the
    /// least h_i over the shingles (duplicates do not matter). An empty set gives all <see cref="uint.MaxValue"/>.</summary>
    public static uint[] Signature(ReadOnlySpan<ulong> shingles)
    {
        var min = new uint[SignatureSize];
        Array.Fill(min, uint.MaxValue);
        foreach (var x in shingles)
            for (var i = 0; i < min.Length; i++)
            {
                var h = (uint)((A[i] * x + B[i]) >> 32);
                if (h < min[i]) min[i] = h;
            }
        return min;
    }

    /// <summary>The MinHash signature of a text's n-gram shingles.</summary>
    public static uint[] Signature(string text, int n) => Signature(Shingles(Normalise(text), n));

    /// <summary>The Jaccard index estimated from two signatures: the share of positions where they agree.</summary>
    /// <exception cref="ArgumentException">The signatures differ in length.</exception>
    public static double Estimate(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        if (a.Length != b.Length || a.Length == 0) throw new ArgumentException("Signatures must have the same, non-zero length.");
        var equal = 0;
        for (var i = 0; i < a.Length; i++) if (a[i] == b[i]) equal++;
        return (double)equal / a.Length;
    }

    /// <summary>The <see cref="Bands"/> LSH keys of a signature: band j's <see cref="Rows"/> values hashed together
    /// with j (so equal values in different bands never collide). Two texts are candidates when any key is equal.</summary>
    public static long[] BandKeys(ReadOnlySpan<uint> signature)
    {
        if (signature.Length != SignatureSize) throw new ArgumentException($"A signature has {SignatureSize} values.", nameof(signature));
        var keys = new long[Bands];
        for (var band = 0; band < Bands; band++)
        {
            var h = 0x9E37_79B9_7F4A_7C15UL * (ulong)(band + 1);
            for (var r = 0; r < Rows; r++) h = Mix(h ^ signature[band * Rows + r]);
            keys[band] = unchecked((long)h);
        }
        return keys;
    }

    /// <summary>
    /// The passages two texts share, for highlighting: the maximal runs of each text's letters and digits covered by
    /// n-grams that occur in the other text, kept when at least <paramref name="minLength"/> such characters long,
    /// and returned as ranges of the ORIGINAL texts (punctuation between covered characters included).
    /// </summary>
    public static SharedPassages Shared(string first, string second, int n, int minLength)
    {
        var a = Normalise(first);
        var b = Normalise(second);
        var shinglesA = Shingles(a, n);
        var shinglesB = Shingles(b, n);
        return new SharedPassages(Runs(a, shinglesA, [.. shinglesB], n, minLength), Runs(b, shinglesB, [.. shinglesA], n, minLength));
    }

    private static List<TextRange> Runs(NormalisedText text, ulong[] shingles, HashSet<ulong> other, int n, int minLength)
    {
        var covered = new bool[text.Length];
        for (var p = 0; p < shingles.Length; p++)
            if (other.Contains(shingles[p]))
                for (var k = p; k < Math.Min(p + n, text.Length); k++) covered[k] = true;
        var ranges = new List<TextRange>();
        for (var i = 0; i < covered.Length;)
        {
            if (!covered[i]) { i++; continue; }
            var j = i;
            while (j + 1 < covered.Length && covered[j + 1]) j++;
            if (j - i + 1 >= minLength) ranges.Add(new TextRange(text.Start[i], text.End[j] - text.Start[i]));
            i = j + 1;
        }
        return ranges;
    }

    // FNV-1a over the UTF-16 code units, then the SplitMix64 finaliser so that nearby shingles spread over all 64 bits.
    private static ulong Hash(string s, int start, int length)
    {
        var h = 0xCBF2_9CE4_8422_2325UL;
        for (var i = start; i < start + length; i++) h = (h ^ s[i]) * 0x0000_0100_0000_01B3UL;
        return Mix(h);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }

    private static ulong SplitMix(ref ulong state) => Mix(state += 0x9E37_79B9_7F4A_7C15UL);
}
