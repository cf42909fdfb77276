using System.Globalization;
using System.Text.RegularExpressions;
using Affinsy.Connectors.Kafka.Formats;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.Kafka;

/// <summary>
/// <c>type: kafka</c>. Keys: <c>bootstrap_servers</c>, <c>group_id</c> (required); <c>topics</c> or <c>topic_pattern</c>;
/// <c>format</c> (affinsy | line_item | a format another connector registered, such as shopify or woocommerce, with
/// the keys that format reads); <c>properties</c> (librdkafka settings, secrets via <c>${ENV}</c>);
/// <c>dead_letter_topic</c>, <c>dead_letter_properties</c>; <c>order_idle</c> (line_item; default 30s); <c>stream</c> (default false);
/// <c>start_from</c> (earliest | latest); <c>batch_max_orders</c>; <c>max_unacknowledged</c>; <c>commit_interval</c>.
/// </summary>
internal sealed class KafkaSourcePlugin(MessageFormatRegistry formats) : ISourcePlugin
{
    public const string TypeName = "kafka";

    private static readonly string[] Keys =
    [
        "type", "bootstrap_servers", "topics", "topic_pattern", "group_id", "properties", "format", "dead_letter_topic", "dead_letter_properties",
        "order_idle", "stream", "start_from", "batch_max_orders", "max_unacknowledged", "commit_interval",
    ];

    /// <summary>Settings the connector owns: its delivery guarantee depends on them.</summary>
    private static readonly string[] Reserved =
    [
        "bootstrap.servers", "group.id", "enable.auto.commit", "enable.auto.offset.store", "partition.assignment.strategy",
        "auto.offset.reset", "enable.partition.eof", "isolation.level",
    ];

    public string Type => TypeName;

    public BoundSource? Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        section.RejectUnknownKeys([.. Keys, .. formats.All.SelectMany(f => f.Keys).Distinct(StringComparer.Ordinal)]);
        var servers = section.GetString("bootstrap_servers", required: true);
        var groupId = section.GetString("group_id", required: true);
        var topics = section.Has("topics") ? section.GetStringList("topics") : [];
        var pattern = section.GetString("topic_pattern");
        if (topics.Count == 0 && pattern is null)
        {
            section.ReportHere("a kafka source needs 'topics' (a list of topic names) or 'topic_pattern' (a regular expression).");
        }
        else if (topics.Count > 0 && pattern is not null)
        {
            section.Report("topic_pattern", "give either 'topics' or 'topic_pattern', not both.");
        }

        if (pattern is not null && !IsRegex(pattern))
        {
            section.Report("topic_pattern", $"{section.Describe("topic_pattern")} is not a valid regular expression.");
        }

        var properties = section.Has("properties") ? section.GetStringMap("properties") : new Dictionary<string, string>();
        foreach (var key in properties.Keys)
        {
            if (Reserved.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                section.Report("properties", $"'{key}' is set by the connector (offsets are committed only after Affinsy acknowledges); remove it.");
            }
        }

        RejectLineBreaks(section, "properties", properties);
        var deadLetterTopic = section.GetString("dead_letter_topic");
        var deadLetterProperties = BindDeadLetterProperties(section, deadLetterTopic);
        var format = section.GetChoice("format", KafkaFormats.Affinsy, KafkaFormats.Names(formats));
        var decoder = BindFormatKeys(section, format);

