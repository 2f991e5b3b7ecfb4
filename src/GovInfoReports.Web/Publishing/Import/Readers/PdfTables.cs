using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;

namespace GovInfoReports.Web.Publishing.Import;

/// <summary>
/// Ruled tables on a PDF page: the cell borders a table is printed with (thin filled rectangles, as Chromium and Word
/// draw them, or stroked lines) give each glyph its cell box, the nearest rules left, right, above and below it.
/// Boxes that touch form a table; its grid columns and rows are the rules' positions, so a box spanning columns or
/// rows takes its place in the grid as an HTML cell with colspan/rowspan would, and a cell's text wrapped over
/// several printed lines is one cell. A box alone (a frame around a page or a paragraph) is not a table.
/// </summary>
internal static class PdfTables
{
    /// <summary>A rule: for a horizontal one, <see cref="At"/> is its y and it runs from x = <see cref="From"/> to
    /// <see cref="To"/>; for a vertical one, its x and its y range.</summary>
    private readonly record struct Rule(double At, double From, double To);

    /// <summary>A cell box in page coordinates (y grows upwards).</summary>
    public readonly record struct Box(double Left, double Right, double Bottom, double Top);

    /// <summary>A table found on the page: its top (for reading order), its grid rows, and the glyphs it holds.</summary>
    public sealed record Table(double Top, List<string[]> Rows, HashSet<Letter> Letters);

    /// <summary>Thickest a border is taken to be, and shortest (pt); how far apart two positions are the same (pt).</summary>
    private const double Thin = 2.5, Shortest = 4, Same = 1.5;

    public static List<Table> Find(Page page, List<Letter> letters, Func<List<Letter>, string> text)
    {
        var (horizontal, vertical) = Rules(page);
        if (horizontal.Count < 2 || vertical.Count < 2) return [];
        var byBox = new Dictionary<Box, List<Letter>>();
        foreach (var letter in letters)
            if (BoxOf(letter, horizontal, vertical) is { } box)
            {
                if (!byBox.TryGetValue(box, out var list)) byBox[box] = list = [];
                list.Add(letter);
            }

        var tables = new List<Table>();
        foreach (var component in Components(byBox.Keys.ToList()).Where(c => c.Count > 1))
        {
            var left = component.Min(b => b.Left) - Same;
            var right = component.Max(b => b.Right) + Same;
            var bottom = component.Min(b => b.Bottom) - Same;
            var top = component.Max(b => b.Top) + Same;
            var xs = Positions(vertical.Where(v => v.At >= left && v.At <= right && v.To >= bottom && v.From <= top).Select(v => v.At)
                .Concat(component.SelectMany(b => new[] { b.Left, b.Right })));
            var ys = Positions(horizontal.Where(h => h.At >= bottom && h.At <= top && h.To >= left && h.From <= right).Select(h => h.At)
                .Concat(component.SelectMany(b => new[] { b.Bottom, b.Top }))).AsEnumerable().Reverse().ToList();
            var rows = Enumerable.Range(0, ys.Count - 1).Select(_ => Enumerable.Repeat("", Math.Max(xs.Count - 1, 0)).ToArray()).ToList();
            foreach (var box in component)
            {
                var row = Index(ys, box.Top);
                var column = Index(xs, box.Left);
                if (row < rows.Count && column < rows[row].Length) rows[row][column] = text(byBox[box]);
            }
            tables.Add(new Table(component.Max(b => b.Top), rows, component.SelectMany(b => byBox[b]).ToHashSet()));
        }
        return tables;
    }

