using GovInfoReports.Web.Hosting;

// Switches: --migrate (apply migrations, then serve), --seed-demo (migrate, seed the demo data, serve),
// --create-admin <user> (migrate, create the first 管理员, exit); --import-report <file> --dry-run (read a published
// report and print it as JSON, no database) or --import-report <file> --agency <code> … (an archive record, exit).
var (switches, hostArgs) = CommandLineSwitches.Parse(args);
if (switches.ImportReport is { } import && import.Contains("--dry-run"))
    return GovInfoReports.Web.Publishing.Import.ImportCommand.Run(import, Console.Out, Console.Error);
var builder = WebApplication.CreateBuilder(hostArgs);
builder.AddGovInfoReports();

var app = builder.Build();
app.UseGovInfoReports();

if (await app.ApplySwitchesAsync(switches) is { } exitCode) return exitCode;
await app.RunAsync();
return 0;

public partial class Program;
