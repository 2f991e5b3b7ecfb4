namespace GovInfoReports.Domain.Templates;

/// <summary>
/// The printed shape of a statutory table: header rows with their merged cells (colspan/rowspan)
/// and body rows with their label cells and value cells. Computed from the template's row and
/// column trees, so the form, the HTML and the PDF all draw the same merged-header layout.
/// </summary>
public sealed record TableLayout(IReadOnlyList<IReadOnlyList<LayoutCell>> HeaderRows, IReadOnlyList<LayoutBodyRow> BodyRows);

public sealed record LayoutCell(string Text, int ColSpan, int RowSpan, bool IsCorner = false, string? ColumnId = null)
{
    /// <summary>The row or column of the template this header cell names (null for titles and the corner).</summary>
    public HeaderNode? Node { get; init; }
}

public sealed record LayoutBodyRow(string RowId, IReadOnlyList<LayoutCell> Labels, IReadOnlyList<CellDefinition> Values, int ValueColSpan = 1);

public static class TableLayouts
{
    /// <summary>Layout of a table drawn as its own grid (表三, 表四).</summary>
    public static TableLayout Grid(TemplateTable table)
    {
        var columnDepth = table.Columns.Max(Depth);
        var labelColumns = table.RowLabels ? table.Rows.Max(Depth) : 0;
        var header = Enumerable.Range(0, columnDepth).Select(_ => new List<LayoutCell>()).ToList();
        if (labelColumns > 0) header[0].Add(new LayoutCell(table.Note ?? "", labelColumns, columnDepth, IsCorner: true));
        void AddColumn(HeaderNode node)
        {
            header[node.Depth].Add(new LayoutCell(node.Label, node.LeafCount, node.IsLeaf ? columnDepth - node.Depth : 1,
                ColumnId: node.Id) { Node = node });
            foreach (var child in node.Children) AddColumn(child);
        }
        foreach (var node in table.Columns) AddColumn(node);

        var body = new List<LayoutBodyRow>();
        foreach (var leaf in table.LeafRows)
        {
            var labels = new List<LayoutCell>();
            if (labelColumns > 0)
            {
                // A label cell is printed on the first row of its subtree and spans all of it.
                var chain = new List<HeaderNode>();
                for (var n = leaf; n is not null; n = n.Parent) chain.Add(n);
                chain.Reverse();
                foreach (var node in chain.Where(n => n.Leaves().First() == leaf))
                    labels.Add(new LayoutCell(node.Label, node.IsLeaf ? labelColumns - node.Depth : 1, node.LeafCount) { Node = node });
            }
            body.Add(new LayoutBodyRow(leaf.Id!, labels, table.Cells.Where(c => c.RowId == leaf.Id).ToList()));
        }
        return new TableLayout(header.Select(r => (IReadOnlyList<LayoutCell>)r).ToList(), body);
    }

    /// <summary>Layout of one block of a section drawn as stacked blocks sharing one grid (section 二):
    /// a title row, a header row under the section's label header, then the data rows.</summary>
    public static TableLayout Block(TemplateSection section, TemplateTable table)
    {
        var width = Math.Max(section.GridColumns, table.LeafColumns.Count);
        var span = width / table.LeafColumns.Count;
        var header = new List<IReadOnlyList<LayoutCell>>();
        if (table.Title is not null) header.Add([new LayoutCell(table.Title, width + 1, 1)]);
        header.Add([new LayoutCell(section.LabelHeader ?? "", 1, 1),
            .. table.LeafColumns.Select(c => new LayoutCell(c.Label, span, 1, ColumnId: c.Id) { Node = c })]);
        var body = table.LeafRows.Select(r => new LayoutBodyRow(r.Id!, [new LayoutCell(r.Label, 1, 1) { Node = r }],
            table.Cells.Where(c => c.RowId == r.Id).ToList(), span)).ToList();
        return new TableLayout(header, body);
    }

    public static TableLayout For(TemplateSection section, TemplateTable table) =>
        section.Layout == TableLayoutKind.Blocks ? Block(section, table) : Grid(table);

    private static int Depth(HeaderNode node) => node.IsLeaf ? 1 : 1 + node.Children.Max(Depth);
}
