using GovInfoReports.Domain.Agencies;

namespace GovInfoReports.Domain.Reports;

public enum ReportStatus { Draft, Submitted }

/// <summary>One agency's 政府信息公开工作年度报告 for one year, in one template version.</summary>
public sealed class Report
{
    private readonly List<ReportCell> _cells = [];
    private readonly List<ReportText> _texts = [];
    private readonly List<WarningExplanation> _explanations = [];

    private Report() { }

    public Report(Agency agency, int year, string templateCode, DateTimeOffset now)
    {
        Agency = agency;
        Year = year;
        TemplateCode = templateCode;
        Status = ReportStatus.Draft;
        Title = $"{agency.Name}{year}年政府信息公开工作年度报告";
        CompilingOffice = agency.Name;
        PeriodStart = new DateOnly(year, 1, 1);
        PeriodEnd = new DateOnly(year, 12, 31);
        CreatedAt = now;
        UpdatedAt = now;
    }

    public int Id { get; private set; }
    public int AgencyId { get; private set; }
    public Agency Agency { get; private set; } = null!;
    public int Year { get; private set; }
    public string TemplateCode { get; private set; } = "";
    public ReportStatus Status { get; private set; }

    public string Title { get; private set; } = "";
    public string CompilingOffice { get; private set; } = "";
    /// <summary>For a 全辖区 report, the units it consolidates.</summary>
    public string? UnitsCovered { get; private set; }
    public DateOnly PeriodStart { get; private set; }
    public DateOnly PeriodEnd { get; private set; }
    /// <summary>Where the electronic version is published (e.g. the portal's 政府信息公开年报 column).</summary>
    public string? PublicationPlace { get; private set; }
    public string? Contact { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? SubmittedAt { get; private set; }

    public IReadOnlyList<ReportCell> Cells => _cells;
    public IReadOnlyList<ReportText> Texts => _texts;
    public IReadOnlyList<WarningExplanation> Explanations => _explanations;

    public bool IsEditable => Status == ReportStatus.Draft;

    public void EnsureEditable()
    {
        if (!IsEditable) throw new InvalidOperationException($"Report {Id} is {Status} and cannot be edited.");
    }

    public void SetMetadata(ReportMetadata m, DateTimeOffset now)
    {
        EnsureEditable();
        Title = m.Title;
        CompilingOffice = m.CompilingOffice;
        UnitsCovered = m.UnitsCovered;
        PeriodStart = m.PeriodStart;
        PeriodEnd = m.PeriodEnd;
        PublicationPlace = m.PublicationPlace;
        Contact = m.Contact;
        UpdatedAt = now;
    }

    public ReportMetadata Metadata => new(Title, CompilingOffice, UnitsCovered, PeriodStart, PeriodEnd, PublicationPlace, Contact);

    /// <summary>Sets (or, with null, blanks) a cell. Blank and an explicit 0 are different states.</summary>
    public void SetCell(string cellId, decimal? value, DateTimeOffset now)
    {
        EnsureEditable();
        var existing = _cells.FirstOrDefault(c => c.CellId == cellId);
        if (value is null)
        {
            if (existing is not null) _cells.Remove(existing);
        }
        else if (existing is null) _cells.Add(new ReportCell(cellId, value.Value));
        else existing.Value = value.Value;
        UpdatedAt = now;
    }

    public void SetText(string partId, string? text, DateTimeOffset now)
    {
        EnsureEditable();
        var existing = _texts.FirstOrDefault(t => t.PartId == partId);
        if (string.IsNullOrEmpty(text))
        {
            if (existing is not null) _texts.Remove(existing);
        }
        else if (existing is null) _texts.Add(new ReportText(partId, text));
        else existing.Text = text;
        UpdatedAt = now;
    }

    public void Explain(string ruleKey, string? text, DateTimeOffset now)
    {
        EnsureEditable();
        var existing = _explanations.FirstOrDefault(e => e.RuleKey == ruleKey);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (existing is not null) _explanations.Remove(existing);
        }
        else if (existing is null) _explanations.Add(new WarningExplanation(ruleKey, text.Trim()));
        else existing.Text = text.Trim();
        UpdatedAt = now;
    }

    /// <summary>草稿 → 已提交. The caller has validated the content: no errors, every warning explained.</summary>
    public void Submit(DateTimeOffset now)
    {
        EnsureEditable();
        Status = ReportStatus.Submitted;
        SubmittedAt = now;
        UpdatedAt = now;
    }

    public IReadOnlyDictionary<string, decimal> CellValues() => _cells.ToDictionary(c => c.CellId, c => c.Value, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> TextValues() => _texts.ToDictionary(t => t.PartId, t => t.Text, StringComparer.Ordinal);

    public static string StatusName(ReportStatus status) => status switch
    {
        ReportStatus.Draft => "草稿",
        _ => "已提交",
    };
}

public sealed record ReportMetadata(
    string Title,
    string CompilingOffice,
    string? UnitsCovered,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string? PublicationPlace,
    string? Contact);

/// <summary>A stored cell value. Computed totals are stored too, so SQL can read them directly.</summary>
public sealed class ReportCell
{
    private ReportCell() { }
    internal ReportCell(string cellId, decimal value) { CellId = cellId; Value = value; }
    public int ReportId { get; private set; }
    public string CellId { get; private set; } = "";
    public decimal Value { get; internal set; }
}

public sealed class ReportText
{
    private ReportText() { }
    internal ReportText(string partId, string text) { PartId = partId; Text = text; }
    public int ReportId { get; private set; }
    public string PartId { get; private set; } = "";
    public string Text { get; internal set; } = "";
}

/// <summary>The clerk's written 说明 for a warning (keyed by the rule instance, e.g. "C4").</summary>
public sealed class WarningExplanation
{
    private WarningExplanation() { }
    internal WarningExplanation(string ruleKey, string text) { RuleKey = ruleKey; Text = text; }
    public int ReportId { get; private set; }
    public string RuleKey { get; private set; } = "";
    public string Text { get; internal set; } = "";
}
