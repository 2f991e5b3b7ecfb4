using System.Text;
using System.Text.Json.Nodes;
using GovInfoReports.Domain.Reports.Similarity;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Tests.Reports;

/// <summary>内容雷同 (X5): normalisation, shingles, MinHash and its LSH bands, shared passages, and the template data.</summary>
public sealed class TextSimilarityTests
{
    // Phrases of annual reports: texts built from them share vocabulary as real reports do, so "unrelated" is not "random".
    private static readonly string[] Phrases =
    [
        "认真贯彻落实政府信息公开条例", "全面推进基层政务公开标准化规范化", "进一步加强政策解读", "及时回应社会关切",
        "严格落实信息发布审核制度", "依申请公开办理流程", "按照法定时限答复申请人", "加强政府网站和政务新媒体建设",
        "围绕重点领域信息公开", "财政预决算信息", "重大建设项目批准和实施", "公共资源配置信息", "社会公益事业建设",
        "乡村振兴政策措施", "教育卫生医疗", "安全生产和应急管理", "市场监管执法信息", "行政许可和行政处罚结果",
        "政府信息管理动态调整", "规范性文件清理", "政府信息公开指南和目录", "工作人员业务培训", "考核评议和责任追究",
        "存在的主要问题是", "公开内容不够全面", "解读形式比较单一", "下一步我们将", "持续提升公开质量", "办理群众诉求",
    ];

    private static string Text(Random random, int length)
    {
        var sb = new StringBuilder();
        while (sb.Length < length)
        {
            sb.Append(Phrases[random.Next(Phrases.Length)]);
            // Numbers and place names vary between agencies, as in real reports.
            sb.Append(random.Next(3) == 0 ? $"共{random.Next(1, 999)}件" : "");
            sb.Append(random.Next(4) == 0 ? "。" : "，");
        }
        return sb.ToString();
    }

