using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Rules;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Domain.Values;

namespace GovInfoReports.Domain.Import;

/// <summary>What the user has confirmed before (re)reading: the format and the year (null: detect), and the chosen
/// agency's rule context (e.g. mayMakeRules; null: rules that need it are not run).</summary>
public sealed record ImportOptions(string? Format = null, int? Year = null, IReadOnlyDictionary<string, bool>? Context = null);

/// <summary>The outcome of <see cref="PublishedReportParser.Parse"/>: a reading, or why the document cannot be read as a
/// report at all (a Chinese message saying what was found and what is missing).</summary>
public sealed record ImportParse(ImportReading? Reading, string? Error);

/// <summary>
/// Reads a published 政府信息公开工作年度报告 from a <see cref="SourceDocument"/> through the template, with no code per
/// report: the format by its markers (spec §1; <see cref="ImportDefinition.Markers"/>) or the year's, the year from the
/// title or the statistical period, the sections by their headings (and <see cref="ImportDefinition.HeadingVariants"/>),
/// the narrative as the agency's own parts, the preamble's metadata, and every table cell by the template's row and
/// column labels compared through <see cref="LabelText"/>. Layout artefacts of real pages are handled: a label on one
/// line and its numbers on the next (or, as some pages print them, on the line before), one cell per line, merged labels
/// repeated or split (不予 / 公开), wrapped labels, blank cells of merged label columns, numbers with their unit (4.651万元).
/// Rows printed without separators become <see cref="DigitRun"/>s that <see cref="DigitRunSolver"/> splits by the
/// template's rules; a value is never guessed. The printed numbers are then checked by the same rules as entry
/// (<see cref="EvaluationMode.Printed"/>).
/// </summary>
public sealed partial class PublishedReportParser(TemplateCatalog catalog)
{
    /// <summary>Reads <paramref name="document"/>; <paramref name="options"/> carries what the user confirmed.</summary>
    public ImportParse Parse(SourceDocument document, ImportOptions? options = null)
    {
        options ??= new ImportOptions();
        var lines = Clean(document.Lines);
        if (lines.Count == 0) return new ImportParse(null, "没有读到任何文字：文件或粘贴的内容是空的");

        var problems = new List<ReadProblem>();
        var (titleLine, docYear, yearEvidence) = FindYear(lines);
        var year = options.Year ?? docYear;
        if (options.Year is { } chosen && docYear is { } printed && chosen != printed)
            problems.Add(new ReadProblem(Severity.Error, $"文档是{printed}年度的报告（{yearEvidence}），与所选的{chosen}年度不符"));

        var (template, formatEvidence) = ChooseFormat(lines, year, options.Format);
        if (template is null) return new ImportParse(null, formatEvidence);
        if (year is { } y && !template.AppliesTo(y))
            problems.Add(new ReadProblem(Severity.Warning, $"{y}年度报告应使用{catalog.ForYear(y)?.Name ?? "当年的格式"}，文档使用的是{template.Name}"));

        var regions = FindSections(template, lines, titleLine, problems);
        if (regions.Count == 0 && template.Sections.All(s => s.PrintHeading))
            return new ImportParse(null, "没有找到报告的章节标题（如“一、总体情况”“三、收到和处理政府信息公开申请情况”），这不像是一份政府信息公开工作年度报告");

        // The pre-2019 free form prints no section headings of the template's (its text is under the agency's own).
        var freeForm = template.Sections.Any(s => !s.PrintHeading);
        var preambleEnd = freeForm ? lines.FindIndex(l => IsPartHeading(Joined(l), topLevel: true)) is var h and >= 0 ? h : lines.Count
            : regions.Count > 0 ? regions.Min(r => r.Value.Start) : lines.Count;
        var preamble = lines.Take(preambleEnd).Where(l => l.Number != titleLine?.Number).ToList();
        var parts = new List<WrittenPart>();
        var tables = new TableReader(template, problems);
        var unplaced = new List<(int, string)>();
        foreach (var section in template.Sections)
        {
            if (freeForm)
            {
                // The pre-2019 free form: everything after the title is the agency's text under its own headings; a
                // key-figure line (a label and numbers) is read into the optional sheet instead.
                var body = lines.Where(l => l.Number != titleLine?.Number).ToList();
                if (section.Kind == SectionKind.Narrative)
                    parts.AddRange(ReadParts(section, body.Where(l => !tables.LooksLikeRow(l)).ToList(), topLevel: true));
                else
                    tables.Read(section, body.Where(tables.LooksLikeRow).ToList(), unplaced, quiet: true);
                continue;
            }
            if (!regions.TryGetValue(section.Id, out var region))
            {
                problems.Add(new ReadProblem(Severity.Error, $"没有找到“{section.Heading}”"));
                continue;
            }
            var content = lines.Skip(region.Start + 1).Take(region.End - region.Start - 1).ToList();
            if (section.Kind == SectionKind.Narrative) parts.AddRange(ReadParts(section, content, topLevel: false));
            else tables.Read(section, content, unplaced, quiet: false);
        }

        var cells = tables.Finish(unplaced);
        var texts = parts.ToDictionary(p => p.Id, p => p.Text, StringComparer.Ordinal);
        var values = cells.Where(c => c.Value.Value is not null).ToDictionary(c => c.Key, c => c.Value.Value!.Value, StringComparer.Ordinal);
        var evaluation = RuleEvaluator.Evaluate(template, values, options.Context ?? new Dictionary<string, bool>(), EvaluationMode.Printed, texts);
        var metadata = ReadMetadata(titleLine, preamble, lines, problems);
        return new ImportParse(new ImportReading
        {
            Format = template.Code,
            FormatEvidence = formatEvidence,
            Year = year,
            YearEvidence = options.Year is not null ? "所选年度" : yearEvidence,
            Cells = cells,
            Parts = parts,
            Metadata = metadata,
            Violations = evaluation.Violations,
            Unplaced = unplaced,
            Problems = problems,
        }, null);
    }

