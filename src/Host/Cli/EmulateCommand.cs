using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Affinsy.Emulators.DemoStore;
using Affinsy.Emulators.Kafka;
using Affinsy.Emulators.Shopify;
using Affinsy.Emulators.WooCommerce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Affinsy.Host.Cli;

/// <summary>
/// <c>affinsy-connect emulate shopify|woocommerce|kafka</c>: the emulators the connector tests use, serving a realistic
/// store generated from the sample store (<see cref="DemoStoreGenerator"/>), so a newcomer can try a connector with no
/// store or broker. Prints the pipeline to paste (stdout), logs to stderr, serves until Ctrl+C (exit 0).
/// </summary>
internal static class EmulateCommand
{
    public const string ShopifyUrls = "http://127.0.0.1:8701";
    public const string WooCommerceUrls = "http://127.0.0.1:8702";
    public const string KafkaAddress = "127.0.0.1:8703";
    public const string KafkaTopic = "demo-orders";

    /// <summary>Printed once the emulator serves: what a script or test waits for.</summary>
    public const string ReadyLine = "Ready: serving until Ctrl+C.";

    public static Command Create()
    {
        var emulate = new Command("emulate", "Serve a demo Shopify store, WooCommerce store or Kafka topic on this machine, to try a connector offline.");
        emulate.Subcommands.Add(Provider("shopify", "the Shopify Admin API (GraphQL, bulk operations, REST)", ShopifyUrls, RunShopifyAsync));
        emulate.Subcommands.Add(Provider("woocommerce", "the WooCommerce REST API v3 (OAuth 1.0a over http)", WooCommerceUrls, RunWooCommerceAsync));
        emulate.Subcommands.Add(Provider("kafka", "a Kafka cluster (librdkafka's mock cluster) with the orders on a topic", "tcp://" + KafkaAddress, RunKafkaAsync));
        return emulate;
    }

