using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace GovInfoReports.Web.Accounts;

/// <summary>
/// Checks the sign-in cookie's security stamp against the user's current one on every request (registered with
/// <c>SecurityStampValidatorOptions.ValidationInterval = TimeSpan.Zero</c>). Logging out, changing one's password
/// and an administrator's password reset all rotate the stamp, so every older cookie of that user is refused on
/// its next request and the browser is sent to the login page.
/// <para>Unlike Identity's default validator, a valid cookie is kept as it is rather than rebuilt from the
/// database and re-issued on each request: its claims hold only the user's id, name and stamp (roles live in
/// role_grants, read per request by <see cref="AccessControl"/>), so the check costs one indexed query.</para>
/// <para>When the database cannot be reached the session can be neither confirmed nor refused. The request goes
/// on signed in but marked <see cref="IsUnverified"/>: <see cref="AccessControl"/> then refuses to answer
/// anything (an outage, HTTP 503), so such a request can never act; it can only have a form drawn again from
/// what it posted itself.</para>
/// </summary>
public sealed partial class SessionValidator(IOptions<SecurityStampValidatorOptions> options, SignInManager<AppUser> signInManager,
    ILoggerFactory loggerFactory) : SecurityStampValidator<AppUser>(options, signInManager, loggerFactory)
{
    private static readonly object UnverifiedKey = new();
    private readonly ILogger _log = loggerFactory.CreateLogger<SessionValidator>();

    /// <summary>Whether this request's session could not be checked because the database was unreachable.</summary>
    public static bool IsUnverified(HttpContext? context) => context?.Items.ContainsKey(UnverifiedKey) == true;

    public override async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        try
        {
            await base.ValidateAsync(context);
        }
        catch (Exception e) when (DatabaseOutage.Is(e))
        {
            context.HttpContext.Items[UnverifiedKey] = true;
            LogUnverified(_log, e.GetType().Name);
        }
    }

    /// <summary>The stamp matched: keep the cookie as it is (no rebuilt principal, no new Set-Cookie).</summary>
    protected override Task SecurityStampVerified(AppUser user, CookieValidatePrincipalContext context) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session not verified: the database is unreachable ({Error})")]
    private static partial void LogUnverified(ILogger logger, string error);
}
