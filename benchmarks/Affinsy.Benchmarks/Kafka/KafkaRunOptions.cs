using System.Globalization;

namespace Affinsy.Benchmarks;

/// <summary>The <c>kafka</c> benchmark's options (see <see cref="KafkaCommand"/>), checked before anything starts.</summary>
internal sealed record KafkaRunOptions(
    long Messages,
    string Format,
    double Rate,
    bool ParseOnly,
    string Production,
    int TopicCount,
    bool SeparateFixtures,
    long Warmup,
    string ServerMode,
    int? MaxUnacknowledged,
    int MaxLineItemsPerRequest)
{
    public bool Backlog => Production == "backlog";

    /// <summary>The measured topics' names.</summary>
    public List<string> Topics => [.. Enumerable.Range(0, TopicCount).Select(i => $"bench-orders-{i}")];

    public static KafkaRunOptions Parse(BenchmarkArgs options)
    {
        var messages = options.Long("messages", 100_000);
        var format = options.String("format") ?? "affinsy";
        if (format is not ("affinsy" or "line_item"))
        {
            throw new ArgumentException("--format must be affinsy or line_item");
        }

        var parseOnly = options.String("parse-only") == "true";
        if (parseOnly && format != "affinsy")
        {
            throw new ArgumentException("--parse-only true times the affinsy format's reader: leave --format out or give affinsy");
        }
        var production = options.String("production") ?? "backlog";
        if (!parseOnly && production is not ("backlog" or "concurrent"))
        {
            throw new ArgumentException("--production must be backlog or concurrent");
        }

        var separate = (options.String("fixtures") ?? "inline") == "process";
        if (!parseOnly && separate && production != "backlog")
        {
            throw new ArgumentException("--fixtures process needs --production backlog (the child produces the backlog before the clock starts)");
        }

        // The mock broker keeps at most 5 MB per partition (4 partitions per topic): the messages are spread over
        // enough topics that retention never deletes one before it is read, even when all of them wait (a backlog is
        // checked before the clock starts; what expired is reported in any case).
        var topicCount = (int)options.Long("topics", Math.Max(1, (messages + 249_999) / 250_000));
        return new KafkaRunOptions(
            messages,
            format,
            options.Double("rate", 0),
            parseOnly,
            production,
            topicCount,
            separate,
            options.Long("warmup", 20_000),
            options.String("server") ?? "sqlite",
            options.String("max-unacknowledged") is { } limit ? int.Parse(limit, CultureInfo.InvariantCulture) : null, // null: the connector's default
            (int)options.Long("max-line-items-per-request", Affinsy.Sink.SinkOptions.ApiMaxLineItemsPerRequest));
    }
}
