using Affinsy.Host.Operations;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>What a scrape of <see cref="PrometheusMetrics"/> answers, serialized by prometheus-net itself (text format 0.0.4).</summary>
internal static class PrometheusScrape
{
    public static async Task<string> TextAsync(PrometheusMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static async Task<Exposition> ParseAsync(PrometheusMetrics metrics) => Exposition.Parse(await TextAsync(metrics));
}
