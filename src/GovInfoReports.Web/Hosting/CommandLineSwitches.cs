using GovInfoReports.Web.Demo;
using GovInfoReports.Web.Data;

namespace GovInfoReports.Web.Hosting;

public sealed record CommandLineSwitches(bool Migrate, bool SeedDemo, string? CreateAdmin)
{
    /// <summary>The arguments of <c>--import-report</c> (see <see cref="Publishing.Import.ImportCommand"/>), or null.</summary>
    public string[]? ImportReport { get; init; }

    /// <summary>Takes the app's own switches out of the arguments; the rest go to the host
    /// (configuration, --urls).</summary>
    public static (CommandLineSwitches, string[]) Parse(string[] args)
    {
        var rest = new List<string>();
        string? createAdmin = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--create-admin")
            {
                createAdmin = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i]
                    : throw new ArgumentException("--create-admin needs a user name: --create-admin <user>");
            }
            else if (args[i] is not ("--migrate" or "--seed-demo")) rest.Add(args[i]);
        }
        // --import-report prints its result (a permalink, a JSON document) on stdout: the log goes to stderr.
        if (Publishing.Import.ImportCommand.Requested(args)) rest.Add("--Serilog:WriteTo:0:Args:standardErrorFromLevel=Verbose");
        return (new CommandLineSwitches(args.Contains("--migrate"), args.Contains("--seed-demo"), createAdmin)
        {
            ImportReport = Publishing.Import.ImportCommand.Requested(args) ? args : null,
        }, rest.ToArray());
    }
}

public static partial class CommandLineSwitchesExtensions
{
    /// <summary>Applies the switches; returns false when the process should exit instead of serving
    /// (--create-admin and --import-report are one-shot commands), with the exit code.</summary>
    public static async Task<int?> ApplySwitchesAsync(this WebApplication app, CommandLineSwitches switches)
    {
        if (switches.CreateAdmin is { } admin) return await CreateAdminAsync(app, admin);
        if (switches.ImportReport is { } importArgs) return await Publishing.Import.ImportCommand.ArchiveAsync(app, importArgs, Console.Out, Console.Error);
        if (!switches.Migrate && !switches.SeedDemo) return null;
        await using var scope = app.Services.CreateAsyncScope();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<CommandLineSwitches>>();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        if (switches.SeedDemo)
        {
            var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
            LogSeeded(logger, seeded);
        }
        return null;
    }

    /// <summary>--create-admin &lt;user&gt;: migrates, then creates the user as 管理员. The password comes from
    /// GIR_ADMIN_PASSWORD or, interactively, from a prompt without echo.</summary>
    private static async Task<int> CreateAdminAsync(WebApplication app, string userName)
    {
        var password = Environment.GetEnvironmentVariable("GIR_ADMIN_PASSWORD");
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.Write($"Password for {userName}: ");
            password = Console.IsInputRedirected ? Console.ReadLine() : ReadHidden();
            Console.Error.WriteLine();
        }
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("No password given (set GIR_ADMIN_PASSWORD or type it at the prompt).");
            return 1;
        }
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var errors = await scope.ServiceProvider.GetRequiredService<Accounts.AccountSeeder>()
            .CreateAsync(userName, password, "管理员", Accounts.AppRole.Admin, null);
        if (errors.Count > 0)
        {
            Console.Error.WriteLine($"Could not create {userName}: {string.Join("; ", errors)}");
            return 1;
        }
        Console.Error.WriteLine($"Created 管理员 {userName}.");
        return 0;
    }

    private static string ReadHidden()
    {
        var chars = new List<char>();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace) { if (chars.Count > 0) chars.RemoveAt(chars.Count - 1); }
            else chars.Add(key.KeyChar);
        }
        return new string(chars.ToArray());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded: {Created}")]
    private static partial void LogSeeded(ILogger logger, bool created);
}
