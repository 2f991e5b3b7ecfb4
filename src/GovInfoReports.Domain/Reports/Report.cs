using GovInfoReports.Domain.Agencies;

namespace GovInfoReports.Domain.Reports;

/// <summary>草稿 → 已提交 → (退回 → 已提交 …) → 已审核 → 已发布. 草稿 and 退回 are editable.</summary>
public enum ReportStatus { Draft, Submitted, Returned, Approved, Published }

/// <summary>One agency's 政府信息公开工作年度报告 for one year, in one template version.</summary>
public sealed class Report
{
    private readonly List<ReportCell> _cells = [];
    private readonly List<ReportText> _texts = [];
    private readonly List<ReportPart> _parts = [];
    private readonly List<WarningExplanation> _explanations = [];
    private readonly List<ReportTransition> _transitions = [];
    private readonly List<AuditEntry> _audit = [];

    private Report() { }

    /// <summary>A new draft in <paramref name="template"/>, its narrative sections holding the template's
    /// recommended outline (opening and recommended parts with their headings, no text yet).</summary>
    public Report(Agency agency, int year, Templates.ReportTemplate template, DateTimeOffset now)
    {
        Agency = agency;
        Year = year;
        TemplateCode = template.Code;
        foreach (var section in template.Sections)
            _parts.AddRange(section.DefaultOutline.Select((p, i) => new ReportPart(p.Id, i, p.Heading)));
        Status = ReportStatus.Draft;
        Metadata = new ReportMetadata($"{agency.Name}{year}年政府信息公开工作年度报告", agency.Name, null,
            new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), null, null);
        CreatedAt = now;
        UpdatedAt = now;
    }

    public int Id { get; private set; }
    public int AgencyId { get; private set; }
    public Agency Agency { get; private set; } = null!;
    public int Year { get; private set; }
    public string TemplateCode { get; private set; } = "";
    public ReportStatus Status { get; private set; }

    /// <summary>The report's metadata (报告信息: title, 编制机关, 统计期 …), stored in the report's own columns.</summary>
    public ReportMetadata Metadata { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? SubmittedAt { get; private set; }
    /// <summary>Who submitted the revision under review: that user may not approve it (separation of duties).</summary>
    public string? SubmittedBy { get; private set; }
    /// <summary>1 for the first edition; a correction after publication starts revision 2, and so on.</summary>
    public int Revision { get; private set; } = 1;
    /// <summary>How many versions have been published (the public v1, v2, …).</summary>
    public int PublishedVersions { get; private set; }
    public DateTimeOffset? FirstPublishedAt { get; private set; }
    /// <summary>For a correction revision: the 更正说明 the next published version will carry.</summary>
    public string? CorrectionNote { get; private set; }

    public IReadOnlyList<ReportCell> Cells => _cells;
    /// <summary>Text of each narrative part that has any (a part with nothing written has no row).</summary>
    public IReadOnlyList<ReportText> Texts => _texts;
    /// <summary>The report's own outline: every narrative part, written or not, with its place and heading.</summary>
    public IReadOnlyList<ReportPart> Outline => _parts;
    public IReadOnlyList<WarningExplanation> Explanations => _explanations;
    public IReadOnlyList<ReportTransition> Transitions => _transitions;
    public IReadOnlyList<AuditEntry> Audit => _audit;

    public bool IsEditable => Status is ReportStatus.Draft or ReportStatus.Returned;

    public void EnsureEditable()
    {
        if (!IsEditable) throw new InvalidOperationException($"Report {Id} is {Status} and cannot be edited.");
    }

    /// <summary>Replaces the metadata; every changed field is audited under its label in the report's template
    /// (<paramref name="template"/>, e.g. 报告标题).</summary>
    public void SetMetadata(ReportMetadata m, Templates.ReportTemplate template, DateTimeOffset now, string? userId = null)
    {
        EnsureEditable();
        var before = Metadata;
        foreach (var (field, old, @new) in ReportMetadata.Changes(before, m, template))
            _audit.Add(new AuditEntry(Revision, AuditTarget.Metadata, field, old, @new, userId, now));
        Metadata = m;
        UpdatedAt = now;
    }

    /// <summary>Sets (or, with null, blanks) a cell. Blank and an explicit 0 are different states.
    /// <paramref name="value"/> is in the kind's unit (万元 for money); <paramref name="unit"/> is the code of the
    /// unit the agency printed it in, for a kind with unit choices (2019 采购总金额: "yuan" 元 or "wanyuan" 万元),
    /// otherwise null. A blank cell has no unit. A change of unit alone is a change (audited, as printed).</summary>
    public void SetCell(string cellId, decimal? value, DateTimeOffset now, string? userId = null, string? unit = null)
    {
        EnsureEditable();
        if (value is null) unit = null;
        var existing = _cells.FirstOrDefault(c => c.CellId == cellId);
        if (existing?.Value == value && existing?.Unit == unit) return;
        _audit.Add(new AuditEntry(Revision, AuditTarget.Cell, cellId, existing is null ? null : AuditValue(existing.Value, existing.Unit),
            value is { } n ? AuditValue(n, unit) : null, userId, now));
        if (value is null)
        {
            if (existing is not null) _cells.Remove(existing);
        }
        else if (existing is null) _cells.Add(new ReportCell(cellId, value.Value, unit));
        else { existing.Value = value.Value; existing.Unit = unit; }
        UpdatedAt = now;
    }

    /// <summary>The audit shows a value in 万元 with its printed unit's code appended when one was chosen.</summary>
    private static string AuditValue(decimal value, string? unit) =>
        unit is null ? Values.CellValueParser.FormatValue(value) : $"{Values.CellValueParser.FormatValue(value)} ({unit})";

    /// <summary>The unit chosen per cell, for the cells that have one (cell id → unit code).</summary>
    public IReadOnlyDictionary<string, string> CellUnits() =>
        _cells.Where(c => c.Unit is not null).ToDictionary(c => c.CellId, c => c.Unit!, StringComparer.Ordinal);

    /// <summary>Sets the text of a part of the report's outline (null or "" empties it; the part and its
    /// heading stay).</summary>
    /// <exception cref="ArgumentException">The report's outline has no such part.</exception>
    public void SetText(string partId, string? text, DateTimeOffset now, string? userId = null)
    {
        EnsureEditable();
        if (!_parts.Any(p => p.PartId == partId))
            throw new ArgumentException($"Report {Id} has no narrative part {partId}.", nameof(partId));
        WriteText(partId, text, now, userId);
        UpdatedAt = now;
    }

    private void WriteText(string partId, string? text, DateTimeOffset now, string? userId)
    {
        var existing = _texts.FirstOrDefault(t => t.PartId == partId);
        if ((existing?.Text ?? "") == (text ?? "")) return;
        _audit.Add(new AuditEntry(Revision, AuditTarget.Text, partId, existing?.Text, string.IsNullOrEmpty(text) ? null : text, userId, now));
        if (string.IsNullOrEmpty(text))
        {
            if (existing is not null) _texts.Remove(existing);
        }
        else if (existing is null) _texts.Add(new ReportText(partId, text));
        else existing.Text = text;
    }

    /// <summary>The parts of a narrative section in the order printed, with their texts ("" if none).</summary>
    public IReadOnlyList<WrittenPart> Parts(string sectionId) => Parts().Where(p => p.SectionId == sectionId).ToList();

    /// <summary>Every narrative part with its text, each section's in the order printed (sections in id order;
    /// the document follows the template's section order).</summary>
    public IReadOnlyList<WrittenPart> Parts() => Written(_parts.Select(p => (p.PartId, p.Position, p.Heading)), TextValues());

    internal static IReadOnlyList<WrittenPart> Written(IEnumerable<(string Id, int Position, string? Heading)> outline, IReadOnlyDictionary<string, string> texts) =>
        outline.OrderBy(p => PartIds.SectionOf(p.Id), StringComparer.Ordinal).ThenBy(p => p.Position).ThenBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new WrittenPart(p.Id, p.Heading, texts.GetValueOrDefault(p.Id) ?? "")).ToList();

    /// <summary>
    /// Replaces the outline of a narrative section with <paramref name="parts"/>, in that order: a part whose
    /// id is one of the section's keeps its id (and its history) with the heading and text given (a null
    /// <see cref="PartInput.Text"/> keeps its text); any other part is added, under its id when that is a free
    /// part id of the section (an import), else under a new one (<see cref="PartIds.NewId"/>); a part not listed
    /// is removed with its text.
    /// Every change of a heading, a text and the order is audited. Returns the ids of the parts, in order.
    /// </summary>
    /// <exception cref="ArgumentException">More than <see cref="PartIds.MaxPartsPerSection"/> parts, or a heading
    /// longer than <see cref="PartIds.MaxHeadingLength"/>.</exception>
    public IReadOnlyList<string> SetParts(string sectionId, IReadOnlyList<PartInput> parts, DateTimeOffset now, string? userId = null)
    {
        EnsureEditable();
        if (parts.Count > PartIds.MaxPartsPerSection)
            throw new ArgumentException($"A section has at most {PartIds.MaxPartsPerSection} parts.", nameof(parts));
        var headings = parts.Select(p => PartIds.NormaliseHeading(p.Heading)).ToList();
        if (headings.Any(h => h?.Length > PartIds.MaxHeadingLength))
            throw new ArgumentException($"A part heading has at most {PartIds.MaxHeadingLength} characters.", nameof(parts));
        var before = Parts(sectionId);
        var current = _parts.Where(p => PartIds.SectionOf(p.PartId) == sectionId).ToDictionary(p => p.PartId, StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<string>();
        for (var position = 0; position < parts.Count; position++)
        {
            var (input, heading) = (parts[position], headings[position]);
            if (input.Id is { } id && current.TryGetValue(id, out var part) && kept.Add(id))
            {
                if (part.Heading != heading)
                    _audit.Add(new AuditEntry(Revision, AuditTarget.Heading, id, part.Heading ?? "", heading ?? "", userId, now));
                part.Heading = heading;
                part.Position = position;
                if (input.Text is not null) WriteText(id, input.Text, now, userId);
                ids.Add(id);
                continue;
            }
            // An id the report does not hold yet is kept when it is a part id of this section (an import keeps the
            // ids it was exported with); otherwise, e.g. a part added in the form, the part gets a new id.
            var newId = input.Id is { } given && PartIds.IsValid(given) && PartIds.SectionOf(given) == sectionId && !_parts.Any(p => p.PartId == given)
                ? given : PartIds.NewId(sectionId, _parts.Select(p => p.PartId));
            _parts.Add(new ReportPart(newId, position, heading));
            _audit.Add(new AuditEntry(Revision, AuditTarget.Heading, newId, null, heading ?? "", userId, now));
            WriteText(newId, input.Text, now, userId);
            ids.Add(newId);
        }
        foreach (var removed in current.Values.Where(p => !kept.Contains(p.PartId)))
        {
            _audit.Add(new AuditEntry(Revision, AuditTarget.Heading, removed.PartId, removed.Heading ?? "", null, userId, now));
            WriteText(removed.PartId, null, now, userId);
            _parts.Remove(removed);
        }
        var keptBefore = before.Where(p => kept.Contains(p.Id)).Select(p => p.Id);
        if (!keptBefore.SequenceEqual(ids.Where(current.ContainsKey)))
            _audit.Add(new AuditEntry(Revision, AuditTarget.Outline, sectionId, OutlineText(before), OutlineText(Parts(sectionId)), userId, now));
        UpdatedAt = now;
        return ids;
    }

    /// <summary>The order of a section's parts as the audit and the save-conflict message show it: the headings joined
    /// by " ｜ ", "（无标题）" for a part without one.</summary>
    public static string OutlineText(IEnumerable<WrittenPart> parts) => string.Join(" ｜ ", parts.Select(p => p.Heading ?? "（无标题）"));

    public void Explain(string ruleKey, string? text, DateTimeOffset now, string? userId = null)
    {
        EnsureEditable();
        var existing = _explanations.FirstOrDefault(e => e.RuleKey == ruleKey);
        if ((existing?.Text ?? "") != (text?.Trim() ?? ""))
            _audit.Add(new AuditEntry(Revision, AuditTarget.Metadata, $"说明（{ruleKey}）", existing?.Text, string.IsNullOrWhiteSpace(text) ? null : text.Trim(), userId, now));
        if (string.IsNullOrWhiteSpace(text))
        {
            if (existing is not null) _explanations.Remove(existing);
        }
        else if (existing is null) _explanations.Add(new WarningExplanation(ruleKey, text.Trim()));
        else existing.Text = text.Trim();
        UpdatedAt = now;
    }

    /// <summary>草稿/退回 → 已提交. The caller has validated the content: no errors, every warning explained.</summary>
    public void Submit(string? userId, DateTimeOffset now)
    {
        EnsureEditable();
        Move(ReportStatus.Submitted, userId, null, now);
        SubmittedAt = now;
        SubmittedBy = userId;
    }

    /// <summary>已提交 (or 已审核, when a problem is found before publication) → 退回, with the reason the clerk will see.</summary>
    public void Return(string userId, string reason, DateTimeOffset now)
    {
        if (Status is not (ReportStatus.Submitted or ReportStatus.Approved))
            throw new WorkflowException($"报告状态为“{StatusName(Status)}”，不能退回");
        if (string.IsNullOrWhiteSpace(reason)) throw new WorkflowException("退回必须填写理由");
        Move(ReportStatus.Returned, userId, reason.Trim(), now);
    }

    /// <summary>已提交 → 已审核. Whoever submitted this revision cannot approve it.</summary>
    public void Approve(string userId, DateTimeOffset now)
    {
        Expect(ReportStatus.Submitted, "审核通过");
        if (userId == SubmittedBy) throw new WorkflowException("提交人不能审核通过自己提交的报告");
        Move(ReportStatus.Approved, userId, null, now);
    }

    /// <summary>已审核 → 已发布: freezes the next public version number. A correction (revision &gt; 1)
    /// needs its 更正说明. Whoever submitted this revision cannot publish it.</summary>
    public int Publish(string userId, DateTimeOffset now)
    {
        Expect(ReportStatus.Approved, "发布");
        if (userId == SubmittedBy) throw new WorkflowException("提交人不能发布自己提交的报告");
        if (PublishedVersions > 0 && string.IsNullOrWhiteSpace(CorrectionNote))
            throw new WorkflowException("发布更正版本必须填写更正说明");
        PublishedVersions++;
        FirstPublishedAt ??= now;
        Move(ReportStatus.Published, userId, PublishedVersions > 1 ? CorrectionNote : null, now);
        return PublishedVersions;
    }

    /// <summary>An imported published version (open-data JSON from elsewhere): recorded as published as given.</summary>
    public void ImportPublished(int version, DateTimeOffset publishedAt, string? correctionNote, string? userId, DateTimeOffset now)
    {
        if (version <= PublishedVersions) throw new WorkflowException($"已有第{PublishedVersions}版，不能导入第{version}版");
        if (version > 1 && string.IsNullOrWhiteSpace(correctionNote)) throw new WorkflowException("第2版及以后的版本须有更正说明");
        Revision = version;
        CorrectionNote = version > 1 ? correctionNote : null;
        PublishedVersions = version;
        FirstPublishedAt ??= publishedAt;
        Move(ReportStatus.Published, userId, "导入", now);
    }

    /// <summary>已发布 → 草稿 of the next revision: the published version stays as it was; this revision
    /// runs the whole workflow again and its publication becomes a new public version.</summary>
    public void StartCorrection(string userId, string correctionNote, DateTimeOffset now)
    {
        Expect(ReportStatus.Published, "更正");
        if (string.IsNullOrWhiteSpace(correctionNote)) throw new WorkflowException("请填写更正说明（说明更正的内容和原因）");
        Revision++;
        CorrectionNote = correctionNote.Trim();
        SubmittedBy = null;
        SubmittedAt = null;
        Move(ReportStatus.Draft, userId, CorrectionNote, now);
    }

    public void SetCorrectionNote(string note, DateTimeOffset now, string? userId = null)
    {
        EnsureEditable();
        if (Revision == 1) throw new WorkflowException("首次发布的报告没有更正说明");
        if (string.IsNullOrWhiteSpace(note)) throw new WorkflowException("更正说明不能为空");
        if (CorrectionNote != note.Trim())
            _audit.Add(new AuditEntry(Revision, AuditTarget.Metadata, "更正说明", CorrectionNote, note.Trim(), userId, now));
        CorrectionNote = note.Trim();
        UpdatedAt = now;
    }

    private void Expect(ReportStatus status, string action)
    {
        if (Status != status)
            throw new WorkflowException($"报告状态为“{StatusName(Status)}”，不能{action}");
    }

    private void Move(ReportStatus to, string? userId, string? reason, DateTimeOffset now)
    {
        _transitions.Add(new ReportTransition(Revision, Status, to, userId, reason, now));
        Status = to;
        UpdatedAt = now;
    }

    public IReadOnlyDictionary<string, decimal> CellValues() => _cells.ToDictionary(c => c.CellId, c => c.Value, StringComparer.Ordinal);

    /// <summary>Text of every narrative part that has any, by id.</summary>
    public IReadOnlyDictionary<string, string> TextValues() => _texts.ToDictionary(t => t.PartId, t => t.Text, StringComparer.Ordinal);

    public static string StatusName(ReportStatus status) => status switch
    {
        ReportStatus.Draft => "草稿",
        ReportStatus.Submitted => "已提交",
        ReportStatus.Returned => "退回",
        ReportStatus.Approved => "已审核",
        _ => "已发布",
    };
}

