namespace GovInfoReports.Domain.Agencies;

/// <summary>
/// The regions (省/市/县/乡镇) as a tree, built once from a flat list as loaded (parents by <see cref="Region.ParentId"/>,
/// no navigation needed): the walks the admin's region list and the public search's region filter and region words
/// need. A region whose parent is not in the list is a root. Cycles cannot be stored (a region's parent exists
/// before it), but every walk stops at a region already seen all the same.
/// </summary>
public sealed class RegionTree
{
    private readonly Dictionary<int, Region> _byId;
    private readonly ILookup<int?, Region> _children;

    public RegionTree(IEnumerable<Region> regions)
    {
        All = regions.OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
        _byId = All.ToDictionary(r => r.Id);
        _children = All.ToLookup(r => r.ParentId is { } p && _byId.ContainsKey(p) ? p : (int?)null);
    }

    /// <summary>Every region, by code.</summary>
    public IReadOnlyList<Region> All { get; }

    public Region? Find(int id) => _byId.GetValueOrDefault(id);

    /// <summary>The region and every region above it, nearest first; empty for an unknown id.</summary>
    public IEnumerable<Region> Lineage(int id)
    {
        var seen = new HashSet<int>();
        for (int? at = id; at is { } i && _byId.TryGetValue(i, out var r) && seen.Add(i); at = r.ParentId) yield return r;
    }

    /// <summary>Ids of the region with <paramref name="code"/> and of every region under it; empty for an unknown code.</summary>
    public IReadOnlyList<int> Subtree(string code) =>
        All.Where(r => Lineage(r.Id).Any(l => l.Code == code)).Select(r => r.Id).ToList();

    /// <summary>The regions depth-first, each under the one above it and siblings by code, with their depth (0: a
    /// root). With <paramref name="include"/>, only the regions it keeps; a kept region whose parent is left out is
    /// listed as a root.</summary>
    public IReadOnlyList<(Region Region, int Depth)> DepthFirst(Func<Region, bool>? include = null)
    {
        var kept = include is null ? null : All.Where(include).Select(r => r.Id).ToHashSet();
        bool Kept(Region r) => kept is null || kept.Contains(r.Id);
        var ordered = new List<(Region, int)>();
        var seen = new HashSet<int>();
        void Walk(Region region, int depth)
        {
            if (!seen.Add(region.Id)) return;
            ordered.Add((region, depth));
            foreach (var child in _children[region.Id]) Descend(child, depth + 1);
        }
        // A left-out region passes its kept descendants up to the nearest kept one.
        void Descend(Region region, int depth)
        {
            if (Kept(region)) Walk(region, depth);
            else foreach (var child in _children[region.Id]) Descend(child, depth);
        }
        foreach (var root in _children[null]) Descend(root, 0);
        return ordered;
    }
}
