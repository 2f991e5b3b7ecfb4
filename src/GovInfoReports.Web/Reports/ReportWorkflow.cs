using GovInfoReports.Domain.Reports;
using GovInfoReports.Web.Data;
using Severity = GovInfoReports.Domain.Templates.Severity;

namespace GovInfoReports.Web.Reports;

public sealed record WorkflowResult(bool Done, IReadOnlyList<string> Problems)
{
    public static readonly WorkflowResult Ok = new(true, []);
    public static WorkflowResult Refused(params string[] problems) => new(false, problems);
}

/// <summary>
/// Moves reports through 草稿 → 已提交 → 退回/已审核 → 已发布 (and corrections after publication). Each
/// move locks the report row, is recorded as a transition, and is one transaction. Who may call which
/// move is checked by the pages (AccessControl); the rules of the moves themselves live in Report.
/// </summary>
public sealed partial class ReportWorkflow(AppDbContext db, ReportEditor editor, Publishing.PdfRenderer pdf, Microsoft.AspNetCore.OutputCaching.IOutputCacheStore cache,
    TimeProvider clock, ILogger<ReportWorkflow> logger)
{
    /// <summary>Only when no error remains and every warning has its 说明. Freezes a submission snapshot
    /// so the reviewer sees what changed since the previous submission.</summary>
    public Task<WorkflowResult> SubmitAsync(int reportId, string userId, CancellationToken ct) => MoveAsync(reportId, ct, async (report, now) =>
    {
        if (!report.IsEditable) return WorkflowResult.Refused($"报告状态为“{Report.StatusName(report.Status)}”，不能提交");
        var state = await editor.EvaluateAsync(report, ct);
        var explained = report.Explanations.Select(e => e.RuleKey).ToHashSet(StringComparer.Ordinal);
        var problems = state.Violations.Where(v => v.Severity == Severity.Error).Select(v => v.Message)
            .Concat(state.Violations.Where(v => v.Severity == Severity.Warning && !explained.Contains(v.Key)).Select(v => $"请填写说明：{v.Message}"))
            .ToList();
        if (report.Revision > 1 && string.IsNullOrWhiteSpace(report.CorrectionNote)) problems.Add("更正版本须填写更正说明");
        if (problems.Count > 0) return new WorkflowResult(false, problems);
        report.Submit(userId, now);
        db.Snapshots.Add(ReportSnapshot.Of(report, SnapshotKind.Submission, null, userId, now));
        LogSubmitted(logger, report.Id, report.Revision);
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
            LogReturned(logger, report.Id, report.Revision);
            return Task.FromResult(WorkflowResult.Ok);
        });

    public Task<WorkflowResult> ApproveAsync(int reportId, string userId, CancellationToken ct) => MoveAsync(reportId, ct, (report, now) =>
    {
        report.Approve(userId, now);
        LogApproved(logger, report.Id, report.Revision);
        return Task.FromResult(WorkflowResult.Ok);
    });

    /// <summary>Sets the publication date and freezes the next public version, which never changes again. Its PDF
    /// is rendered now and stored with its SHA-256; if rendering fails nothing is published.</summary>
    public async Task<WorkflowResult> PublishAsync(int reportId, string userId, CancellationToken ct)
    {
        var result = await PublishMoveAsync(reportId, userId, ct);
        // The public pages show published versions: drop their cached copies.
        if (result.Done) await cache.EvictByTagAsync(Hosting.PublicCache.Tag, ct);
        return result;
    }

    private Task<WorkflowResult> PublishMoveAsync(int reportId, string userId, CancellationToken ct) => MoveAsync(reportId, ct, async (report, now) =>
    {
        var version = report.Publish(userId, now);
        var snapshot = ReportSnapshot.Of(report, SnapshotKind.Publication, version, userId, now);
        try
        {
            snapshot.AttachPdf(await pdf.RenderAsync(Publishing.ReportDocument.Of(snapshot, report.Agency, report.Year, editor.TemplateOf(report)), ct));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPdfFailed(logger, e, report.Id, version);
            return WorkflowResult.Refused($"PDF生成失败，报告未发布，请稍后重试或联系管理员（{e.GetType().Name}）");
        }
        db.Snapshots.Add(snapshot);
        LogPublished(logger, report.Id, version);
        return WorkflowResult.Ok;
    });

    /// <summary>A correction of a published report: a new draft revision, through the same workflow.</summary>
    public Task<WorkflowResult> StartCorrectionAsync(int reportId, string userId, string? note, CancellationToken ct) => MoveAsync(reportId, ct, (report, now) =>
    {
        // The note is also the transition's reason (report_transitions.reason), so both columns' limits apply.
        if (note?.Trim().Length > Math.Min(FieldLimits.CorrectionNote, FieldLimits.TransitionReason))
            return Task.FromResult(WorkflowResult.Refused($"更正说明最多{Math.Min(FieldLimits.CorrectionNote, FieldLimits.TransitionReason)}字"));
        report.StartCorrection(userId, note ?? "", now);
        LogCorrectionStarted(logger, report.Id, report.Revision);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} revision {Revision} submitted")]
    private static partial void LogSubmitted(ILogger logger, int reportId, int revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} revision {Revision} returned")]
    private static partial void LogReturned(ILogger logger, int reportId, int revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} revision {Revision} approved")]
    private static partial void LogApproved(ILogger logger, int reportId, int revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} published as version {Version}")]
    private static partial void LogPublished(ILogger logger, int reportId, int version);

    [LoggerMessage(Level = LogLevel.Error, Message = "PDF rendering failed for report {ReportId} version {Version}; not published")]
    private static partial void LogPdfFailed(ILogger logger, Exception exception, int reportId, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} correction started as revision {Revision}")]
    private static partial void LogCorrectionStarted(ILogger logger, int reportId, int revision);
}