    // ---- Lines -----------------------------------------------------------------------------------------------------

    /// <summary>Cells without invisible characters and outer whitespace; lines that hold nothing dropped. A run of lines
    /// that each hold one number (one cell per line) becomes one line of those numbers.</summary>
    private static List<SourceLine> Clean(IReadOnlyList<SourceLine> source)
    {
        var lines = new List<SourceLine>();
        foreach (var line in source)
        {
            var cells = line.Cells.Select(c => TextSource.RemoveInvisible(c ?? "").Replace('\u00A0', ' ').Replace('\u3000', ' ').Trim()).ToList();
            if (cells.All(c => c.Length == 0)) continue;
            var nonEmpty = cells.Where(c => c.Length > 0).ToList();
            if (nonEmpty.Count == 1 && TableReader.IsNumberCell(nonEmpty[0]) && lines.Count > 0 && lines[^1].Cells.All(TableReader.IsValueCell)
                && lines[^1].Cells.Any(c => c.Length > 0))
            {
                lines[^1] = lines[^1] with { Cells = [.. lines[^1].Cells, nonEmpty[0]] };
                continue;
            }
            lines.Add(line with { Cells = cells });
        }
        return lines;
    }

    /// <summary>The text of a line read as one paragraph: its non-empty cells, joined by a space.</summary>
    private static string Joined(SourceLine line) => string.Join(" ", line.Cells.Where(c => c.Length > 0));

    /// <summary>Whether the line is a single text (a paragraph or a heading), not a table row.</summary>
    private static bool IsSingle(SourceLine line) => line.Cells.Count(c => c.Length > 0) == 1;

    // ---- Year and format -------------------------------------------------------------------------------------------

