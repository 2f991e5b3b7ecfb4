using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Review;

/// <summary>The supervisor's review feature and the report workflow it drives (submit, return, approve,
/// publish, correct), with the deadlines it tracks. Pages under /Review need a signed-in user; which reports a
/// user may review is decided per report (<see cref="Accounts.ReportOperation.Review"/>).</summary>
public static class ReviewRegistration
{
    public static IServiceCollection AddReview(this IServiceCollection services)
    {
        services.AddScoped<ReportWorkflow>();
        services.AddScoped<DeadlineService>();
        services.AddScoped<ReviewQueue>();
        services.AddScoped<SimilarityChecks>();
        services.AddSingleton<TextFingerprintInterceptor>();
        // The supervisor's region dashboard and the in-app reminders to clerks (issue 12).
        services.AddScoped<SupervisorDashboard>();
        services.AddScoped<ReminderService>();
        services.AddOptions<ReminderOptions>().BindConfiguration(ReminderOptions.SectionName)
            .Validate(o => o.Interval >= TimeSpan.FromMinutes(1) && o.DueWithinDays is >= 1 and <= 366,
                "Reminders:Interval must be at least one minute and Reminders:DueWithinDays 1–366.")
            .ValidateOnStart();
        services.AddHostedService<ReminderJob>();
        services.Configure<RazorPagesOptions>(o => o.Conventions.AuthorizeFolder("/Review"));
        return services;
    }
}
