using FluentValidation;
using GovInfoReports.Domain.Reports;
using GovInfoReports.Domain.Templates;
using GovInfoReports.Web.Accounts;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Forms;
using GovInfoReports.Web.Entry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Review;

/// <summary>A supervisor's review of one report: what changed since the previous submission, the checks,
/// the history, and the actions 退回 / 审核通过 / 发布. Never edits cells.</summary>
public sealed class ReportModel(ReportEditor editor, ReportWorkflow workflow, AccessControl access, AppDbContext db,
    UserNames names, DeadlineService deadlines, TimeProvider clock, IValidator<ReturnInput> validator) : PageModel
{
    /// <summary>内容雷同 (X5): each narrative part's similarity with last year's report and with the region's peers.</summary>
    public SimilarityResult Similarity => State.Similarity;
    public ReportState State { get; private set; } = null!;
    public ReportSnapshot? Current { get; private set; }
    public ReportSnapshot? Previous { get; private set; }
    public IReadOnlyList<CellChange> CellChanges { get; private set; } = [];
    /// <summary>The narrative parts added, removed, renamed, moved or rewritten since the previous submission.</summary>
    public IReadOnlyList<PartChange> TextChanges { get; private set; } = [];
    public IReadOnlyList<(string Field, string? Old, string? New)> MetadataChanges { get; private set; } = [];
    public IReadOnlyList<ReportTransition> History { get; private set; } = [];
    /// <summary>The published versions, oldest first (without their stored PDFs, ~0.6 MB each).</summary>
    public IReadOnlyList<PublishedVersionRow> Versions { get; private set; } = [];

    /// <summary>One published version as the review page lists it.</summary>
    public sealed record PublishedVersionRow(int Version, DateTimeOffset At, string? CorrectionNote, bool IsArchive, IReadOnlyList<ImportFinding>? ImportFindings);
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();
    public Deadline Deadline { get; private set; } = null!;
    public IReadOnlyList<string> Problems { get; private set; } = [];
    /// <summary>How the current user took part in the revision under review; anything but None means the page
    /// offers no 审核通过 or 发布 and says why (separation of duties; the workflow refuses them anyway).</summary>
    public Involvement Involvement { get; private set; }
    public DateTimeOffset Now => clock.GetUtcNow();
    [TempData] public string? Notice { get; set; }

    /// <summary>Set by the confirm button of 审核通过 and 发布 (<c>Confirmed=true</c>): a post without it does
    /// nothing but open the confirmation, so neither step is ever one unconsidered click.</summary>
    [BindProperty] public bool Confirmed { get; set; }
    /// <summary>The handler (Approve, Publish) posted without confirmation: its confirmation is drawn open.</summary>
    public string? Unconfirmed { get; private set; }

    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public Dictionary<string, string?> SectionComments { get; set; } = new();
    /// <summary>Whether a section comment was refused (its fold is then shown open).</summary>
    public bool CommentErrors => ModelState.Any(e => e.Key.StartsWith("SectionComments[", StringComparison.Ordinal) && e.Value is { Errors.Count: > 0 });

    public async Task<IActionResult> OnGetAsync(int reportId, CancellationToken ct)
    {
        var (refusal, _) = await this.AuthorizeReportAsync(reportId, ReportOperation.Review, ct);
        if (refusal is not null) return refusal;
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostReturnAsync(int reportId, CancellationToken ct)
    {
        var valid = (await validator.ValidateAsync(new ReturnInput(Reason, SectionComments), ct)).AddTo(ModelState);
        return await ActAsync(reportId, ct,
            () => valid ? workflow.ReturnAsync(reportId, access.UserId!, Reason, SectionComments, ct) : Task.FromResult(WorkflowResult.Refused()),
            "已退回，填报员将看到退回理由");
    }

    public Task<IActionResult> OnPostApproveAsync(int reportId, CancellationToken ct) => Confirmed
        ? ActAsync(reportId, ct, () => workflow.ApproveAsync(reportId, access.UserId!, ct), "已审核通过")
        : AskToConfirmAsync(reportId, "Approve", "尚未审核通过：请在确认框中核对后点击“确认审核通过”", ct);

    /// <summary>Publishes only when confirmed: publication is public at once and its version never changes.</summary>
    public Task<IActionResult> OnPostPublishAsync(int reportId, CancellationToken ct) => Confirmed
        ? ActAsync(reportId, ct, () => workflow.PublishAsync(reportId, access.UserId!, ct), "已发布")
        : AskToConfirmAsync(reportId, "Publish", "尚未发布：请在确认框中核对将要公开的内容后点击“确认发布”", ct);

    /// <summary>An unconfirmed 审核通过 or 发布 (no script, or a stale form): nothing changes; the page says so and
    /// shows the confirmation open.</summary>
    private async Task<IActionResult> AskToConfirmAsync(int reportId, string handler, string problem, CancellationToken ct)
    {
        var (refusal, _) = await this.AuthorizeReportAsync(reportId, ReportOperation.Review, ct);
        if (refusal is not null) return refusal;
        Unconfirmed = handler;
        Problems = [problem];
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    private async Task<IActionResult> ActAsync(int reportId, CancellationToken ct, Func<Task<WorkflowResult>> action, string notice)
    {
        var (refusal, _) = await this.AuthorizeReportAsync(reportId, ReportOperation.Review, ct);
        if (refusal is not null) return refusal;
        var result = await action();
        if (result.Done)
        {
            Notice = notice;
            return Redirect($"/review/{reportId}");
        }
        Problems = result.Problems;
        return await LoadAsync(reportId, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(int reportId, CancellationToken ct)
    {
        var state = await editor.LoadAsync(reportId, ct);
        if (state is null) return false;
        State = state;
        var submissions = await db.Snapshots.AsNoTracking().Include(s => s.Cells).Include(s => s.Texts).AsSplitQuery()
            .Where(s => s.ReportId == reportId && s.Kind == SnapshotKind.Submission)
            .OrderByDescending(s => s.At).ThenByDescending(s => s.Id).Take(2).ToListAsync(ct);
        Current = submissions.ElementAtOrDefault(0);
        Previous = submissions.ElementAtOrDefault(1);
        if (Current is not null && Previous is not null)
        {
            var order = state.Template.Cells.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
            CellChanges = ReportDiff.Cells(Previous.CellValues(), Current.CellValues()).OrderBy(c => order.GetValueOrDefault(c.CellId)).ToList();
            TextChanges = ReportDiff.Parts(Previous.Parts(), Current.Parts());
            MetadataChanges = ReportMetadata.Changes(Previous.Metadata, Current.Metadata, state.Template).ToList();
        }
        History = await db.ReportTransitions.AsNoTracking().Where(t => t.ReportId == reportId).OrderBy(t => t.At).ThenBy(t => t.Id).ToListAsync(ct);
        Versions = await db.Snapshots.AsNoTracking().Where(s => s.ReportId == reportId && s.Kind == SnapshotKind.Publication)
            .OrderBy(s => s.Version)
            .Select(s => new PublishedVersionRow(s.Version!.Value, s.At, s.CorrectionNote, s.ArchiveImportId != null, s.ImportFindings))
            .ToListAsync(ct);
        Names = await names.ForAsync(History.Select(h => h.UserId), ct);
        Deadline = await deadlines.ForAsync(state.Report.Agency, state.Report.Year, ct);
        Involvement = await workflow.InvolvementAsync(reportId, state.Report.Revision, access.UserId!, ct);
        foreach (var s in state.Template.Sections) SectionComments.TryAdd(s.Id, null);
        return true;
    }

    public string NameOf(string? userId) => userId is null ? "系统" : Names.GetValueOrDefault(userId) ?? userId;

    public string CellLabel(string cellId) => State.Template.CellsById.TryGetValue(cellId, out var c)
        ? $"{State.Template.Tables[c.TableId].ShortName} {c.AccessibleName}" : cellId;

    /// <summary>A part named as the agency headed it (its section, then its own heading, if any).</summary>
    public string PartLabel(PartChange change) =>
        $"{State.Template.FindSection(PartIds.SectionOf(change.PartId))?.Heading}{(change.Heading is null ? "" : " " + change.Heading)}";

    /// <summary>What happened to the part's place and heading, in words; null when only its text changed.</summary>
    public static string? OutlineChange(PartChange change) =>
        change.Added ? "新增部分"
        : change.Removed ? "删除部分"
        : change.Renamed ? $"标题由“{change.OldHeading ?? "（无标题）"}”改为“{change.NewHeading ?? "（无标题）"}”{(change.Moved ? "，并调整了顺序" : "")}"
        : change.Moved ? "调整了顺序" : null;

    /// <summary>An edited paragraph as one run of markup: kept text as is, insertions in <c>ins</c>, deletions in
    /// <c>del</c>; every piece of the agency's text HTML-encoded. No whitespace between the pieces, since the
    /// paragraph is drawn with <c>white-space: pre-wrap</c>.</summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Inline(IReadOnlyList<TextSegment> segments)
    {
        var html = new Microsoft.AspNetCore.Html.HtmlContentBuilder();
        foreach (var segment in segments)
        {
            var tag = segment.Kind switch { SegmentKind.Inserted => "ins", SegmentKind.Deleted => "del", _ => null };
            if (tag is not null) html.AppendHtml($"<{tag}>");
            html.Append(segment.Text);
            if (tag is not null) html.AppendHtml($"</{tag}>");
        }
        return html;
    }

    /// <summary>The passages <paramref name="part"/> shares with <paramref name="match"/>, each side as markup: the
    /// agency's text HTML-encoded, shared passages in <c>mark</c>.</summary>
    public (Microsoft.AspNetCore.Html.IHtmlContent Mine, Microsoft.AspNetCore.Html.IHtmlContent Theirs) SideBySide(WrittenPart part, SimilarMatch match)
    {
        var shared = SimilarityChecks.Shared(State.Template, part.Text, match.Text);
        return (Marked(part.Text, shared.InFirst), Marked(match.Text, shared.InSecond));
    }

    /// <summary>A text with the given ranges in <c>mark</c> (ranges in order, not overlapping), every piece encoded.</summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Marked(string text, IReadOnlyList<Domain.Reports.Similarity.TextRange> ranges)
    {
        var html = new Microsoft.AspNetCore.Html.HtmlContentBuilder();
        var at = 0;
        foreach (var r in ranges)
        {
            html.Append(text[at..r.Start]);
            html.AppendHtml("<mark>");
            html.Append(text.Substring(r.Start, r.Length));
            html.AppendHtml("</mark>");
            at = r.End;
        }
        html.Append(text[at..]);
        return html;
    }

    public static string Show(decimal? value) => value is { } v ? Domain.Values.CellValueParser.FormatValue(v) : "空白";
}

/// <summary>A 退回 as posted (form fields <c>Reason</c> and <c>SectionComments[sectionId]</c>): the reason the
/// clerk reads, and optional comments pinned to sections.</summary>
public sealed record ReturnInput(string? Reason, IReadOnlyDictionary<string, string?> SectionComments);

/// <summary>A 退回 needs a reason (the clerk must learn what to fix); reason and comments within
/// <see cref="FieldLimits.TransitionReason"/> and <see cref="FieldLimits.ReviewComment"/>. Each error is keyed by
/// its form field, so a comment's error shows at that section's comment.</summary>
public sealed class ReturnInputValidator : AbstractValidator<ReturnInput>
{
    public ReturnInputValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().WithMessage("请填写退回理由")
            .Must(r => (r?.Length ?? 0) <= FieldLimits.TransitionReason).WithMessage(r => $"退回理由最多{FieldLimits.TransitionReason}字，当前{r.Reason!.Length:N0}字");
        RuleFor(r => r.SectionComments).Custom((comments, context) =>
        {
            foreach (var (sectionId, text) in comments)
                if (text?.Length > FieldLimits.ReviewComment)
                    context.AddFailure($"SectionComments[{sectionId}]", $"意见最多{FieldLimits.ReviewComment}字，当前{text.Length:N0}字");
        });
    }
}
