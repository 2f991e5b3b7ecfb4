using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using GovInfoReports.Domain.Import;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>
/// Reads a web page (a report as published on an agency's site, or saved from Word/WPS as a web page) with AngleSharp,
/// the HTML5 parser, so tables keep their structure. Tables become one line per row in grid order (rowspan and colspan
/// expanded as <see cref="SourceDocument"/> describes); everything else becomes paragraphs in reading order, one per
/// block (p, div, h1–h6, li, …) and per br-separated run. Script, style, head, Word's <c>&lt;xml&gt;</c> islands and
/// conditional comments are dropped; Word's downlevel-revealed list markers (<c>&lt;![if !supportLists]&gt;</c>) keep
/// only a number ("一、", "1.") and drop a bullet. Text is cleaned by <see cref="SourceLines.Clean"/> (&amp;nbsp; as a
/// space, zero-width characters removed, cells trimmed); a line break in the source between two Chinese characters
/// is no space (CSS Text 3). A table inside a cell of a wide table is that cell's text; a table at most three columns
/// wide that holds tables in its cells lays out a page (older government sites), so its cells are read as regions
/// of paragraphs and tables, not as a grid. Navigation, headers and footers of a site are left in: telling them from
/// the report is the parser's work.
/// </summary>
internal static partial class HtmlSource
{
    /// <summary>The document of an HTML file's bytes, decoded by <see cref="Decode"/>.</summary>
    public static SourceDocument Read(byte[] content) => Read(Decode(content));

    /// <summary>The document of HTML text.</summary>
    public static SourceDocument Read(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var lines = new SourceLines();
        var walker = new Walker(lines, flattenTables: false);
        walker.Block((INode?)document.Body ?? document.DocumentElement);
        walker.Flush();
        return lines.Document(SourceKind.Html);
    }

