using GovInfoReports.Web.Hosting;

// Switches: --migrate (apply migrations, then serve), --seed-demo (migrate, seed the demo data, serve),
// --create-admin <user> (migrate, create the first 管理员, exit).
var (switches, hostArgs) = CommandLineSwitches.Parse(args);
var builder = WebApplication.CreateBuilder(hostArgs);
builder.AddGovInfoReports();

var app = builder.Build();
app.UseGovInfoReports();

if (await app.ApplySwitchesAsync(switches) is { } exitCode) return exitCode;
await app.RunAsync();
return 0;

public partial class Program;
