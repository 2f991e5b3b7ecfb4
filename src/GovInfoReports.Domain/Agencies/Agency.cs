namespace GovInfoReports.Domain.Agencies;

public enum AgencyKind { Government, Department, Township, Subdistrict }

/// <summary>
/// A reporting organ. A government's 全辖区 report belongs to its 人民政府 agency; the government's
/// 办公室 is a separate 部门 agency with its own report.
/// </summary>
public sealed class Agency
{
    private Agency() { }

    public Agency(string code, string name, AgencyKind kind, Region region, Agency? parent, bool mayMakeRules)
    {
        if (UnifiedSocialCreditCode.Validate(code) is { } error) throw new ArgumentException(error, nameof(code));
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Code = code.Trim().ToUpperInvariant();
        Name = name.Trim();
        Kind = kind;
        Region = region;
        Parent = parent;
        MayMakeRules = mayMakeRules;
    }

    public int Id { get; private set; }
    /// <summary>统一社会信用代码, the stable public identifier used in permalinks.</summary>
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public AgencyKind Kind { get; private set; }
    public int RegionId { get; private set; }
    public Region Region { get; private set; } = null!;
    public int? ParentId { get; private set; }
    public Agency? Parent { get; private set; }
    /// <summary>Whether the organ may make 规章 (设区的市 and 自治州 governments do; 县级市 do not). Used by rule C4.</summary>
    public bool MayMakeRules { get; private set; }

    /// <summary>Changes what an administrator may change; the code (the public identifier) stays.</summary>
    public void Update(string name, AgencyKind kind, Region region, Agency? parent, bool mayMakeRules)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        for (var a = parent; a is not null; a = a.Parent)
            if (a == this) throw new ArgumentException("上级机关不能是本机关或其下级机关", nameof(parent));
        Name = name.Trim();
        Kind = kind;
        Region = region;
        RegionId = region.Id;
        Parent = parent;
        ParentId = parent?.Id;
        MayMakeRules = mayMakeRules;
    }

    public static string KindName(AgencyKind kind) => kind switch
    {
        AgencyKind.Government => "人民政府",
        AgencyKind.Department => "部门",
        AgencyKind.Township => "乡镇",
        _ => "街道",
    };

    /// <summary>The flags template rules may depend on (rule conditions in the template data): <c>mayMakeRules</c> (规章
    /// power, rule C4) and <c>isPeoplesGovernment</c> (各级人民政府, whose report must cover 工作考核, 社会评议 and 责任追究,
    /// rule N10).</summary>
    public IReadOnlyDictionary<string, bool> RuleContext() => new Dictionary<string, bool>
    {
        [RuleContextFlags[0]] = MayMakeRules,
        // 各级人民政府 (条例 art. 50(四)): county and higher governments and 乡镇; a 街道办事处 is not one.
        [RuleContextFlags[1]] = Kind is AgencyKind.Government or AgencyKind.Township,
    };

    /// <summary>The names of the flags of <see cref="RuleContext"/>, in its order.</summary>
    public static IReadOnlyList<string> RuleContextFlags { get; } = ["mayMakeRules", "isPeoplesGovernment"];
}