    /// <summary>
    /// The text of an HTML file: a byte-order mark decides; else UTF-8 when the bytes are valid UTF-8; else Big5 when a
    /// meta element in the first 4 KB declares it; else GB18030, the superset of the gb2312 and gbk that Chinese pages
    /// declare (or, if older, often do not).
    /// </summary>
    public static string Decode(byte[] content)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        if (content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF) return Encoding.UTF8.GetString(content, 3, content.Length - 3);
        if (content.Length >= 2 && (content[0] == 0xFF && content[1] == 0xFE || content[0] == 0xFE && content[1] == 0xFF))
            return new StreamReader(new MemoryStream(content), detectEncodingFromByteOrderMarks: true).ReadToEnd();
        // Valid UTF-8 is UTF-8 whatever the page declares: Chinese text in GBK is practically never valid UTF-8, while a
        // page saved by a browser or re-encoded by a site's CMS often keeps a meta charset=gb2312 it no longer has.
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
        }
        var head = Encoding.Latin1.GetString(content, 0, Math.Min(content.Length, 4096));
        var declared = MetaCharset().Match(head) is { Success: true } m ? m.Groups[1].Value.ToLowerInvariant() : null;
        return (declared is "big5" or "big5-hkscs" ? Encoding.GetEncoding("big5") : Encoding.GetEncoding("GB18030")).GetString(content);
    }

    [GeneratedRegex(@"<meta[^>]+charset\s*=\s*[""']?\s*([A-Za-z0-9_\-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();

    /// <summary>Elements whose content is not part of the page as read.</summary>
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "head", "title", "meta", "link", "template", "noscript", "xml", "object", "embed", "iframe", "svg", "select", "button",
    };

    /// <summary>Elements that start and end a line (a block, in CSS terms, as browsers style them by default).</summary>
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "aside", "main",
        "header", "footer", "nav", "blockquote", "pre", "address", "center", "form", "fieldset", "figure", "figcaption", "hr",
        "caption", "body", "html", "details", "summary", "legend",
    };

    private sealed class Walker(SourceLines lines, bool flattenTables)
    {
        private readonly StringBuilder run = new();

        /// <summary>The runs of text met, for a cell (every line of it, joined by a space).</summary>
        public List<string> Collected { get; } = [];

        public void Flush()
        {
            var text = SourceLines.CollapseHtmlWhiteSpace(run.ToString());
            run.Clear();
            if (flattenTables) { if (SourceLines.Clean(text).Length > 0) Collected.Add(SourceLines.Clean(text)); }
            else lines.Paragraph(text);
        }

        public void Block(INode? node)
        {
            if (node is null) return;
            var children = node.ChildNodes;
            for (var i = 0; i < children.Length; i++)
            {
                switch (children[i])
                {
                    case IText text:
                        run.Append(text.Data);
                        break;
                    case IComment comment when IsDownlevelRevealedStart(comment.Data):
                        // Word's <![if !supportLists]>…<![endif]>: the HTML5 parser makes both markers bogus comments and
                        // keeps what lies between, the list number or bullet Word shows only where CSS lists are not
                        // supported. A number is part of the text as printed; a bullet (·, §, ) is junk.
                        var end = i + 1;
                        while (end < children.Length && !(children[end] is IComment c && IsDownlevelRevealedEnd(c.Data))) end++;
                        var between = string.Concat(Enumerable.Range(i + 1, Math.Min(end, children.Length) - i - 1).Select(k => children[k].TextContent));
                        if (between.Any(char.IsLetterOrDigit)) run.Append(between).Append(' ');
                        i = end;
                        break;
                    case IElement element:
                        Element(element);
                        break;
                }
            }
        }

        private void Element(IElement element)
        {
            var name = element.LocalName;
            if (Dropped.Contains(name)) return;
            if (name == "br")
            {
                Flush();
                return;
            }
            if (name == "table")
            {
                Flush();
                Table(element);
                return;
            }
            if (Blocks.Contains(name))
            {
                Flush();
                Block(element);
                Flush();
                return;
            }
            Block(element);
        }

        private void Table(IElement table)
        {
            var rows = Rows(table).ToList();
            if (flattenTables)
            {
                // A table inside a table's cell: its text, row after row, is the cell's text.
                foreach (var cell in rows.SelectMany(Cells))
                {
                    Block(cell);
                    Flush();
                }
                return;
            }
            var grid = Grid(rows);
            if (IsLayout(rows, grid))
            {
                // A page laid out in a table (common on older government sites): its cells are regions of the page,
                // read as paragraphs and tables in order, not as a grid of values.
                foreach (var cell in rows.SelectMany(Cells))
                {
                    Block(cell);
                    Flush();
                }
                return;
            }
            foreach (var row in grid) lines.Row(row);
        }

        /// <summary>A table is a layout table when a cell of it holds a table of its own and it is at most three columns
        /// wide (a sidebar and the content); a statutory table is wider, and a small table inside one of its cells is
        /// read as that cell's text.</summary>
        private static bool IsLayout(List<IElement> rows, List<string[]> grid) =>
            rows.SelectMany(Cells).Any(c => c.QuerySelector("table") is not null) && grid.Select(r => r.Length).DefaultIfEmpty(0).Max() <= 3;

        private List<string[]> Grid(List<IElement> rows)
        {
            // Columns still covered by a rowspan from above: column → rows left.
            var pending = new Dictionary<int, int>();
            var grid = new List<string[]>();
            foreach (var row in rows)
            {
                var cells = new Dictionary<int, string>();
                var column = 0;
                foreach (var cell in Cells(row))
                {
                    while (pending.ContainsKey(column)) column++;
                    var colspan = Span(cell.GetAttribute("colspan"), 1000);
                    var rowspan = Span(cell.GetAttribute("rowspan"), 65534);
                    cells[column] = CellText(cell);
                    for (var k = 1; k < colspan; k++) cells[column + k] = "";
                    if (rowspan > 1) for (var k = 0; k < colspan; k++) pending[column + k] = rowspan;
                    column += colspan;
                }
                var covered = pending.Keys.Where(c => !cells.ContainsKey(c)).ToList();
                foreach (var c in covered) cells[c] = "";
                // Rowspans count down after the row that started them (which set rowspan, so the row itself counts one).
                foreach (var c in pending.Keys.ToList())
                    if (--pending[c] <= 0) pending.Remove(c);
                var width = cells.Count == 0 ? 0 : cells.Keys.Max() + 1;
                grid.Add(Enumerable.Range(0, width).Select(c => cells.GetValueOrDefault(c, "")).ToArray());
            }
            return grid;
        }

        private static int Span(string? value, int max) =>
            int.TryParse(value?.Trim(), out var n) && n >= 1 ? Math.Min(n, max) : 1;

        private static string CellText(IElement cell)
        {
            var inner = new Walker(new SourceLines(), flattenTables: true);
            inner.Block(cell);
            inner.Flush();
            return string.Join(" ", inner.Collected);
        }

        /// <summary>The table's own rows (not those of tables nested in its cells), in order.</summary>
        private static IEnumerable<IElement> Rows(IElement table) =>
            table.Children.SelectMany(c => c.LocalName is "thead" or "tbody" or "tfoot" ? c.Children : (IEnumerable<IElement>)[c]).Where(c => c.LocalName == "tr");

        private static IEnumerable<IElement> Cells(IElement row) => row.Children.Where(c => c.LocalName is "td" or "th");
    }

    private static bool IsDownlevelRevealedStart(string data) => data.StartsWith("[if ", StringComparison.OrdinalIgnoreCase) && data.EndsWith(']') && !data.Contains("endif", StringComparison.OrdinalIgnoreCase);

    private static bool IsDownlevelRevealedEnd(string data) => data.Trim().Equals("[endif]", StringComparison.OrdinalIgnoreCase);
}