        var options = new KafkaSourceOptions
        {
            BootstrapServers = servers ?? string.Empty,
            GroupId = groupId ?? string.Empty,
            Topics = topics,
            TopicPattern = pattern,
            Properties = properties,
            Format = format,
            DeadLetterTopic = deadLetterTopic,
            DeadLetterProperties = deadLetterProperties,
            OrderIdle = section.GetDuration("order_idle", TimeSpan.FromSeconds(30), TimeSpan.FromDays(1)),
            Stream = section.GetBool("stream", false),
            StartFrom = section.GetChoice("start_from", "earliest", "earliest", "latest"),
            BatchMaxOrders = section.GetInt("batch_max_orders", 1_000, 1, 100_000),
            MaxUnacknowledged = section.GetInt("max_unacknowledged", KafkaSourceOptions.DefaultMaxUnacknowledged, 100, 10_000_000),
            CommitInterval = section.GetDuration("commit_interval", TimeSpan.FromSeconds(5), TimeSpan.FromHours(1)),
            Decoder = decoder,
        };
        return new BoundSource(context => new KafkaOrderSource(options, context), options.Stream)
        {
            Replayer = _ => new DeadLetters.KafkaRecordReplayer(options),
            DeadLetterQueue = deadLetterTopic is null ? null : context => new DeadLetters.DeadLetterTopicQueue(options, context),
        };
    }

    /// <summary>
    /// A registered format reads its own keys (the <c>shopify</c> format takes the Shopify source's mapping options);
    /// a key of some registered format given with a format that does not take it is a configuration error, not ignored.
    /// </summary>
    private IOrderMessageDecoder? BindFormatKeys(ConfigSection section, string format)
    {
        var chosen = KafkaFormats.Registered(formats, format);
        var applies = chosen?.Keys ?? [];
        foreach (var key in formats.All.SelectMany(f => f.Keys).Distinct(StringComparer.Ordinal))
        {
            if (section.Has(key) && !applies.Contains(key, StringComparer.Ordinal))
            {
                var takers = formats.All.Where(f => f.Keys.Contains(key, StringComparer.Ordinal)).Select(f => f.Name).ToList();
                section.Report(key, applies.Count == 0
                    ? $"'{key}' applies to the {string.Join(" and ", takers)} format{(takers.Count == 1 ? string.Empty : "s")} only, not to format '{format}'; remove it."
                    : $"'{key}' does not apply to format '{format}' (it takes {string.Join(", ", applies)}); remove it.");
            }
        }

        return chosen?.Bind(section);
    }

    /// <summary>
    /// <c>dead_letter_properties</c>: librdkafka settings for the dead-letter producer alone, e.g. a larger
    /// <c>message.max.bytes</c> so big poison messages go whole (past it their value is cut, see the README).
    /// </summary>
    private static Dictionary<string, string> BindDeadLetterProperties(ConfigSection section, string? deadLetterTopic)
    {
        if (!section.Has("dead_letter_properties"))
        {
            return [];
        }

        var properties = new Dictionary<string, string>(section.GetStringMap("dead_letter_properties"), StringComparer.Ordinal);
        if (deadLetterTopic is null)
        {
            section.Report("dead_letter_properties", "'dead_letter_properties' configures the dead-letter producer; set 'dead_letter_topic' or remove it.");
        }

        foreach (var key in properties.Keys)
        {
            if (key is "bootstrap.servers" or "acks" or "enable.idempotence")
            {
                section.Report("dead_letter_properties", $"'{key}' is set by the connector (a dead letter is durable before its offset is committed); remove it.");
            }
        }

        if (properties.TryGetValue("message.max.bytes", out var max) && !int.TryParse(max, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            section.Report("dead_letter_properties", "'message.max.bytes' must be a whole number of bytes.");
        }

        RejectLineBreaks(section, "dead_letter_properties", properties);
        return properties;
    }

    /// <summary>
    /// A credential or name with a CR, LF or NUL (a secret file with a trailing newline, say) would go into the SASL
    /// exchange and librdkafka's log lines as is: refused here, naming the setting but never its value.
    /// </summary>
    private static void RejectLineBreaks(ConfigSection section, string key, IReadOnlyDictionary<string, string> properties)
    {
        foreach (var (name, value) in properties)
        {
            if (name.StartsWith("sasl.", StringComparison.Ordinal) && value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                section.Report(key, $"'{name}' contains a line break or NUL character (a trailing newline in a secret file or variable?); remove it.");
            }
        }
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