/// <summary>The report's metadata (报告信息): the preamble every format prints before section 一, one value shared by
/// the report and each of its snapshots (an EF complex type, in their own columns). The fields are fixed; their words (labels, hints, messages), which are required, their lengths and the cover's lines are the
/// template's (<see cref="Templates.MetadataDefinition"/>), addressed by <see cref="FieldIds"/>.</summary>
public sealed record ReportMetadata(
    string Title,
    string CompilingOffice,
    string? UnitsCovered,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string? PublicationPlace,
    string? Contact)
{
    public const string TitleField = "title", CompilingOfficeField = "compilingOffice", UnitsCoveredField = "unitsCovered",
        PeriodStartField = "periodStart", PeriodEndField = "periodEnd", PublicationPlaceField = "publicationPlace", ContactField = "contact";

    /// <summary>The field ids a template's metadata block must define, each once, in the record's order.</summary>
    public static readonly IReadOnlyList<string> FieldIds =
        [TitleField, CompilingOfficeField, UnitsCoveredField, PeriodStartField, PeriodEndField, PublicationPlaceField, ContactField];

    /// <summary>The fields that are dates (统计期); the others are text.</summary>
    public static bool IsDate(string fieldId) => fieldId is PeriodStartField or PeriodEndField;

    /// <summary>A field's value as text: dates as yyyy-MM-dd, blank text as null. Throws for an unknown id.</summary>
    public string? Text(string fieldId) => fieldId switch
    {
        TitleField => Title,
        CompilingOfficeField => CompilingOffice,
        UnitsCoveredField => UnitsCovered,
        PeriodStartField => PeriodStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        PeriodEndField => PeriodEnd.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        PublicationPlaceField => PublicationPlace,
        ContactField => Contact,
        _ => throw new ArgumentOutOfRangeException(nameof(fieldId), fieldId, "Not a metadata field."),
    };

    /// <summary>Label (from the template), old and new text of every field that differs, in the template's order.</summary>
    public static IEnumerable<(string Field, string? Old, string? New)> Changes(ReportMetadata a, ReportMetadata b, Templates.ReportTemplate template) =>
        template.MetadataFields.Select(f => (f.Label, a.Text(f.Id), b.Text(f.Id))).Where(f => f.Item2 != f.Item3);
}

