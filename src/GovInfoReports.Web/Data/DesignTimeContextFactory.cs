using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GovInfoReports.Web.Data;

/// <summary>How <c>dotnet ef</c> (migrations add, has-pending-model-changes) builds the context without
/// starting the app. Those commands compare models and need no server; commands that do need one (e.g.
/// <c>dotnet ef database update</c>) take <c>--connection</c> or ConnectionStrings__Default.</summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AppDbContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("ConnectionStrings__Default") ?? "Host=127.0.0.1;Database=govinforeports_design")
            .Options);
}
