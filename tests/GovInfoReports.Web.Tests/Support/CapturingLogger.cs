using Microsoft.Extensions.Logging;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>A logger that keeps every event with its structured properties (name → value), for asserting what
/// a business event carries.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    public sealed record Event(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties);

    private readonly List<Event> _events = [];

    public IReadOnlyList<Event> Events { get { lock (_events) return _events.ToList(); } }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value) : new Dictionary<string, object?>();
        lock (_events) _events.Add(new Event(logLevel, formatter(state, exception), properties));
    }
}