public sealed class WorkflowException(string message) : InvalidOperationException(message);

/// <summary>A move of the report between statuses: who, when, from, to, and the reason where there is one.</summary>
public sealed class ReportTransition
{
    private ReportTransition() { }
    internal ReportTransition(int revision, ReportStatus from, ReportStatus to, string? userId, string? reason, DateTimeOffset at)
    {
        Revision = revision; From = from; To = to; UserId = userId; Reason = reason; At = at;
    }
    public long Id { get; private set; }
    public int ReportId { get; private set; }
    public int Revision { get; private set; }
    public ReportStatus From { get; private set; }
    public ReportStatus To { get; private set; }
    public string? UserId { get; private set; }
    public string? Reason { get; private set; }
    public DateTimeOffset At { get; private set; }
}

/// <summary>What an audit entry changed. Heading: the heading of a narrative part (Key = part id; old null = the
/// part was added, new null = it was removed, "" = no heading). Outline: the order of a section's parts
/// (Key = section id; the headings in order).</summary>
public enum AuditTarget { Cell, Text, Metadata, Heading, Outline }

/// <summary>One change of one cell, narrative part or metadata field: who, when, old → new (null = blank).</summary>
public sealed class AuditEntry
{
    private AuditEntry() { }
    internal AuditEntry(int revision, AuditTarget target, string key, string? oldValue, string? newValue, string? userId, DateTimeOffset at)
    {
        Revision = revision; Target = target; Key = key; OldValue = oldValue; NewValue = newValue; UserId = userId; At = at;
    }
    public long Id { get; private set; }
    public int ReportId { get; private set; }
    public int Revision { get; private set; }
    public AuditTarget Target { get; private set; }
    public string Key { get; private set; } = "";
    public string? OldValue { get; private set; }
    public string? NewValue { get; private set; }
    public string? UserId { get; private set; }
    public DateTimeOffset At { get; private set; }
}

