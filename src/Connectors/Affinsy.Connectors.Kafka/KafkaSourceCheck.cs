using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Affinsy.Core.Sources;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Affinsy.Connectors.Kafka;

/// <summary>
/// <c>check</c> for a Kafka source: a stream waits for messages, so reading its first batch proves nothing in bounded
/// time. One admin client (confluent-kafka-dotnet's AdminClient, with the pipeline's connection settings) asks the
/// cluster's metadata (brokers, the topics and their partitions), the group's committed offsets and the partitions'
/// end offsets: the same connection, authentication and authorisation a sync needs, without joining the group
/// (which would rebalance a running worker's consumers).
/// </summary>
internal sealed class KafkaSourceCheck(KafkaSourceOptions options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Errors librdkafka reported while connecting (authentication, TLS, unreachable brokers), first first.</summary>
    private readonly ConcurrentQueue<Error> errors = new();

    public async Task<IReadOnlyList<CheckFinding>> RunAsync(CancellationToken cancellationToken)
    {
        var config = new AdminClientConfig();
        foreach (var (key, value) in options.Properties)
        {
            config.Set(key, value);
        }

        config.BootstrapServers = options.BootstrapServers;
        using var admin = new AdminClientBuilder(config)
            .SetErrorHandler((_, e) => errors.Enqueue(e))
            .SetLogHandler((_, _) => { })
            .Build();

        Metadata metadata;
        try
        {
            // Blocking in librdkafka for up to the timeout: off the caller's thread.
            metadata = await Task.Run(() => admin.GetMetadata(Timeout), cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException e)
        {
            return [new CheckFinding("brokers", false, Unreachable(e.Error))];
        }

        var findings = new List<CheckFinding>
        {
            new("brokers", true, string.Create(CultureInfo.InvariantCulture,
                $"{metadata.Brokers.Count} brokers reachable from {options.BootstrapServers}")),
        };
        var topics = Topics(metadata, findings);
        if (topics.Count > 0)
        {
            findings.Add(await GroupAsync(admin, topics, cancellationToken).ConfigureAwait(false));
        }

        return findings;
    }

    /// <summary>A finding per configured topic (or for the pattern); returns the topics that exist and may be read.</summary>
    private List<TopicMetadata> Topics(Metadata metadata, List<CheckFinding> findings)
    {
        var readable = new List<TopicMetadata>();
        if (options.TopicPattern is { } pattern)
        {
            var regex = new Regex("^" + pattern.TrimStart('^'), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            readable.AddRange(metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError && regex.IsMatch(t.Topic)).OrderBy(t => t.Topic, StringComparer.Ordinal));
            findings.Add(readable.Count == 0
                ? new CheckFinding("topics", false,
                    $"no topic on {options.BootstrapServers} matches topic_pattern '{pattern}' (or the principal may not describe them): create one, fix topic_pattern, or grant Describe on the topics.")
                : new CheckFinding("topics", true, $"topic_pattern '{pattern}' matches " + string.Join(", ", readable.Select(Describe))));
            return readable;
        }

        foreach (var name in options.Topics)
        {
            var topic = metadata.Topics.Find(t => t.Topic == name);
            var code = topic?.Error.Code ?? ErrorCode.UnknownTopicOrPart;
            findings.Add(code switch
            {
                ErrorCode.NoError => new CheckFinding($"topic {name}", true, Describe(topic!)),
                ErrorCode.UnknownTopicOrPart => new CheckFinding($"topic {name}", false,
                    $"topic {name} does not exist on {options.BootstrapServers}: create it (kafka-topics.sh --create --topic {name}) or fix `topics` in the pipeline's source."),
                ErrorCode.TopicAuthorizationFailed => new CheckFinding($"topic {name}", false,
                    $"the principal may not describe topic {name} (TOPIC_AUTHORIZATION_FAILED): grant it Describe and Read on the topic (an ACL), or fix the credentials in `properties`."),
                _ => new CheckFinding($"topic {name}", false, $"the cluster answered {code} for topic {name}: {topic!.Error.Reason}"),
            });
            if (code == ErrorCode.NoError)
            {
                readable.Add(topic!);
            }
        }

        return readable;
    }

    private static string Describe(TopicMetadata topic) =>
        string.Create(CultureInfo.InvariantCulture, $"{topic.Topic} ({topic.Partitions.Count} partitions)");

    /// <summary>The group's committed offsets and the lag behind the partitions' ends, per topic.</summary>
    private async Task<CheckFinding> GroupAsync(IAdminClient admin, List<TopicMetadata> topics, CancellationToken cancellationToken)
    {
        var partitions = topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId))).ToList();
        var name = $"group {options.GroupId}";
        try
        {
            var committed = (await admin.ListConsumerGroupOffsetsAsync(
                    [new ConsumerGroupTopicPartitions(options.GroupId, partitions)],
                    new ListConsumerGroupOffsetsOptions { RequestTimeout = Timeout }).ConfigureAwait(false))
                .SelectMany(r => r.Partitions).ToDictionary(p => p.TopicPartition, p => p.Offset);
            cancellationToken.ThrowIfCancellationRequested();
            var ends = await EndsAsync(admin, partitions).ConfigureAwait(false);
            return new CheckFinding(name, true, Lag(topics, committed, ends));
        }
        catch (ListConsumerGroupOffsetsException e) when (e.Results.Any(r => r.Error.Code == ErrorCode.GroupAuthorizationFailed))
        {
            return new CheckFinding(name, false,
                $"the principal may not use consumer group {options.GroupId} (GROUP_AUTHORIZATION_FAILED): grant it Read on the group (an ACL) or set another group_id.");
        }
        catch (KafkaException e)
        {
            return new CheckFinding(name, false,
                $"could not read the committed offsets of group {options.GroupId} ({Redact(e.Error.Reason)}): a sync would fail the same way; check the principal's rights on the group.");
        }
    }

    /// <summary>Low and high watermarks of every partition, in one ListOffsets round per end.</summary>
    private static async Task<Dictionary<TopicPartition, (long Low, long High)>> EndsAsync(IAdminClient admin, List<TopicPartition> partitions)
    {
        var listOptions = new ListOffsetsOptions { RequestTimeout = Timeout, IsolationLevel = IsolationLevel.ReadCommitted };
        var low = await admin.ListOffsetsAsync(partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = OffsetSpec.Earliest() }), listOptions).ConfigureAwait(false);
        var high = await admin.ListOffsetsAsync(partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = OffsetSpec.Latest() }), listOptions).ConfigureAwait(false);
        var lows = low.ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.TopicPartition, r => r.TopicPartitionOffsetError.Offset.Value);
        return high.ResultInfos.ToDictionary(
            r => r.TopicPartitionOffsetError.TopicPartition,
            r => (lows.GetValueOrDefault(r.TopicPartitionOffsetError.TopicPartition), r.TopicPartitionOffsetError.Offset.Value));
    }

    private string Lag(List<TopicMetadata> topics, Dictionary<TopicPartition, Offset> committed, Dictionary<TopicPartition, (long Low, long High)> ends)
    {
        var parts = new List<string>();
        foreach (var topic in topics)
        {
            long lag = 0, waiting = 0;
            var withOffsets = 0;
            foreach (var partition in topic.Partitions)
            {
                var tp = new TopicPartition(topic.Topic, partition.PartitionId);
                var (low, high) = ends.GetValueOrDefault(tp);
                waiting += Math.Max(0, high - low);
                if (committed.TryGetValue(tp, out var offset) && offset.Value >= 0)
                {
                    withOffsets++;
                    lag += Math.Max(0, high - offset.Value);
                }
            }

            parts.Add(withOffsets == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{topic.Topic}: no committed offsets yet, the first sync starts at the {options.StartFrom} offsets ({waiting:N0} messages on the topic)")
                : string.Create(CultureInfo.InvariantCulture, $"{topic.Topic}: committed on {withOffsets} of {topic.Partitions.Count} partitions, lag {lag:N0} messages"));
        }

        return string.Join("; ", parts);
    }

    /// <summary>Why metadata did not come, in the words of the first error librdkafka reported while trying.</summary>
    private string Unreachable(Error timedOut)
    {
        var cause = errors.FirstOrDefault(e => e.Code is ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication
            or ErrorCode.Local_Ssl or ErrorCode.ClusterAuthorizationFailed) ?? errors.FirstOrDefault() ?? timedOut;
        var reason = Redact(cause.Reason);
        return cause.Code switch
        {
            ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication =>
                $"the brokers at {options.BootstrapServers} refused authentication ({reason}): check sasl.mechanism, sasl.username and sasl.password in the source's `properties`.",
            ErrorCode.Local_Ssl =>
                $"the TLS handshake with {options.BootstrapServers} failed ({reason}): check security.protocol and the ssl.* settings in the source's `properties`.",
            ErrorCode.ClusterAuthorizationFailed =>
                $"the brokers at {options.BootstrapServers} accepted the credentials but refused the principal ({reason}): grant it Describe on the cluster.",
            _ => $"no broker at {options.BootstrapServers} answered within {Timeout.TotalSeconds:0} s ({reason}): check bootstrap_servers, security.protocol in `properties` and the network.",
        };
    }

    /// <summary>librdkafka's reasons may quote a setting; values in <c>properties</c> may be secrets.</summary>
    private string Redact(string text)
    {
        foreach (var value in options.Properties.Values)
        {
            if (value.Length > 3)
            {
                text = text.Replace(value, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }
}
