using Microsoft.AspNetCore.OutputCaching;
using Npgsql;

namespace GovInfoReports.Web.Publishing;

/// <summary>The output-cache policy of public pages and downloads, and its eviction tag.</summary>
public static class PublicCache
{
    public const string Policy = "public";
    public const string Tag = "public";

    /// <summary>The PostgreSQL channel on which an instance tells the others to drop their public pages
    /// (<see cref="PublicCacheEviction"/>, <see cref="PublicCacheListener"/>).</summary>
    public const string Channel = "gir_public_cache";
}

/// <summary>
/// Drops the cached public pages (tag <see cref="PublicCache.Tag"/>) of every app instance on the database: this
/// instance's at once, the others' through <c>NOTIFY gir_public_cache</c>, which each instance's
/// <see cref="PublicCacheListener"/> receives (within milliseconds; PostgreSQL delivers it after the commit of the
/// statement that sends it, and the callers send it after their own commit). Called after every publication, correction,
/// archive import, agency edit and region change (name, deadline). A page whose database read began before the commit can still be stored after the
/// eviction; every eviction is therefore repeated after <see cref="Settle"/> in each instance.
/// </summary>
public sealed partial class PublicCacheEviction(IOutputCacheStore cache, IConfiguration configuration, ILogger<PublicCacheEviction> logger)
{
    /// <summary>How long after an eviction it is repeated, for pages that were being built while the change committed
    /// (a public page is built in well under a second).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>This process, so that its listener skips the notifications it sent itself.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Evicts here and notifies the other instances. A failed notification (database gone after the commit) is
    /// logged, not thrown: the change is committed, and the other instances' pages expire within 10 minutes.</summary>
    public async Task EvictAsync(CancellationToken ct)
    {
        await EvictLocallyAsync(ct);
        try
        {
            // The app's own pool (the same connection string as its DbContext), not a pool of its own.
            await using var connection = new NpgsqlConnection(Hosting.ServiceRegistration.WithStatementReuse(configuration.GetConnectionString("Default")!));
            await connection.OpenAsync(ct);
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @sender)", connection);
            notify.Parameters.AddWithValue("channel", PublicCache.Channel);
            notify.Parameters.AddWithValue("sender", InstanceId);
            await notify.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogNotifyFailed(logger, e);
        }
    }

    /// <summary>Evicts this instance's public pages now and once more after <see cref="Settle"/>.</summary>
    public async Task EvictLocallyAsync(CancellationToken ct)
    {
        await cache.EvictByTagAsync(PublicCache.Tag, ct);
        _ = Task.Run(async () =>
        {
            await Task.Delay(Settle, CancellationToken.None);
            await cache.EvictByTagAsync(PublicCache.Tag, CancellationToken.None);
        }, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not notify the other instances to drop their public pages; they expire within 10 minutes")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);
}

/// <summary>
/// Listens on <see cref="PublicCache.Channel"/> on a connection of its own and evicts this instance's public pages when
/// another instance changed what they show. When the connection is lost it reconnects (1 s, doubling to 30 s) and evicts
/// once after reconnecting, since notifications sent meanwhile are lost. TCP keepalive (30 s) finds a dead connection.
/// </summary>
public sealed partial class PublicCacheListener(PublicCacheEviction eviction, IConfiguration configuration, ILogger<PublicCacheListener> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Default"))
        {
            KeepAlive = 30,
            Pooling = false,
            ApplicationName = "GovInfoReports cache listener",
        }.ConnectionString;
        var delay = TimeSpan.FromSeconds(1);
        var connectedBefore = false;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                var received = false;
                connection.Notification += (_, e) => received |= e.Payload != eviction.InstanceId;
                await using (var listen = new NpgsqlCommand($"LISTEN {PublicCache.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                if (connectedBefore) await eviction.EvictLocallyAsync(stoppingToken);
                if (failing) LogReconnected(logger);
                connectedBefore = true;
                failing = false;
                delay = TimeSpan.FromSeconds(1);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                    if (!received) continue;
                    received = false;
                    await eviction.EvictLocallyAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!failing) LogLost(logger, e);
                failing = true;
                try { await Task.Delay(delay, stoppingToken); }
                catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The public-cache listener lost its database connection; retrying (pages published by other instances may show late until it is back)")]
    private static partial void LogLost(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The public-cache listener is connected again; this instance's public pages were dropped")]
    private static partial void LogReconnected(ILogger logger);
}
