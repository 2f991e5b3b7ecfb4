using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Hosting;

public sealed record CommandLineSwitches(bool Migrate, bool SeedDemo)
{
    /// <summary>Takes the app's own switches out of the arguments; the rest go to the host
    /// (configuration, --urls).</summary>
    public static (CommandLineSwitches, string[]) Parse(string[] args)
    {
        var own = new HashSet<string>(StringComparer.Ordinal) { "--migrate", "--seed-demo" };
        var switches = new CommandLineSwitches(args.Contains("--migrate"), args.Contains("--seed-demo"));
        return (switches, args.Where(a => !own.Contains(a)).ToArray());
    }
}

public static partial class CommandLineSwitchesExtensions
{
    public static async Task ApplySwitchesAsync(this WebApplication app, CommandLineSwitches switches)
    {
        if (!switches.Migrate && !switches.SeedDemo) return;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<CommandLineSwitches>>();
        await db.Database.MigrateAsync();
        LogMigrated(logger);
        if (switches.SeedDemo)
        {
            var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
            LogSeeded(logger, seeded);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database migrated")]
    private static partial void LogMigrated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded: {Created}")]
    private static partial void LogSeeded(ILogger logger, bool created);
}
