using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GovInfoReports.Web.Accounts;

/// <summary>One failed sign-in (wrong user name or password, or a locked account) from a client address. Only the address
/// and the time are kept (never the user name typed, which may be a password typed in the wrong field).</summary>
public sealed class LoginFailure
{
    private LoginFailure() { Address = ""; }

    public LoginFailure(string address, DateTimeOffset at)
    {
        Address = address;
        At = at;
    }

    public long Id { get; private set; }
    /// <summary>The client address as the app sees it (behind configured proxies, the forwarded one); at most 64 characters.</summary>
    public string Address { get; private set; }
    public DateTimeOffset At { get; private set; }
}

/// <summary>
/// The limits on signing in, shared by every app instance on the database:
/// <list type="bullet">
/// <item>per account: Identity's lockout (5 wrong passwords lock the account for 15 minutes), stored with the user;</item>
/// <item>per address: at most <see cref="SecurityOptions.FailedLoginsPerAddress"/> failed sign-ins in
/// <see cref="SecurityOptions.FailedLoginWindowMinutes"/> minutes (table <c>login_failures</c>); then every sign-in from
/// that address is refused until the oldest failure leaves the window. Successful sign-ins are never counted, so an
/// office whose clerks share one address signs in freely, while guessing from one address stays bounded (30 guesses per
/// 15 minutes by default: 2,880 a day, and no more than 5 per account per 15 minutes).</item>
/// </list>
/// Besides these, each instance limits login posts per address per minute (<see cref="SecurityOptions.LoginAttemptsPerMinute"/>,
/// in memory, a flood guard for the CPU that password hashing costs).
/// </summary>
public sealed class LoginThrottle(AppDbContext db, IOptions<SecurityOptions> options, TimeProvider clock)
{
    /// <summary>Whether sign-ins from the address are refused now (its failures in the window reached the limit).</summary>
    public async Task<bool> BlockedAsync(string address, CancellationToken ct)
    {
        var settings = options.Value;
        var since = clock.GetUtcNow().AddMinutes(-settings.FailedLoginWindowMinutes);
        var failures = await db.LoginFailures.CountAsync(f => f.Address == address && f.At > since, ct);
        return failures >= settings.FailedLoginsPerAddress;
    }

    /// <summary>Records a failed sign-in from the address and drops failures older than a day (of every address).</summary>
    public async Task RecordFailureAsync(string address, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        db.LoginFailures.Add(new LoginFailure(address, now));
        await db.SaveChangesAsync(ct);
        var expired = now.AddDays(-1);
        await db.LoginFailures.Where(f => f.At < expired).ExecuteDeleteAsync(ct);
    }

    /// <summary>The address a sign-in is counted under: the connection's (after the forwarded-headers middleware), or
    /// "local" when there is none (in-process tests).</summary>
    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() is { } address
        ? address[..Math.Min(address.Length, 64)] : "local";
}
