using System.Text.Json;
using Affinsy.Connectors.Shopify;
using Affinsy.Connectors.WooCommerce;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Messages;
using Affinsy.Core.State;
using Affinsy.Reference;
using Affinsy.Reference.Reports;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Affinsy.Testing.Kafka;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>
/// A mock Kafka cluster in front of the real pipeline, and behind it the shared <see cref="SyncRig"/> (the reference
/// Affinsy server, a SQLite checkpoint store, JSON Lines dead letters and the real sink), wired the way the host wires it.
/// </summary>
internal sealed class KafkaSyncHarness : IAsyncDisposable
{
    public const string Dataset = "orders";

    /// <summary>Short group timeouts so a restarted member rejoins in seconds on the mock cluster.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastGroup = new Dictionary<string, string>
    {
        ["session.timeout.ms"] = "6000",
        ["heartbeat.interval.ms"] = "500",
    };

    private readonly SyncRig _rig;

    private KafkaSyncHarness(KafkaBroker broker, SyncRig rig)
    {
        Broker = broker;
        _rig = rig;
        DeadLetters = rig.OpenDeadLetters();
        // The sink's default two requests in flight: versions of one order still land in partition order, because
        // the sink holds a request back while an earlier one carrying the same order is in flight.
        Sender = rig.Sender(maxLineItemsPerRequest: 20);
    }

    public KafkaBroker Broker { get; }

    public ReferenceServer Server => _rig.Affinsy;

    public TempDirectory Directory => _rig.Directory;

    public SqliteCheckpointStore Checkpoints => _rig.Checkpoints;

    public JsonlDeadLetterStore DeadLetters { get; }

    public AffinsySender Sender { get; }

    public static async Task<KafkaSyncHarness> StartAsync(CancellationToken cancellationToken)
    {
        var broker = KafkaBroker.StartMock(brokers: 3);
        try
        {
            return new KafkaSyncHarness(broker, await SyncRig.StartAsync(cancellationToken));
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    public KafkaSourceOptions Options(string topic, string group, string format = "affinsy") => new()
    {
        BootstrapServers = Broker.BootstrapServers,
        Topics = [topic],
        GroupId = group,
        Format = format,
        Decoder = RegisteredDecoder(format),
        Properties = FastGroup,
        BatchMaxOrders = 50,
        CommitInterval = TimeSpan.FromMilliseconds(200),
        FinalAcknowledgementWait = TimeSpan.FromSeconds(20),
    };

    /// <summary>
    /// For a format another connector registers (<c>shopify</c>, <c>woocommerce</c>): its decoder with the format's
    /// defaults, bound from YAML through the registrations the Host makes.
    /// </summary>
    internal static IOrderMessageDecoder? RegisteredDecoder(string format)
    {
        if (format is "affinsy" or "line_item")
        {
            return null;
        }

        var config = ConnectorsConfigLoader.Parse(
            $"pipelines:\n  - name: k\n    dataset_id: k\n    source: {{ type: kafka, bootstrap_servers: b, group_id: g, topics: [t], format: {format} }}\n",
            "connectors.yaml",
            System.IO.Directory.GetCurrentDirectory(),
            new SourceRegistry().AddShopifySource().AddWooCommerceSource().AddKafkaSource(),
            _ => null);
        var source = config.Pipelines[0].CreateSource(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        return ((KafkaOrderSource)source).Options.Decoder;
    }

    /// <summary>Runs one sync the way the host does: the pipeline tells the source what was acknowledged.</summary>
    public async Task<SyncResult> SyncAsync(KafkaSourceOptions options, CancellationToken cancellationToken, IProgress<SyncProgress>? progress = null, Action<KafkaOrderSource>? configure = null)
    {
        var source = new KafkaOrderSource(options, SourceContext.ForTesting("kafka"));
        configure?.Invoke(source);
        return await new PipelineSync(Sender, Checkpoints, DeadLetters).RunAsync("kafka", Dataset, source, progress, cancellationToken);
    }

    public async Task ProduceAsync(string topic, IEnumerable<(string Key, string Value)> messages, CancellationToken cancellationToken)
    {
        using var producer = Broker.CreateProducer();
        foreach (var (key, value) in messages)
        {
            await producer.ProduceAsync(topic, new Message<string?, string> { Key = key, Value = value }, cancellationToken);
        }
    }

    /// <summary>Every stored row as "order|product|price|quantity|customer", sorted.</summary>
    public IReadOnlyList<string> StoredRows() =>
        [.. _rig.Landed(Dataset)
            .Select(Row)
            .Order(StringComparer.Ordinal)];

    public static string Row(OrderLine line) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{line.OrderId}|{line.ProductName}|{line.UnitPrice}|{line.Quantity}|{line.CustomerId}");

    public static string Row(string orderId, string product, decimal price, decimal quantity, string customer) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{orderId}|{product}|{(double)price}|{(double)quantity}|{customer}");

    public static string OrderJson(string orderId, string customer, params (string Product, decimal Price, decimal Quantity)[] lines) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["order_id"] = orderId,
            ["customer_id"] = customer,
            ["order_date"] = "2026-01-10T10:00:00Z",
            ["line_items"] = lines.Select(l => new Dictionary<string, object> { ["product_name"] = l.Product, ["unit_price"] = l.Price, ["quantity"] = l.Quantity }).ToList(),
        });

    public static string LineJson(string orderId, string customer, string product, decimal price, decimal quantity) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["order_id"] = orderId,
            ["customer_id"] = customer,
            ["order_date"] = "2026-01-10T10:00:00Z",
            ["product_name"] = product,
            ["unit_price"] = price,
            ["quantity"] = quantity,
        });

    public static string EndJson(string orderId) => $$"""{"order_id":"{{orderId}}","end":true}""";

    /// <summary>Committed offset per partition equals each partition's high watermark (every message is done).</summary>
    public void AssertCommittedToEnd(string group, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = Broker.BootstrapServers, GroupId = "probe-" + Guid.NewGuid().ToString("N") }).Build();
        var committed = Broker.CommittedOffsets(group, topic);
        foreach (var partition in Broker.TopicPartitions(topic))
        {
            var high = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
            var actual = committed[partition.Partition.Value];
            Assert.True(high == 0 ? actual is 0 or < 0 : actual == high, $"partition {partition.Partition.Value}: committed {actual}, high watermark {high}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Sender.Dispose();
        DeadLetters.Dispose();
        await _rig.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
