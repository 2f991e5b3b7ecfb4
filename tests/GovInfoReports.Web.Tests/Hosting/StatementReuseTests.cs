using GovInfoReports.Web.Hosting;
using Npgsql;

namespace GovInfoReports.Web.Tests.Hosting;

/// <summary>The app's connection string gains Npgsql's statement reuse (issue 13's save load) unless it chooses itself.</summary>
public sealed class StatementReuseTests
{
    [Fact]
    public void A_plain_connection_string_gets_auto_prepare_and_no_reset_on_close()
    {
        var reused = new NpgsqlConnectionStringBuilder(ServiceRegistration.WithStatementReuse("Host=db;Username=app;Database=gir"));
        Assert.True(reused.NoResetOnClose);
        Assert.Equal(256, reused.MaxAutoPrepare);
        Assert.Equal("db", reused.Host);
        Assert.Equal("app", reused.Username);
        Assert.Equal("gir", reused.Database);
    }

    [Theory]
    [InlineData("Host=db;Username=app;Database=gir;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("Host=db;Username=app;Database=gir;noresetonclose=False;MAXAUTOPREPARE=0")]
    public void Settings_written_in_the_connection_string_are_kept(string connectionString)
    {
        var reused = new NpgsqlConnectionStringBuilder(ServiceRegistration.WithStatementReuse(connectionString));
        Assert.False(reused.NoResetOnClose);
        Assert.Equal(0, reused.MaxAutoPrepare);
    }

    [Fact]
    public void Words_like_the_keys_elsewhere_in_the_string_do_not_count_as_setting_them()
    {
        var reused = new NpgsqlConnectionStringBuilder(ServiceRegistration.WithStatementReuse(
            "Host=db;Username=app;Database=gir;Application Name=ResetPrepare;Password=No Reset On Close"));
        Assert.True(reused.NoResetOnClose);
        Assert.Equal(256, reused.MaxAutoPrepare);
        Assert.Equal("No Reset On Close", reused.Password);
    }
}
