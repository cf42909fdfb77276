using System.Collections.Concurrent;
using System.Text;
using Affinsy.Core.Telemetry;
using Affinsy.Host.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>
/// The OTLP exporters against a collector stand-in on Kestrel loopback. Paths and content type are the OTLP/HTTP
/// specification's (opentelemetry.io/docs/specs/otlp, "OTLP/HTTP": POST binary protobuf to /v1/traces and /v1/metrics,
/// Content-Type application/x-protobuf); the body is checked for the strings a protobuf span carries verbatim.
/// </summary>
public sealed class OtlpTraceExportTests
{
    [Fact]
    public async Task Spans_are_posted_as_protobuf_to_v1_traces_beside_a_metrics_url_of_the_same_collector()
    {
        var token = TestContext.Current.CancellationToken;
        var pipeline = "otlp-" + Guid.NewGuid().ToString("N")[..8];
        var posts = new ConcurrentQueue<(string Path, string? ContentType)>();
        var ours = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var collector = builder.Build();
        collector.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            posts.Enqueue((context.Request.Path.Value!, context.Request.ContentType));
            if (context.Request.Path == "/v1/traces" && Contains(body.ToArray(), pipeline))
            {
                ours.TrySetResult(body.ToArray());
            }

            return Results.Ok();
        });
        await collector.StartAsync(token);
        var address = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var services = new ServiceCollection().AddLogging()
            .AddAffinsyTelemetry(new MetricsSettings(Prometheus: false, OtlpEndpoint: new Uri(address + "/v1/metrics")));
        await using var provider = services.BuildServiceProvider();
        var tracing = provider.GetRequiredService<TracerProvider>();

        using (var span = AffinsyTracing.Source.StartActivity(AffinsyTracing.SyncSpan))
        {
            span?.SetTag(AffinsyTracing.PipelineTag, pipeline);
        }

        Assert.True(tracing.ForceFlush(10_000), "the exporter could not flush");
        var exported = await ours.Task.WaitAsync(TimeSpan.FromSeconds(30), token);

        Assert.Contains(posts, p => p.Path == "/v1/traces" && p.ContentType == "application/x-protobuf");
        Assert.DoesNotContain(posts, p => p.Path == "/v1/metrics/v1/traces" || p.Path == "/");
        Assert.True(Contains(exported, AffinsyTracing.SyncSpan), "the span name is in the export");
        Assert.True(Contains(exported, AffinsyTracing.SourceName), "the instrumentation scope is in the export");
        Assert.True(Contains(exported, TelemetrySetup.ServiceName), "the service name is in the export");
    }

    [Theory]
    [InlineData("http://collector:4318", true, "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/v1/metrics", true, "http://collector:4318/v1/traces")]
    [InlineData("http://collector:9999/otlp/", true, "http://collector:9999/otlp/v1/traces")]
    [InlineData("http://collector:4317", false, "http://collector:4317/")]
    public void The_traces_url_follows_the_configured_collector_address(string configured, bool overHttp, string expected)
    {
        var protocol = overHttp ? OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf : OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;

        Assert.Equal(new Uri(expected), TelemetrySetup.OtlpUri(new Uri(configured), protocol, "v1/traces"));
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
