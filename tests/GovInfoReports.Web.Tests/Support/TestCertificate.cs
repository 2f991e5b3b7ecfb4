using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>A self-signed certificate (.pfx in a temporary file) that encrypts the apps' data-protection
/// keys in tests, as scripts/run.sh's local certificate does in a real install. One per test run.</summary>
public static class TestCertificate
{
    public const string Password = "test-key-ring";
    private static readonly Lazy<string> File = new(Create);

    public static string Path => File.Value;

    private static string Create()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=GovInfoReports tests data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gir-test-dp-{Environment.ProcessId}.pfx");
        System.IO.File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}