    /// <summary>Changes about one character in <paramref name="every"/> (a light rewrite of a copied text).</summary>
    private static string Edit(Random random, string text, int every)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (random.Next(every) == 0) chars[i] = (char)('\u4E00' + random.Next(20_000));
        return new string(chars);
    }

    [Fact]
    public void Normalisation_keeps_letters_and_digits_folds_full_width_forms_and_maps_each_back_to_the_original()
    {
        const string text = "２０２４年， 本机关\n公开ＡＢ条。";
        var normalised = TextSimilarity.Normalise(text);
        Assert.Equal("2024年本机关公开ab条", normalised.Chars);
        // “本” is the 8th character of the original (after "２０２４年， ").
        var i = normalised.Chars.IndexOf('本');
        Assert.Equal("本", text[normalised.Start[i]..normalised.End[i]]);
        Assert.Equal("Ａ", text[normalised.Start[10]..normalised.End[10]]);
    }

    [Fact]
    public void A_copied_paragraph_re_punctuated_and_re_wrapped_is_the_same_text()
    {
        const string original = "本机关认真贯彻落实《条例》，全面推进政务公开工作。";
        const string rewrapped = "本机关认真贯彻落实条例 全面推进\n政务公开工作";
        Assert.Equal(1.0, TextSimilarity.Jaccard(original, rewrapped, 5));
        Assert.True(TextSimilarity.Jaccard(original, "本机关认真贯彻落实《条例》，全面推进基层公开工作。", 5) < 1.0);
    }

    [Fact]
    public void The_MinHash_estimate_is_within_tolerance_of_the_exact_Jaccard_index()
    {
        var random = new Random(11);
        var worst = 0.0;
        for (var k = 0; k < 200; k++)
        {
            var a = Text(random, random.Next(200, 1500));
            var b = Edit(random, a, random.Next(3, 80));
            var exact = TextSimilarity.Jaccard(a, b, 5);
            var estimate = TextSimilarity.Estimate(TextSimilarity.Signature(a, 5), TextSimilarity.Signature(b, 5));
            worst = Math.Max(worst, Math.Abs(exact - estimate));
        }
        // The standard error is at most √(0.25/120) = 0.046; 200 pairs stay within about three of them.
        Assert.InRange(worst, 0, 0.15);
    }

    [Fact]
    public void The_signature_of_a_text_is_the_same_in_every_process_and_release()
    {
        // Signatures are stored: a change of hash functions would make every stored fingerprint meaningless.
        var signature = TextSimilarity.Signature("本机关认真贯彻落实政府信息公开条例，全面推进政务公开工作。", 5);
        Assert.Equal(TextSimilarity.SignatureSize, signature.Length);
        Assert.Equal(PinnedSignaturePrefix, signature[..4]);
        Assert.Equal(PinnedBandKey, TextSimilarity.BandKeys(signature)[0]);
    }

    private static readonly uint[] PinnedSignaturePrefix = [939337807, 29494809, 145606321, 540646434];
    private const long PinnedBandKey = 1248396761129704051;

    [Fact]
    public void LSH_bands_find_every_pair_from_0_9_up_and_almost_no_unrelated_pair()
    {
        var random = new Random(20261130);
        var bases = Enumerable.Range(0, 300).Select(_ => Text(random, random.Next(200, 1500))).ToList();
        var keys = bases.Select(t => TextSimilarity.BandKeys(TextSimilarity.Signature(t, 5)).ToHashSet()).ToList();

        var high = 0;
        for (var i = 0; i < bases.Count; i++)
        {
            var copy = Edit(random, bases[i], 150);
            if (TextSimilarity.Jaccard(bases[i], copy, 5) < 0.9) continue;
            high++;
            Assert.True(keys[i].Overlaps(TextSimilarity.BandKeys(TextSimilarity.Signature(copy, 5))), $"near copy {i} not found");
        }
        Assert.True(high > 150, $"only {high} copies reached 0.9");

        var collisions = 0;
        for (var i = 0; i < bases.Count; i++)
            for (var j = i + 1; j < bases.Count; j++)
                if (keys[i].Overlaps(keys[j])) collisions++;
        // 44,850 unrelated pairs of texts written from the same 29 phrases.
        Assert.True(collisions < 45, $"{collisions} unrelated pairs share a band");
    }

    [Fact]
    public void Shared_passages_are_ranges_of_each_original_text_with_their_punctuation()
    {
        const string mine = "今年情况如下。本机关认真贯彻落实《条例》，全面推进政务公开工作。另有新的内容若干";
        const string theirs = "本机关认真贯彻落实条例，全面推进政务公开工作；其余不同";
        var shared = TextSimilarity.Shared(mine, theirs, 5, 10);
        var a = Assert.Single(shared.InFirst);
        Assert.Equal("本机关认真贯彻落实《条例》，全面推进政务公开工作", mine.Substring(a.Start, a.Length));
        var b = Assert.Single(shared.InSecond);
        Assert.Equal("本机关认真贯彻落实条例，全面推进政务公开工作", theirs.Substring(b.Start, b.Length));
    }

    [Fact]
    public void Shared_runs_shorter_than_the_minimum_are_not_marked()
    {
        var shared = TextSimilarity.Shared("甲乙丙丁戊己庚辛壬癸公开工作子丑寅卯", "公开工作与其他完全不同的话", 2, 6);
        Assert.Empty(shared.InFirst);
        Assert.Empty(shared.InSecond);
    }

    [Theory]
    [InlineData("2021")]
    [InlineData("2019")]
    [InlineData("pre2019")]
    public void Every_format_compares_five_character_shingles_and_warns_from_90_percent(string code)
    {
        var s = TemplateCatalog.Load().Get(code)!.Definition.Similarity!;
        Assert.Equal(5, s.ShingleSize);
        Assert.Equal(0.9, s.PreviousThreshold);
        Assert.Equal(0.9, s.PeerThreshold);
        Assert.Equal(Severity.Warning, s.Severity);
        Assert.Contains("内容雷同", s.Source);
    }

    [Fact]
    public void A_similarity_threshold_above_one_is_refused_at_load()
    {
        var json = JsonNode.Parse(TemplateCatalog.EmbeddedText("2021"))!;
        json["similarity"]!["peerThreshold"] = 1.5;
        var error = Assert.Throws<InvalidDataException>(() => TemplateCompiler.Compile(TemplateDefinition.Parse(json.ToJsonString())));
        Assert.Contains("peerThreshold 1.5 is not in (0, 1]", error.Message);
    }

    [Fact]
    public void A_similarity_message_without_its_percent_is_refused_at_load()
    {
        var json = JsonNode.Parse(TemplateCatalog.EmbeddedText("2021"))!;
        json["similarity"]!["messages"]!["previous"] = "{part}与{year}年度报告雷同";
        var error = Assert.Throws<InvalidDataException>(() => TemplateCompiler.Compile(TemplateDefinition.Parse(json.ToJsonString())));
        Assert.Contains("message previous lacks {percent}", error.Message);
    }

    [Fact]
    public void Templates_with_different_shingle_sizes_cannot_be_loaded_together()
    {
        var json = JsonNode.Parse(TemplateCatalog.EmbeddedText("2019"))!;
        json["similarity"]!["shingleSize"] = 4;
        var other = TemplateCompiler.Compile(TemplateDefinition.Parse(json.ToJsonString()));
        var error = Assert.Throws<InvalidDataException>(() => new TemplateCatalog([TemplateCatalog.Load().Get("2021")!, other]));
        Assert.Contains("shingle size", error.Message);
    }
}
