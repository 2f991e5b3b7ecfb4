namespace GovInfoReports.Domain.Agencies;

public enum RegionLevel { Province, City, County, Township }

/// <summary>An administrative region (省/市/县/乡镇) in a tree.</summary>
public sealed class Region
{
    private Region() { }

    public Region(string code, string name, RegionLevel level, Region? parent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Code = code;
        Name = name;
        Level = level;
        Parent = parent;
    }

    public int Id { get; private set; }
    /// <summary>行政区划代码 (e.g. 410724), or a longer 乡级 code.</summary>
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public RegionLevel Level { get; private set; }
    public int? ParentId { get; private set; }
    public Region? Parent { get; private set; }

    public void Rename(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Trim();
    }

    public static string LevelName(RegionLevel level) => level switch
    {
        RegionLevel.Province => "省级",
        RegionLevel.City => "市级",
        RegionLevel.County => "县级",
        _ => "乡镇级",
    };
}
