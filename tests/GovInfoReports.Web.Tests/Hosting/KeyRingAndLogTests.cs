using System.Text.Json;
using GovInfoReports.Web.Tests.Support;
using Npgsql;

namespace GovInfoReports.Web.Tests.Hosting;

/// <summary>Data-protection keys at rest, and the log the app writes (Serilog, JSON lines).</summary>
public sealed class KeyRingAndLogTests
{
    [Fact]
    public async Task Master_keys_are_stored_encrypted_with_the_configured_certificate()
    {
        var database = await TestPostgres.CreateDatabaseAsync("keyring");
        await using (var factory = new AppFactory(database))
        {
            // The login form carries an antiforgery token, which makes the first key.
            var page = await factory.CreateClient().GetAsync("/account/login");
            page.EnsureSuccessStatusCode();
        }
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var keys = new List<string>();
        await using (var reader = await new NpgsqlCommand("SELECT xml FROM data_protection_keys", connection).ExecuteReaderAsync())
            while (await reader.ReadAsync()) keys.Add(reader.GetString(0));

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.DoesNotContain("<masterKey", xml);
            Assert.Contains("<encryptedSecret", xml);
        });
    }

    /// <summary>First start on an empty database, as README's run command does it, with the second sink of
    /// README's "Logs" (the file, compact JSON) and no certificate: the expected probe of a missing
    /// __EFMigrationsHistory logs no error, and the unencrypted key ring is warned about.</summary>
    [Fact]
    public async Task A_first_start_logs_json_lines_without_an_error_and_warns_of_unencrypted_keys()
    {
        var log = Path.Combine(Path.GetTempPath(), $"gir-log-{Guid.NewGuid():N}.json");
        var owner = await TestPostgres.CreateEmptyDatabaseAsync("firststart");
        await using (await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = owner,
            ["Serilog__MinimumLevel__Override__Microsoft.EntityFrameworkCore"] = "Information",
            ["Serilog__WriteTo__1__Name"] = "File",
            ["Serilog__WriteTo__1__Args__path"] = log,
            ["Serilog__WriteTo__1__Args__formatter"] = "Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact",
        }, "--migrate")) { }

        var events = File.ReadAllLines(log).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        File.Delete(log);
        Assert.Contains(events, e => e.GetProperty("@mt").GetString() == "Database migrated");
        Assert.Contains(events, e => e.GetProperty("@mt").GetString()!.Contains("Applying migration", StringComparison.Ordinal));
        Assert.Contains(events, e => Level(e) == "Warning" && e.GetProperty("@mt").GetString()!.Contains("UNENCRYPTED", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => Level(e) is "Error" or "Fatal");
    }

    private static string Level(JsonElement e) => e.TryGetProperty("@l", out var l) ? l.GetString()! : "Information";
}
