using GovInfoReports.Web.Hosting;

// Switches: --migrate (apply migrations, then serve), --seed-demo (migrate, seed the demo data, serve).
var (switches, hostArgs) = CommandLineSwitches.Parse(args);
var builder = WebApplication.CreateBuilder(hostArgs);
builder.AddGovInfoReports();

var app = builder.Build();
app.UseGovInfoReports();

await app.ApplySwitchesAsync(switches);
await app.RunAsync();

public partial class Program;
