using System.Threading.RateLimiting;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GovInfoReports.Web.Accounts;

public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>Login form posts allowed per client address per minute, in each instance (memory): a flood guard sized
    /// for an office of 50 clerks behind one address signing in within a minute, typos included.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 120;

    /// <summary>Failed sign-ins allowed per client address within <see cref="FailedLoginWindowMinutes"/>, counted in the
    /// database across instances (<see cref="LoginThrottle"/>).</summary>
    public int FailedLoginsPerAddress { get; set; } = 30;

    /// <summary>The window of <see cref="FailedLoginsPerAddress"/>, in minutes.</summary>
    public int FailedLoginWindowMinutes { get; set; } = 15;
}

public static class AccountsRegistration
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName)
            .Validate(o => o.LoginAttemptsPerMinute > 0, "Security:LoginAttemptsPerMinute must be positive")
            .Validate(o => o.FailedLoginsPerAddress > 0, "Security:FailedLoginsPerAddress must be positive")
            .Validate(o => o.FailedLoginWindowMinutes > 0, "Security:FailedLoginWindowMinutes must be positive").ValidateOnStart();

        services.AddIdentity<AppUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddErrorDescriber<ChineseIdentityErrors>();
        // The security stamp is checked on every request, so logout, a password change or a reset ends every
        // older session at once (Identity's default is every 30 minutes). See SessionValidator for the cost.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.Replace(ServiceDescriptor.Scoped<ISecurityStampValidator, SessionValidator>());
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "gir.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            // A signed-in user without the right gets a plain 403 page, not a redirect.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });


        services.AddHttpContextAccessor();
        services.AddScoped<AccessControl>();
        services.AddScoped<LoginThrottle>();
        services.AddScoped<AccountSeeder>();
        services.AddScoped<UserNames>();
        services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o => o.Conventions.AuthorizePage("/Accounts/Password"));
        services.AddAuthorization(o => o.AddPolicy(AdminPolicy.Name, p => p.RequireAuthenticatedUser().AddRequirements(new AdminPolicy())));
        services.AddScoped<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, AdminPolicy.Handler>();
        services.AddScoped<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ReportAuthorizationHandler>();

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/account/login"))
                    return RateLimitPartition.GetNoLimiter("");
                var limit = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value.LoginAttemptsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "local",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        return builder;
    }
}

/// <summary>Only 管理员 (checked against the grants in the database on every request).</summary>
public sealed class AdminPolicy : Microsoft.AspNetCore.Authorization.IAuthorizationRequirement
{
    public const string Name = "Admin";

    public sealed class Handler(AccessControl access) : Microsoft.AspNetCore.Authorization.AuthorizationHandler<AdminPolicy>
    {
        protected override async Task HandleRequirementAsync(Microsoft.AspNetCore.Authorization.AuthorizationHandlerContext context, AdminPolicy requirement)
        {
            if (await access.IsAdminAsync()) context.Succeed(requirement);
        }
    }
}

/// <summary>Identity's messages in Chinese.</summary>
public sealed class ChineseIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"密码至少{length}位" };
    public override IdentityError PasswordRequiresDigit() => new() { Code = nameof(PasswordRequiresDigit), Description = "密码须包含数字" };
    public override IdentityError PasswordRequiresLower() => new() { Code = nameof(PasswordRequiresLower), Description = "密码须包含小写字母" };
    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = "原密码不正确" };
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = $"用户名“{userName}”已被使用" };
    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = $"用户名“{userName}”无效：只能使用字母、数字和 -._@+" };
}
