using Npgsql;

namespace GovInfoReports.Web.Data;

/// <summary>
/// "PostgreSQL cannot be reached right now", as opposed to a bug: the server is down, restarting, refusing
/// connections or out of connection slots, or the network path to it broke. Pages that take typed input catch it
/// and draw the form again from what was posted (HTTP 503); everything else gets the Chinese 503 page from the
/// exception handler (<see cref="Hosting.ServiceRegistration"/>). Nothing here retries: a save is one transaction
/// and is simply not done.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>The message a page shows when what the user typed could not be saved.</summary>
    public const string UnsavedMessage = "数据库暂时无法连接，您填写的内容尚未保存，请稍后重试。页面保留了您填写的内容，稍后再点击“保存”即可。";

    /// <summary>Whether <paramref name="exception"/> (or anything it wraps: EF Core puts Npgsql's error inside an
    /// <see cref="InvalidOperationException"/> or a DbUpdateException) means the database is unreachable.</summary>
    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DatabaseUnavailableException:
                    return true;
                // SQLSTATE classes 08 (connection exception), 53 (insufficient resources, e.g. too many
                // connections) and 57P01–57P03 (admin/crash shutdown, cannot connect now).
                case PostgresException p:
                    return p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || p.SqlState is "57P01" or "57P02" or "57P03";
                // Npgsql's own exceptions (not errors reported by the server) are connection failures: refused,
                // reset, timed out, pool exhausted.
                case NpgsqlException:
                    return true;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(Is);
            }
        }
        return false;
    }
}

/// <summary>Thrown where the database must be asked but a check earlier in the same request already found it
/// unreachable (e.g. the session could not be verified): treated as an outage, never as "allowed".</summary>
public sealed class DatabaseUnavailableException(string message) : Exception(message);
