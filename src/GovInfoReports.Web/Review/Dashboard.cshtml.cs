using System.Globalization;
using System.Text;
using GovInfoReports.Domain.Agencies;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Review;

/// <summary>
/// 辖区看板 (/review/dashboard): the signed-in supervisor's subtree for one report year — units per status, the overdue and
/// due-soon units, each unit's deadline (statutory or local, Beijing days) and whether it was published late, its last
/// activity and last reminder; filters (status, deadline state, region, kind, name), 100 units a page, a CSV export of the
/// filtered units, and 「发送提醒」 to the clerks of the filtered units that are due or overdue. Aggregated in SQL
/// (<see cref="SupervisorDashboard"/>), so a subtree of 10,000 units costs a handful of queries.
/// </summary>
public sealed class DashboardModel(AccessControl access, AppDbContext db, SupervisorDashboard dashboard, ReminderService reminders,
    TemplateCatalog catalog, TimeProvider clock) : PageModel
{
    public const int PageSize = 100;
    /// <summary>How many units the overdue and due-soon lists show before 「查看全部」.</summary>
    public const int ListSize = 10;
    public const int DefaultDays = 14;

    [BindProperty(SupportsGet = true)] public string? Year { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Due { get; set; }
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    /// <summary>The 将到期 window in days, as typed (1–366; default 14).</summary>
    [BindProperty(SupportsGet = true)] public string? Days { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    [TempData] public string? Notice { get; set; }

    public DashboardFilter Filter { get; private set; } = null!;
    public IReadOnlyList<int> Years { get; private set; } = [];
    public IReadOnlyList<Region> Regions { get; private set; } = [];
    public IReadOnlyList<StatusCount> Counts { get; private set; } = [];
    public IReadOnlyList<DashboardUnit> Units { get; private set; } = [];
    public IReadOnlyList<DashboardUnit> OverdueUnits { get; private set; } = [];
    public IReadOnlyList<DashboardUnit> DueSoonUnits { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public DateOnly Today => Filter.Today;

    /// <summary>The statuses of the status filter: 未填报 first, then the workflow's order.</summary>
    public static IReadOnlyList<(string Value, string Name)> StatusChoices { get; } =
        [(SupervisorDashboard.NoReport, "未填报"), .. Enum.GetValues<ReportStatus>().Select(s => (s.ToString(), Report.StatusName(s)))];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await SupervisedAsync(ct) is not { } supervised) return Forbid();
        await LoadAsync(supervised, ct);
        return Page();
    }

    /// <summary>The filtered units (every page) as CSV: UTF-8 with a BOM so Excel and WPS read the Chinese, columns in Chinese.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await SupervisedAsync(ct) is not { } supervised) return Forbid();
        ReadFilter();
        var units = await dashboard.UnitsAsync(supervised, Filter, 0, null, ct);
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', "机关名称", "统一社会信用代码", "类别", "所在地区", "报告状态", "发布期限", "期限依据", "期限情况",
            "首次发布日期", "最后活动时间（北京时间）", "最近提醒", "最近提醒时间（北京时间）"));
        foreach (var u in units)
            csv.AppendLine(string.Join(',', new[]
            {
                u.Name, u.Code, Agency.KindName(u.Kind), u.RegionName, StatusText(u.Status), u.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                u.Basis, DeadlineState(u, Today), u.PublishedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                u.LastActivity is { } at ? BeijingTime.DateTime(at) : "", u.ReminderKind is { } k ? Reminder.KindName(k) : "",
                u.ReminderAt is { } sent ? BeijingTime.DateTime(sent) : "",
            }.Select(CsvField)));
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
        return File(bytes, "text/csv; charset=utf-8", $"辖区看板-{Filter.Year}年度.csv");
    }

    /// <summary>「发送提醒」: reminds the clerks of the filtered units whose report is not yet submitted and is due within the
    /// window or overdue (<see cref="ReminderService"/>, the scheduled job's method), then shows the dashboard again.</summary>
    public async Task<IActionResult> OnPostRemindAsync(CancellationToken ct)
    {
        if (await SupervisedAsync(ct) is not { } supervised) return Forbid();
        ReadFilter();
        if (!ModelState.IsValid)
        {
            await LoadAsync(supervised, ct);
            return Page();
        }
        var ids = await dashboard.AgencyIdsAsync(supervised, Filter, ct);
        var result = await reminders.SendAsync(clock.GetUtcNow(), Filter.Year, ids, Filter.DueSoonDays, access.UserId, ct);
        Notice = result.Due == 0
            ? "筛选出的单位中没有需要提醒的单位（报告未提交且已逾期或将在期限内到期的单位）。"
            : $"已向 {result.Sent} 个单位的 {result.Recipients} 名填报员发送提醒"
              + (result.AlreadySent > 0 ? $"；{result.AlreadySent} 个单位今天已提醒过，未重复发送" : "")
              + (result.WithoutClerk > 0 ? $"；{result.WithoutClerk} 个单位没有填报员，无法提醒" : "") + "。";
        return Redirect(Link());
    }

    /// <summary>The current filter as query values (for links, the pager and the redirect after 「发送提醒」), with changes.</summary>
    public Dictionary<string, string?> Query(params (string Key, string? Value)[] changes)
    {
        var query = new Dictionary<string, string?>
        {
            ["Year"] = Filter.Year.ToString(CultureInfo.InvariantCulture),
            ["Status"] = Filter.Status,
            ["Due"] = Filter.Due,
            ["Region"] = Filter.RegionId?.ToString(CultureInfo.InvariantCulture),
            ["Kind"] = Filter.Kind?.ToString(),
            ["Q"] = string.IsNullOrWhiteSpace(Filter.Query) ? null : Filter.Query,
            ["Days"] = Filter.DueSoonDays == DefaultDays ? null : Filter.DueSoonDays.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in changes) query[key] = value;
        return query.Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    /// <summary>A link to this page with the current filter changed.</summary>
    public string Link(params (string Key, string? Value)[] changes) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/review/dashboard", Query(changes));

    public static string StatusText(ReportStatus? status) => status is { } s ? Report.StatusName(s) : "未填报";

    /// <summary>Where a unit stands against its deadline on <paramref name="today"/> (Beijing): 按期发布, 逾期发布（晚N天）,
    /// 已逾期N天, 今天到期 or 还剩N天.</summary>
    public static string DeadlineState(DashboardUnit unit, DateOnly today)
    {
        if (unit.PublishedOn is { } published)
            return published > unit.Due ? $"逾期发布（晚{published.DayNumber - unit.Due.DayNumber}天）" : "按期发布";
        var left = unit.Due.DayNumber - today.DayNumber;
        return left < 0 ? $"已逾期{-left}天" : left == 0 ? "今天到期" : $"还剩{left}天";
    }

    private async Task<IReadOnlySet<int>?> SupervisedAsync(CancellationToken ct)
    {
        var supervised = await access.SupervisedAgenciesAsync(ct);
        return supervised.Count == 0 ? null : supervised;
    }

    /// <summary>Reads the query into <see cref="Filter"/>. A value that cannot be used gets a Chinese message next to its
    /// field and its default; every other filter is kept.</summary>
    private void ReadFilter()
    {
        var today = BeijingTime.Day(clock.GetUtcNow());
        // The year being reported on: last year's reports are due this year.
        var year = today.Year - 1;
        if (!string.IsNullOrWhiteSpace(Year))
        {
            if (int.TryParse(Domain.Values.CellValueParser.Normalise(Year), out var y) && y is >= 2000 and <= 9998 && catalog.ForYear(y) is not null)
                year = y;
            else
                ModelState.AddModelError(nameof(Year), $"请选择{catalog.EarliestYear}年及以后的报告年度");
        }
        var days = DefaultDays;
        if (!string.IsNullOrWhiteSpace(Days))
        {
            if (int.TryParse(Domain.Values.CellValueParser.Normalise(Days), out var d) && d is >= 1 and <= 366)
                days = d;
            else
                ModelState.AddModelError(nameof(Days), "请输入1到366之间的整数天数");
        }
        string? status = null;
        if (!string.IsNullOrEmpty(Status))
        {
            if (StatusChoices.Any(c => c.Value == Status)) status = Status;
            else ModelState.AddModelError(nameof(Status), "请选择列出的状态");
        }
        string? due = null;
        if (!string.IsNullOrEmpty(Due))
        {
            if (Due is SupervisorDashboard.Overdue or SupervisorDashboard.DueSoon or SupervisorDashboard.Late) due = Due;
            else ModelState.AddModelError(nameof(Due), "请选择列出的期限情况");
        }
        int? region = null;
        if (!string.IsNullOrEmpty(Region))
        {
            if (int.TryParse(Region, out var r)) region = r;
            else ModelState.AddModelError(nameof(Region), "请选择列出的地区");
        }
        AgencyKind? kind = null;
        if (!string.IsNullOrEmpty(Kind))
        {
            if (Enum.TryParse<AgencyKind>(Kind, out var k) && Enum.IsDefined(k)) kind = k;
            else ModelState.AddModelError(nameof(Kind), "请选择列出的类别");
        }
        var query = Q?.Trim();
        if (query is { Length: > FieldLimits.AgencyName })
        {
            ModelState.AddModelError(nameof(Q), $"名称最多{FieldLimits.AgencyName}个字");
            query = null;
        }
        Filter = new DashboardFilter(year, today, days, status, due, region, kind, query);
    }

    private async Task LoadAsync(IReadOnlySet<int> supervised, CancellationToken ct)
    {
        ReadFilter();
        Years = await db.Reports.Where(r => supervised.Contains(r.AgencyId)).Select(r => r.Year).Distinct().ToListAsync(ct);
        Years = Years.Append(Today.Year - 1).Append(Filter.Year).Distinct().OrderByDescending(y => y).ToList();
        Regions = await dashboard.RegionsAsync(supervised, ct);
        Counts = await dashboard.CountsAsync(supervised, Filter, ct);
        Total = SupervisorDashboard.Total(Counts, Filter);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Units = await dashboard.UnitsAsync(supervised, Filter, (PageNumber - 1) * PageSize, PageSize, ct);
        // The two lists keep the region, kind and name filters and the status filter, not the deadline-state filter.
        OverdueUnits = await dashboard.UnitsAsync(supervised, Filter with { Due = SupervisorDashboard.Overdue }, 0, ListSize, ct);
        DueSoonUnits = await dashboard.UnitsAsync(supervised, Filter with { Due = SupervisorDashboard.DueSoon }, 0, ListSize, ct);
    }

    /// <summary>One CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is neutralised so a
    /// spreadsheet never runs a unit's name as a formula.</summary>
    private static string CsvField(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
