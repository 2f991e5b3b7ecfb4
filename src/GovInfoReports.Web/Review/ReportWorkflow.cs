using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Entry;
using Microsoft.EntityFrameworkCore;
using Severity = GovInfoReports.Domain.Templates.Severity;

namespace GovInfoReports.Web.Review;

public sealed record WorkflowResult(bool Done, IReadOnlyList<string> Problems)
{
    public static readonly WorkflowResult Ok = new(true, []);
    public static WorkflowResult Refused(params string[] problems) => new(false, problems);
}

/// <summary>How a user took part in a report's current revision, for separation of duties: whoever prepared a
/// revision may not also sign it off (approve or publish it). <see cref="Submitted"/> wins over <see cref="Edited"/>.</summary>
public enum Involvement
{
    None,
    /// <summary>Changed a cell, paragraph, metadata field, 说明 or the 更正说明 of the revision, or started it as a
    /// correction (writing its 更正说明).</summary>
    Edited,
    /// <summary>Submitted the revision (any of its submissions, also one that was returned).</summary>
    Submitted,
}

/// <summary>
/// Moves reports through 草稿 → 已提交 → 退回/已审核 → 已发布 (and corrections after publication). Each
/// move locks the report row, is recorded as a transition, and is one transaction. Who may call which
/// move is checked by the pages (AccessControl); the rules of the moves themselves live in Report.
/// </summary>
public sealed partial class ReportWorkflow(AppDbContext db, ReportEditor editor, Publishing.PdfRenderer pdf, Publishing.PublicCacheEviction cache,
    TimeProvider clock, ReportingPeriods periods, ILogger<ReportWorkflow> logger)
{
    /// <summary>Only when no error remains and every warning has its 说明. Freezes a submission snapshot
    /// so the reviewer sees what changed since the previous submission.</summary>
    public Task<WorkflowResult> SubmitAsync(int reportId, string userId, CancellationToken ct) => MoveAsync(reportId, ct, async (report, now) =>
    {
        if (!report.IsEditable) return WorkflowResult.Refused($"报告状态为“{Report.StatusName(report.Status)}”，不能提交");
        if (periods.NotEnded(report.Year, "提交") is { } open) return WorkflowResult.Refused(open);
        var state = await editor.EvaluateAsync(report, ct);
        var explained = report.Explanations.Select(e => e.RuleKey).ToHashSet(StringComparer.Ordinal);
        var problems = state.Violations.Where(v => v.Severity == Severity.Error).Select(v => v.Message)
            .Concat(state.Violations.Where(v => v.Severity == Severity.Warning && !explained.Contains(v.Key)).Select(v => $"请填写说明：{v.Message}"))
            .ToList();
        if (report.Revision > 1 && string.IsNullOrWhiteSpace(report.CorrectionNote)) problems.Add("更正版本须填写更正说明");
        if (problems.Count > 0) return new WorkflowResult(false, problems);
        report.Submit(userId, now);
        db.Snapshots.Add(ReportSnapshot.Of(report, SnapshotKind.Submission, null, userId, now));
        LogSubmitted(logger, report.Id, report.Revision, userId);
        return WorkflowResult.Ok;
    });

    public Task<WorkflowResult> ReturnAsync(int reportId, string userId, string? reason, IReadOnlyDictionary<string, string?> sectionComments, CancellationToken ct) =>
        MoveAsync(reportId, ct, (report, now) =>
        {
            if (string.IsNullOrWhiteSpace(reason)) return Task.FromResult(WorkflowResult.Refused("请填写退回理由"));
            if (reason.Length > FieldLimits.TransitionReason || sectionComments.Values.Any(c => c?.Length > FieldLimits.ReviewComment))
                return Task.FromResult(WorkflowResult.Refused($"理由和意见每条最多{FieldLimits.ReviewComment}字"));
            report.Return(userId, reason, now);
            // Only the template's sections: an unbound form can otherwise arrive here as arbitrary keys.
            var sections = editor.TemplateOf(report).Sections.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var (sectionId, text) in sectionComments.Where(c => sections.Contains(c.Key) && !string.IsNullOrWhiteSpace(c.Value)))
                db.ReviewComments.Add(new ReviewComment(report.Id, report.Revision, sectionId, text!, userId, now));
            LogReturned(logger, report.Id, report.Revision, userId);
            return Task.FromResult(WorkflowResult.Ok);
        });

    /// <summary>已提交 → 已审核, by a supervisor who took no part in the revision (<see cref="InvolvementAsync"/>).</summary>
    public Task<WorkflowResult> ApproveAsync(int reportId, string userId, CancellationToken ct) => MoveAsync(reportId, ct, async (report, now) =>
    {
        if (periods.NotEnded(report.Year, "审核通过") is { } open) return WorkflowResult.Refused(open);
        if (report.Status == ReportStatus.Submitted)
        {
            var involvement = await InvolvementAsync(report.Id, report.Revision, userId, ct);
            if (involvement != Involvement.None) return WorkflowResult.Refused(DutyRefusal(involvement, "审核通过"));
        }
        report.Approve(userId, now);
        LogApproved(logger, report.Id, report.Revision, userId);
        return WorkflowResult.Ok;
    });

    /// <summary>Whether and how the user took part in the given revision of the report: the audit trail of that
    /// revision (every cell, paragraph, metadata field, 说明 and 更正说明 change carries its user and revision) and
    /// its transitions (submissions; the start of a correction, which writes the 更正说明).</summary>
    public async Task<Involvement> InvolvementAsync(int reportId, int revision, string userId, CancellationToken ct)
    {
        var transitions = await db.ReportTransitions.AsNoTracking()
            .Where(t => t.ReportId == reportId && t.Revision == revision && t.UserId == userId)
            .Select(t => new { t.From, t.To }).ToListAsync(ct);
        if (transitions.Any(t => t.To == ReportStatus.Submitted)) return Involvement.Submitted;
        if (transitions.Any(t => t.From == ReportStatus.Published && t.To == ReportStatus.Draft)) return Involvement.Edited;
        var edited = await db.AuditEntries.AnyAsync(a => a.ReportId == reportId && a.Revision == revision && a.UserId == userId, ct);
        return edited ? Involvement.Edited : Involvement.None;
    }

    /// <summary>The refusal shown on the review page when a user who prepared the revision tries to sign it off.</summary>
    public static string DutyRefusal(Involvement involvement, string action) => involvement == Involvement.Submitted
        ? $"提交人不能{action}自己提交的报告"
        : $"您修改过本修订的内容，按职责分离要求不能{action}，请由未参与填报的审核员{(action == "审核通过" ? "审核" : action)}";

    /// <summary>Sets the publication date and freezes the next public version, which never changes again. Its PDF
    /// is rendered now and stored with its SHA-256; if rendering fails nothing is published. Whoever took part in
    /// the revision (<see cref="InvolvementAsync"/>) may not publish it.</summary>
    public async Task<WorkflowResult> PublishAsync(int reportId, string userId, CancellationToken ct)
    {
        var result = await PublishMoveAsync(reportId, userId, ct);
        // The public pages show published versions: drop their cached copies.
        if (result.Done) await cache.EvictAsync(ct);
        return result;
    }

    private Task<WorkflowResult> PublishMoveAsync(int reportId, string userId, CancellationToken ct) => MoveAsync(reportId, ct, async (report, now) =>
    {
        if (periods.NotEnded(report.Year, "发布") is { } open) return WorkflowResult.Refused(open);
        if (report.Status == ReportStatus.Approved)
        {
            var involvement = await InvolvementAsync(report.Id, report.Revision, userId, ct);
            if (involvement != Involvement.None) return WorkflowResult.Refused(DutyRefusal(involvement, "发布"));
        }
        var version = report.Publish(userId, now);
        var snapshot = ReportSnapshot.Of(report, SnapshotKind.Publication, version, userId, now);
        try
        {
            snapshot.AttachPdf(await pdf.RenderAsync(Publishing.ReportDocument.Of(snapshot, report.Agency, report.Year, editor.TemplateOf(report)), ct));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPdfFailed(logger, e, report.Id, version, userId);
            return WorkflowResult.Refused($"PDF生成失败，报告未发布，请稍后重试或联系管理员（{e.GetType().Name}）");
        }
        db.Snapshots.Add(snapshot);
        LogPublished(logger, report.Id, version, report.Revision, userId);
        return WorkflowResult.Ok;
    });

    /// <summary>A correction of a published report: a new draft revision, through the same workflow.</summary>
    public Task<WorkflowResult> StartCorrectionAsync(int reportId, string userId, string? note, CancellationToken ct) => MoveAsync(reportId, ct, (report, now) =>
    {
        // The note is also the transition's reason (report_transitions.reason), so both columns' limits apply.
        if (note?.Trim().Length > Math.Min(FieldLimits.CorrectionNote, FieldLimits.TransitionReason))
            return Task.FromResult(WorkflowResult.Refused($"更正说明最多{Math.Min(FieldLimits.CorrectionNote, FieldLimits.TransitionReason)}字"));
        report.StartCorrection(userId, note ?? "", now);
        LogCorrectionStarted(logger, report.Id, report.Revision, userId);
        return Task.FromResult(WorkflowResult.Ok);
    });

    private async Task<WorkflowResult> MoveAsync(int reportId, CancellationToken ct, Func<Report, DateTimeOffset, Task<WorkflowResult>> move)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var report = await editor.LockAsync(reportId, ct);
        if (report is null) return WorkflowResult.Refused("报告不存在");
        WorkflowResult result;
        try
        {
            result = await move(report, clock.GetUtcNow());
        }
        catch (WorkflowException e)
        {
            return WorkflowResult.Refused(e.Message);
        }
        if (!result.Done) return result;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    // Business events: the report, its revision (or public version) and the acting user's id (UserId, as in the
    // request log), never contents or names.
    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} revision {Revision} submitted by user {UserId}")]
    private static partial void LogSubmitted(ILogger logger, int reportId, int revision, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} revision {Revision} returned by user {UserId}")]
    private static partial void LogReturned(ILogger logger, int reportId, int revision, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} revision {Revision} approved by user {UserId}")]
    private static partial void LogApproved(ILogger logger, int reportId, int revision, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} published as version {Version} (revision {Revision}) by user {UserId}")]
    private static partial void LogPublished(ILogger logger, int reportId, int version, int revision, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "PDF rendering failed for report {ReportId} version {Version}, publication by user {UserId}; not published")]
    private static partial void LogPdfFailed(ILogger logger, Exception exception, int reportId, int version, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} correction started as revision {Revision} by user {UserId}")]
    private static partial void LogCorrectionStarted(ILogger logger, int reportId, int revision, string userId);
}
