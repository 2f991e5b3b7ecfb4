using System.Security.Cryptography.X509Certificates;
using GovInfoReports.Web.Data;
using Microsoft.AspNetCore.DataProtection;

namespace GovInfoReports.Web.Hosting;

/// <summary>Where the data-protection master keys (sign-in cookies, form tokens) live and how they are
/// protected at rest. Section <c>DataProtection</c>.</summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>A PKCS#12 (.pfx) file whose certificate encrypts the master keys in the database.
    /// <c>scripts/run.sh</c> makes a local one on first start. Without it keys are stored unencrypted
    /// (and a warning is logged at start outside Development).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/> (empty for none).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Earlier certificates (comma-separated .pfx paths, same password) still accepted for
    /// decrypting keys written before a certificate change; new keys use <see cref="CertificatePath"/>.</summary>
    public string? PreviousCertificatePaths { get; set; }
}

public static partial class KeyRingRegistration
{
    /// <summary>Keys in PostgreSQL (DataProtection.EntityFrameworkCore): a restart or a second instance keeps
    /// users signed in and open forms postable. Encrypted with the configured certificate.</summary>
    /// <exception cref="InvalidOperationException">The certificate file cannot be read or has no private key.</exception>
    public static WebApplicationBuilder AddKeyRing(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("GovInfoReports").PersistKeysToDbContext<AppDbContext>();
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            if (!builder.Environment.IsDevelopment())
                builder.Services.AddHostedService<UnencryptedKeysWarning>();
            return builder;
        }
        var certificate = Load(options.CertificatePath, options.CertificatePassword);
        dataProtection.ProtectKeysWithCertificate(certificate);
        var previous = (options.PreviousCertificatePaths ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(path => Load(path, options.CertificatePassword));
        dataProtection.UnprotectKeysWithAnyCertificate([certificate, .. previous]);
        return builder;
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
            return certificate.HasPrivateKey ? certificate
                : throw new InvalidOperationException($"DataProtection certificate {path} has no private key");
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"DataProtection:CertificatePath {path} cannot be read (missing file or wrong DataProtection:CertificatePassword): {e.Message}", e);
        }
    }

    /// <summary>Says once, at start, that keys are stored unencrypted.</summary>
    private sealed partial class UnencryptedKeysWarning(ILogger<UnencryptedKeysWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogUnencrypted(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "DataProtection:CertificatePath is not set: the data-protection master keys are stored UNENCRYPTED in the database. Configure a certificate (see README, Configuration)")]
        private static partial void LogUnencrypted(ILogger logger);
    }
}
