using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>The app on a given database; optionally on a real Kestrel port for the browser.</summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    private readonly string _connectionString;
    private readonly string? _templateDirectory;

    public AppFactory(string connectionString, string? templateDirectory = null, bool kestrel = false)
    {
        _connectionString = connectionString;
        _templateDirectory = templateDirectory;
        if (kestrel) UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Default", _connectionString);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime", "Warning");
        if (EncryptKeys)
        {
            builder.UseSetting("DataProtection:CertificatePath", TestCertificate.Path);
            builder.UseSetting("DataProtection:CertificatePassword", TestCertificate.Password);
        }
        builder.UseSetting("Security:LoginAttemptsPerMinute", LoginAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Security:FailedLoginsPerAddress", FailedLoginsPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (_templateDirectory is not null) builder.UseSetting("Templates:Directory", _templateDirectory);
        builder.UseSetting("Pdf:ChromiumPath", ChromiumPath ?? TestBrowser.ExecutablePath);
        // Most test apps never publish: no Chromium started for them unless a test asks (PdfWarmUpTests).
        builder.UseSetting("Pdf:WarmUpAtStart", PdfWarmUpAtStart ? "true" : "false");
        // No scheduled reminders in tests: they call ReminderService with the "now" they choose.
        builder.UseSetting("Reminders:Enabled", "false");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        // Reports of far years (AppFixture.UniqueYear) must be submittable: their statistical periods are judged on a day
        // after them all. Tests of the period rule itself use the real day (ReportingDay = null).
        if (ReportingDay is { } day)
            builder.ConfigureTestServices(services => services.AddSingleton(new Domain.Reports.ReportingPeriods(new FixedClock(day))));
    }

    /// <summary>The Beijing day on which reporting periods are judged (see <see cref="Domain.Reports.ReportingPeriods"/>); null:
    /// today. Default: 31 December 9998, after every year a test uses.</summary>
    public DateOnly? ReportingDay { get; init; } = new DateOnly(9998, 12, 31);

    /// <summary>A clock that stands at noon of one Beijing day.</summary>
    private sealed class FixedClock(DateOnly day) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Domain.Reports.BeijingTime.StartOf(day).AddHours(12);
    }

    /// <summary>Whether the app warms its PDF renderer up after start (the app's default is yes; tests default to no).</summary>
    public bool PdfWarmUpAtStart { get; init; }

    /// <summary>Encrypt the data-protection keys with the test certificate (as a real install does); false
    /// behaves as releases before key encryption did.</summary>
    public bool EncryptKeys { get; init; } = true;

    /// <summary>More configuration for one test (e.g. Network:TrustedProxies), applied last.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the app's PDF renderer finds Chromium (a wrong path simulates a rendering failure).</summary>
    public string? ChromiumPath { get; init; }

    /// <summary>High for tests, which sign in many times from one address; the rate-limit test lowers it.</summary>
    public int LoginAttemptsPerMinute { get; init; } = 10_000;

    /// <summary>High for tests, whose classes share one database and sign in wrongly on purpose from one address; the
    /// login-limit tests set it.</summary>
    public int FailedLoginsPerAddress { get; init; } = 10_000;

    /// <summary>The real address when started with Kestrel.</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        }
    }
}