/// <summary>A stored cell value. Computed totals are stored too, so SQL can read them directly.</summary>
public sealed class ReportCell
{
    private ReportCell() { }
    internal ReportCell(string cellId, decimal value, string? unit = null) { CellId = cellId; Value = value; Unit = unit; }
    public int ReportId { get; private set; }
    public string CellId { get; private set; } = "";
    /// <summary>In the kind's unit (万元 for money), whatever unit the agency printed.</summary>
    public decimal Value { get; internal set; }
    /// <summary>The code of the unit the agency printed the value in, for a kind with unit choices; else null.</summary>
    public string? Unit { get; internal set; }
}

public sealed class ReportText
{
    private ReportText() { }
    internal ReportText(string partId, string text) { PartId = partId; Text = text; }
    public int ReportId { get; private set; }
    public string PartId { get; private set; } = "";
    public string Text { get; internal set; } = "";
}

/// <summary>One part of a report's narrative outline: its place in its section and the heading the agency
/// gave it (null: none). Its text, if any, is the <see cref="ReportText"/> of the same part id.</summary>
public sealed class ReportPart
{
    private ReportPart() { }
    internal ReportPart(string partId, int position, string? heading) { PartId = partId; Position = position; Heading = heading; }
    public int ReportId { get; private set; }
    public string PartId { get; private set; } = "";
    /// <summary>0-based place of the part within its section.</summary>
    public int Position { get; internal set; }
    public string? Heading { get; internal set; }
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