    private static Command Provider(string name, string what, string defaultUrls, Func<Settings, CancellationToken, Task<int>> run)
    {
        var orders = new Option<int>("--orders") { Description = "Orders in the generated store.", DefaultValueFactory = _ => DemoStoreGenerator.DefaultOrders };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated store (the same seed, the same store).", DefaultValueFactory = _ => DemoStoreGenerator.DefaultSeed };
        var urls = new Option<string>("--urls") { Description = $"Where to listen (default {defaultUrls}, which connectors.yaml's demo pipeline uses).", DefaultValueFactory = _ => defaultUrls };
        orders.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 1_000_000)
            {
                r.AddError("--orders must be between 1 and 1,000,000.");
            }
        });
        var command = new Command(name, $"Serve {what} until Ctrl+C, and print the pipeline to paste.") { orders, seed, urls };
        command.SetAction((parse, ct) => run(new Settings(parse.GetValue(orders), parse.GetValue(seed), parse.GetValue(urls)!), ct));
        return command;
    }

    private sealed record Settings(int Orders, int Seed, string Urls)
    {
        public IReadOnlyList<DemoOrder> Generate() => DemoStoreGenerator.Generate(Orders, Seed, DateTimeOffset.UtcNow);
    }

    private static async Task<int> RunShopifyAsync(Settings settings, CancellationToken ct)
    {
        var store = settings.Generate();
        var options = new ShopifyEmulatorOptions
        {
            Urls = settings.Urls,
            Store = DemoStoreShapes.ToShopify(store),
            BulkDuration = TimeSpan.FromSeconds(1),
            Logging = StderrLogging,
        };
        ShopifyEmulator emulator;
        try
        {
            emulator = await ShopifyEmulator.StartAsync(options, TimeProvider.System, ct);
        }
        catch (IOException e)
        {
            return CannotListen(settings.Urls, e);
        }

        await using (emulator)
        {
            var url = emulator.BaseUrl.ToString().TrimEnd('/');
            EmulatePrinter.Print("Shopify", url, settings.Seed, store, EmulatePrinter.ShopifyPipeline(url, options.AccessToken, EmulatedVersions.Newest(DateTimeOffset.UtcNow)), "shop-demo");
            await WaitForCtrlC(ct);
        }

        return 0;
    }

    private static async Task<int> RunWooCommerceAsync(Settings settings, CancellationToken ct)
    {
        var store = settings.Generate();
        WooCommerceEmulator emulator;
        try
        {
            emulator = await WooCommerceEmulator.StartAsync(DemoStoreShapes.ToWooCommerce(store), settings.Urls, StderrLogging, ct);
        }
        catch (IOException e)
        {
            return CannotListen(settings.Urls, e);
        }

        await using (emulator)
        {
            var url = emulator.SiteUrl.ToString().TrimEnd('/');
            EmulatePrinter.Print("WooCommerce", url, settings.Seed, store, EmulatePrinter.WooCommercePipeline(url, WooCommerceEmulator.ConsumerKey, WooCommerceEmulator.ConsumerSecret), "woo-demo");
            await WaitForCtrlC(ct);
        }

        return 0;
    }

    private static async Task<int> RunKafkaAsync(Settings settings, CancellationToken ct)
    {
        if (!TryEndpoint(settings.Urls, out var listen))
        {
            await Console.Error.WriteLineAsync($"--urls {settings.Urls}: expected a loopback address such as tcp://{KafkaAddress}.");
            return ConfigFile.InvalidConfigExitCode;
        }

        var store = settings.Generate();
        using var logs = LoggerFactory.Create(StderrLogging);
        var log = logs.CreateLogger("Affinsy.Emulators.Kafka");
        using var cluster = KafkaMockCluster.Start(brokers: 1);
        BootstrapForwarder forwarder;
        try
        {
            forwarder = BootstrapForwarder.Start(listen, cluster.BootstrapServers);
        }
        catch (SocketException e)
        {
            return CannotListen(settings.Urls, e);
        }

        await using (forwarder)
        {
            var partitions = cluster.CreateTopic(KafkaTopic);
            var messages = DemoStoreShapes.ToAffinsyMessages(store);
            await KafkaOrderProducer.ProduceAsync(cluster.BootstrapServers, KafkaTopic, messages, ct);
            log.LogInformation("Mock cluster at {Brokers}, bootstrap through {Address}; {Messages} messages on {Topic} ({Partitions} partitions)",
                cluster.BootstrapServers, forwarder.Address, messages.Count, KafkaTopic, partitions);
            EmulatePrinter.Print("Kafka", forwarder.Address, settings.Seed, store, EmulatePrinter.KafkaPipeline(forwarder.Address, KafkaTopic), "kafka-demo");
            await WaitForCtrlC(ct);
        }

        return 0;
    }

    private static bool TryEndpoint(string text, out IPEndPoint endpoint)
    {
        var hostPort = text.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(text, UriKind.Absolute, out var uri) ? $"{uri.Host}:{uri.Port}" : text;
        endpoint = null!;
        if (!IPEndPoint.TryParse(hostPort.Replace("localhost", "127.0.0.1", StringComparison.Ordinal), out var parsed) || !IPAddress.IsLoopback(parsed.Address))
        {
            return false;
        }

        endpoint = parsed;
        return true;
    }

    /// <summary>
    /// Serves until Ctrl+C or SIGTERM. The signals are handled here (as <c>run</c> does) rather than left to
    /// System.CommandLine, so that stopping is the normal end of this command: a clean shutdown and exit 0.
    /// </summary>
    private static async Task WaitForCtrlC(CancellationToken ct)
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await using var cancelled = ct.Register(() => stop.TrySetResult());
        Console.WriteLine(ReadyLine);
        await stop.Task;
        await Console.Error.WriteLineAsync("Stopping the emulator.");
    }

    private static int CannotListen(string urls, Exception e)
    {
        Console.Error.WriteLine($"Cannot listen on {urls}: {e.Message}. Is another emulator running? Choose another address with --urls (and use it in the pipeline).");
        return 1;
    }

    /// <summary>Request lines and warnings, always to stderr (stdout holds only the pipeline to paste).</summary>
    private static void StderrLogging(ILoggingBuilder b)
    {
        b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }).SetMinimumLevel(Logging.Quiet ? LogLevel.Warning : LogLevel.Information);
        b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        b.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", Logging.Quiet ? LogLevel.Warning : LogLevel.Information);
    }
}