    /// <summary>The page's horizontal and vertical rules, from filled thin rectangles and stroked straight segments.</summary>
    private static (List<Rule> Horizontal, List<Rule> Vertical) Rules(Page page)
    {
        var horizontal = new List<Rule>();
        var vertical = new List<Rule>();
        void Segment(PdfPoint a, PdfPoint b)
        {
            if (Math.Abs(a.Y - b.Y) < 1 && Math.Abs(a.X - b.X) >= Shortest) horizontal.Add(new((a.Y + b.Y) / 2, Math.Min(a.X, b.X), Math.Max(a.X, b.X)));
            else if (Math.Abs(a.X - b.X) < 1 && Math.Abs(a.Y - b.Y) >= Shortest) vertical.Add(new((a.X + b.X) / 2, Math.Min(a.Y, b.Y), Math.Max(a.Y, b.Y)));
        }
        foreach (var path in page.Paths)
        {
            if (path.IsClipping || !(path.IsFilled || path.IsStroked)) continue;
            foreach (var subpath in path)
            {
                if (path.IsFilled && subpath.GetBoundingRectangle() is { } r)
                {
                    if (r.Height <= Thin && r.Width >= Shortest) horizontal.Add(new((r.Bottom + r.Top) / 2, r.Left, r.Right));
                    else if (r.Width <= Thin && r.Height >= Shortest) vertical.Add(new((r.Left + r.Right) / 2, r.Bottom, r.Top));
                }
                if (!path.IsStroked) continue;
                PdfPoint? start = null, current = null;
                foreach (var command in subpath.Commands)
                {
                    switch (command)
                    {
                        case PdfSubpath.Move move:
                            start = current = move.Location;
                            break;
                        case PdfSubpath.Line line:
                            Segment(line.From, line.To);
                            current = line.To;
                            start ??= line.From;
                            break;
                        case PdfSubpath.Close when start is { } s && current is { } c:
                            Segment(c, s);
                            current = s;
                            break;
                    }
                }
            }
        }
        return (horizontal, vertical);
    }

    /// <summary>The box of the nearest rules around the glyph's centre, or null when it is not enclosed on all sides.</summary>
    private static Box? BoxOf(Letter letter, List<Rule> horizontal, List<Rule> vertical)
    {
        var x = (letter.StartBaseLine.X + letter.EndBaseLine.X) / 2;
        var y = letter.StartBaseLine.Y + 0.3 * Math.Max(letter.PointSize, 1);
        double? left = null, right = null, bottom = null, top = null;
        foreach (var v in vertical)
        {
            if (y < v.From - Same || y > v.To + Same) continue;
            if (v.At <= x && (left is null || v.At > left)) left = v.At;
            if (v.At >= x && (right is null || v.At < right)) right = v.At;
        }
        foreach (var h in horizontal)
        {
            if (x < h.From - Same || x > h.To + Same) continue;
            if (h.At <= y && (bottom is null || h.At > bottom)) bottom = h.At;
            if (h.At >= y && (top is null || h.At < top)) top = h.At;
        }
        return left is null || right is null || bottom is null || top is null
            ? null
            : new Box(Math.Round(left.Value * 2) / 2, Math.Round(right.Value * 2) / 2, Math.Round(bottom.Value * 2) / 2, Math.Round(top.Value * 2) / 2);
    }

    /// <summary>Groups of boxes that touch (share part of an edge), each a table.</summary>
    private static List<List<Box>> Components(List<Box> boxes)
    {
        var parent = Enumerable.Range(0, boxes.Count).ToArray();
        int Root(int i) => parent[i] == i ? i : parent[i] = Root(parent[i]);
        static bool Overlap(double a1, double a2, double b1, double b2) => Math.Min(a2, b2) - Math.Max(a1, b1) > Same;
        for (var i = 0; i < boxes.Count; i++)
        for (var j = i + 1; j < boxes.Count; j++)
        {
            var (a, b) = (boxes[i], boxes[j]);
            var side = (Math.Abs(a.Right - b.Left) <= Same || Math.Abs(a.Left - b.Right) <= Same) && Overlap(a.Bottom, a.Top, b.Bottom, b.Top);
            var stacked = (Math.Abs(a.Bottom - b.Top) <= Same || Math.Abs(a.Top - b.Bottom) <= Same) && Overlap(a.Left, a.Right, b.Left, b.Right);
            if (side || stacked) parent[Root(i)] = Root(j);
        }
        return Enumerable.Range(0, boxes.Count).GroupBy(Root).Select(g => g.Select(i => boxes[i]).ToList()).ToList();
    }

    /// <summary>Distinct positions in ascending order, those closer than <see cref="Same"/> taken as one.</summary>
    private static List<double> Positions(IEnumerable<double> values)
    {
        var result = new List<double>();
        foreach (var v in values.Order())
            if (result.Count == 0 || v - result[^1] > Same) result.Add(v);
        return result;
    }

    /// <summary>The index of the position nearest to <paramref name="value"/>.</summary>
    private static int Index(List<double> positions, double value)
    {
        var best = 0;
        for (var i = 1; i < positions.Count; i++)
            if (Math.Abs(positions[i] - value) < Math.Abs(positions[best] - value)) best = i;
        return best;
    }
}