    private static (SourceLine? Title, int? Year, string Evidence) FindYear(IReadOnlyList<SourceLine> lines)
    {
        // The title is one of the first lines: short, naming a report and a year.
        foreach (var line in lines.Take(15))
        {
            var text = Compact(Joined(line));
            if (text.Length > 80 || !(text.Contains("报告", StringComparison.Ordinal) || text.Contains("年报", StringComparison.Ordinal))) continue;
            if (TitleYear().Match(text) is { Success: true } m)
                return (line, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), $"标题“{Joined(line)}”");
        }
        foreach (var line in lines.Take(60))
            if (Period().Match(Compact(Joined(line))) is { Success: true } m)
                return (null, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), $"统计期限“{m.Value}”");
        foreach (var line in lines.Take(5))
            if (TitleYear().Match(Compact(Joined(line))) is { Success: true } m && Joined(line).Contains("报告", StringComparison.Ordinal))
                return (null, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), $"开头“{Snippet(Joined(line), m.Index)}”");
        return (null, null, "标题和统计期限中都没有年度，请选择");
    }

    private (ReportTemplate? Template, string Evidence) ChooseFormat(IReadOnlyList<SourceLine> lines, int? year, string? chosen)
    {
        if (!string.IsNullOrEmpty(chosen))
            return catalog.Get(chosen) is { } t ? (t, "所选格式") : (null, $"没有“{chosen}”这一报告格式");
        var labels = lines.SelectMany(l => l.Cells).Where(c => c.Length is > 0 and < 80).Select(LabelText.Strip).ToList();
        var scored = catalog.All
            .Select(t => (Template: t, Found: t.Definition.Import.Markers.Where(m => labels.Any(l => l.StartsWith(LabelText.Strip(m), StringComparison.Ordinal))).ToList()))
            .OrderByDescending(s => s.Found.Count).ToList();
        if (scored[0].Found.Count >= 2 && (scored.Count == 1 || scored[1].Found.Count < scored[0].Found.Count))
            return (scored[0].Template, $"表格中有{scored[0].Template.Name}特有的栏目：{string.Join("、", scored[0].Found.Take(4))}");
        if (year is { } y && catalog.ForYear(y) is { } statutory)
            return (statutory, $"表格没有可识别格式的栏目，按{y}年度适用的格式");
        var newest = catalog.All.Where(t => t.Sections.All(s => s.PrintHeading)).OrderByDescending(t => t.Definition.FirstYear).FirstOrDefault();
        return newest is null ? (null, "无法判断报告格式，请选择") : (newest, "无法从文档判断格式和年度，暂按" + newest.Name + "读取，请确认");
    }

    // ---- Sections --------------------------------------------------------------------------------------------------

    /// <summary>Line index ranges of the sections found, by section id: [Start = the heading line, End = the next
    /// heading or the end). Sections are found in the template's order; one may be missing.</summary>
    private static Dictionary<string, (int Start, int End)> FindSections(ReportTemplate template, List<SourceLine> lines,
        SourceLine? title, List<ReadProblem> problems)
    {
        var found = new List<(string Id, int Start)>();
        var headed = template.Sections.Where(s => s.PrintHeading).ToList();
        var next = 0;
        var end = lines.Count;
        for (var i = 0; i < lines.Count && next <= headed.Count; i++)
        {
            var line = lines[i];
            if (!IsSingle(line) || line.Number == title?.Number) continue;
            var text = Joined(line);
            if (text.Length > 60) continue;
            // A second report in the same document starts again with the first heading (or its title).
            if (found.Count >= 2 && headed.Count > 0 && IsHeading(template, headed[0], text))
            {
                problems.Add(new ReadProblem(Severity.Error, $"文档中有两份报告：第{line.Number}行又出现“{text}”。只读取了第一份，请分别导入", line.Number));
                end = i;
                break;
            }
            for (var k = next; k < headed.Count; k++)
            {
                if (!IsHeading(template, headed[k], text)) continue;
                found.Add((headed[k].Id, i));
                next = k + 1;
                break;
            }
        }
        var regions = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        for (var k = 0; k < found.Count; k++)
            regions[found[k].Id] = (found[k].Start, k + 1 < found.Count ? found[k + 1].Start : end);
        return regions;
    }

    private static bool IsHeading(ReportTemplate template, TemplateSection section, string text)
    {
        var stripped = LabelText.Strip(text);
        var variants = template.Definition.Import.HeadingVariants.GetValueOrDefault(section.Id) ?? [];
        var wordings = variants.Prepend(section.Heading).Select(LabelText.Strip).ToList();
        if (wordings.Contains(stripped)) return true;
        // Numbered as the section and close to one of its wordings (情况/情形, a dropped word).
        var compact = Compact(text.Normalize(NormalizationForm.FormKC));
        if (!compact.StartsWith(section.Number + "、", StringComparison.Ordinal) && !compact.StartsWith(section.Number + ".", StringComparison.Ordinal)) return false;
        return wordings.Any(w => Dice(w, stripped) >= 0.6);
    }

    /// <summary>Dice coefficient over character bigrams (0–1).</summary>
    private static double Dice(string a, string b)
    {
        if (a.Length < 2 || b.Length < 2) return a == b ? 1 : 0;
        var grams = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < a.Length; i++) grams[a.Substring(i, 2)] = grams.GetValueOrDefault(a.Substring(i, 2)) + 1;
        var common = 0;
        for (var i = 0; i + 1 < b.Length; i++)
            if (grams.TryGetValue(b.Substring(i, 2), out var n) && n > 0) { common++; grams[b.Substring(i, 2)] = n - 1; }
        return 2.0 * common / (a.Length - 1 + b.Length - 1);
    }

    // ---- Narrative -------------------------------------------------------------------------------------------------

    /// <summary>The section's parts: the text before the first part heading (the opening, or the section's first
    /// part), then one part per heading line (（一）… in the 2019 and 2021 formats; 一、… in the pre-2019 free form),
    /// each with the id of the template's recommended part it names, else a new id.</summary>
    private static IEnumerable<WrittenPart> ReadParts(TemplateSection section, IReadOnlyList<SourceLine> lines, bool topLevel)
    {
        var chunks = new List<(string? Heading, List<string> Paragraphs)> { (null, []) };
        foreach (var line in lines)
        {
            var text = Joined(line);
            if (IsPartHeading(text, topLevel)) chunks.Add((text, []));
            else if (RunInHeading(text, topLevel) is { } runIn)
                // A heading run into its paragraph, as many reports print it: "（一）主动公开情况。根据…".
                chunks.Add((runIn.Heading, [runIn.Body]));
            else chunks[^1].Paragraphs.Add(text);
        }
        if (chunks[0].Paragraphs.Count == 0 && chunks.Count > 1) chunks.RemoveAt(0);
        var taken = new List<string>();
        var recommended = section.Parts.ToList();
        foreach (var (heading, paragraphs) in chunks)
        {
            var free = recommended.FirstOrDefault(p => p.Heading is null && !taken.Contains(p.Id));
            string id;
            if (heading is null)
                id = section.Opening?.Id ?? free?.Id ?? NewId(section, taken);
            else if (recommended.FirstOrDefault(p => p.Heading is not null && !taken.Contains(p.Id) && Names(p.Heading, heading)) is { } named)
                id = named.Id;
            // A section whose one template part has no heading (五, 六) keeps that part's id for its first part.
            else if (taken.Count == 0 && section.Opening is null && free is not null)
                id = free.Id;
            else
                id = NewId(section, taken);
            taken.Add(id);
            yield return new WrittenPart(id, PartIds.NormaliseHeading(heading), string.Join("\n", paragraphs));
        }
    }

    /// <summary>Whether a printed heading names a recommended part: close wording, or the same number and some of it
    /// (（四）平台建设情况 for （四）政府信息公开平台建设).</summary>
    private static bool Names(string recommended, string printed)
    {
        var similarity = Dice(LabelText.Strip(recommended), LabelText.Strip(printed));
        if (similarity >= 0.5) return true;
        var a = SubHeading().Match(Compact(recommended.Normalize(NormalizationForm.FormKC)));
        var b = SubHeading().Match(Compact(printed.Normalize(NormalizationForm.FormKC)));
        return similarity >= 0.3 && a.Success && b.Success && a.Groups[1].Value == b.Groups[1].Value;
    }

    private static string NewId(TemplateSection section, IEnumerable<string> taken) =>
        PartIds.NewId(section.Id, taken.Concat(section.DefaultOutline.Select(p => p.Id)));

    /// <summary>A numbered heading of at most 25 characters ended by 。 at the start of a paragraph, and the rest.</summary>
    private static (string Heading, string Body)? RunInHeading(string text, bool topLevel)
    {
        var trimmed = text.TrimStart();
        var stop = trimmed.IndexOf('。');
        if (stop is < 3 or > 25 || stop == trimmed.Length - 1) return null;
        var head = trimmed[..stop];
        var compact = Compact(head.Normalize(NormalizationForm.FormKC));
        if (!(topLevel ? TopHeading() : SubHeading()).IsMatch(compact) || head.IndexOfAny(['，', ',', '；', ';', '：', ':']) >= 0) return null;
        return (head, trimmed[(stop + 1)..].TrimStart());
    }

    private static bool IsPartHeading(string text, bool topLevel)
    {
        var compact = Compact(text.Normalize(NormalizationForm.FormKC));
        if (compact.Length > 40) return false;
        var numbered = topLevel ? TopHeading().IsMatch(compact) : SubHeading().IsMatch(compact);
        // A sentence that merely starts with a number ("（一）主动公开情况。坚持…") stays a paragraph.
        var stop = compact.IndexOfAny(['。', '；', ';']);
        return numbered && (stop < 0 || stop == compact.Length - 1);
    }

    // ---- Metadata --------------------------------------------------------------------------------------------------

    private static ReadMetadata ReadMetadata(SourceLine? title, IReadOnlyList<SourceLine> preamble, IReadOnlyList<SourceLine> lines, List<ReadProblem> problems)
    {
        var titleText = title is null ? null : Whitespace().Replace(Joined(title), " ").Trim();
        var suspect = false;
        if (titleText is not null && SpamWords().Match(titleText) is { Success: true } spam && (suspect = true))
            problems.Add(new ReadProblem(Severity.Warning,
                $"标题含有与机关名称无关的内容（“{spam.Value}”），可能是被篡改的网页：请核对标题，机关以所选为准", title!.Number));
        var sentences = preamble.SelectMany(l => Joined(l).Split('。')).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        var clauses = sentences.SelectMany(s => s.Split('，', ',', '；', ';')).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        DateOnly? start = null, end = null;
        foreach (var line in preamble.Concat(lines.Take(60)))
        {
            if (Period().Match(Compact(Joined(line))) is not { Success: true } m) continue;
            start = Date(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
            end = Date(m.Groups[4].Value, m.Groups[5].Value, m.Groups[6].Value);
            break;
        }
        static string? Find(IEnumerable<string> texts, Regex pattern) => texts.FirstOrDefault(pattern.IsMatch) is { } s ? Limit(s, 500) : null;
        return new ReadMetadata(titleText is null ? null : Limit(titleText, 200), start, end,
            Find(clauses, UnitsCovered()), Find(sentences, PublicationPlace()), Find(sentences, Contact()), suspect);
    }

    private static DateOnly? Date(string y, string m, string d) =>
        DateOnly.TryParseExact($"{y}-{int.Parse(m, CultureInfo.InvariantCulture):00}-{int.Parse(d, CultureInfo.InvariantCulture):00}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static string Limit(string text, int max) => text.Length <= max ? text : text[..max];

    private static string Compact(string text) => Whitespace().Replace(text, "");

    private static string Snippet(string text, int at) => text.Substring(Math.Max(0, at - 10), Math.Min(30, text.Length - Math.Max(0, at - 10)));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"((?:19|20)\d{2})年度?")]
    private static partial Regex TitleYear();

    [GeneratedRegex(@"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日起?(?:至|到|—|－|-|～|~)((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")]
    private static partial Regex Period();

    [GeneratedRegex(@"^[一二三四五六七八九十]{1,3}[、.]\S")]
    private static partial Regex TopHeading();

    [GeneratedRegex(@"^[（(]([一二三四五六七八九十]{1,3})[）)]\S")]
    private static partial Regex SubHeading();

    [GeneratedRegex("汇总|涵盖|包括.{0,30}(乡镇|部门|单位|街道)|(乡镇|部门|单位|街道).{0,10}(的|在内)")]
    private static partial Regex UnitsCovered();

    [GeneratedRegex("电子版|(网站|网|栏目).{0,20}(下载|查阅|查询)|(下载|查阅).{0,20}(网站|栏目)")]
    private static partial Regex PublicationPlace();

    [GeneratedRegex("联系|电话|邮编|邮政编码|地址|电子邮箱")]
    private static partial Regex Contact();

    /// <summary>Words that are never part of a Chinese government agency's name or a report title but are what
    /// hijacked pages inject (gambling and lottery spam, links): spec §12 error 15.</summary>
    [GeneratedRegex(@"(https?://\S+|www\.\S+|[A-Za-z]{4,}|澳门|博彩|赌场|赌博|彩票|棋牌|真人|娱乐城|百家乐|老虎机|威尼斯人|葡京|体育投注|官网|开户|注册送)", RegexOptions.IgnoreCase)]
    private static partial Regex SpamWords();
}
