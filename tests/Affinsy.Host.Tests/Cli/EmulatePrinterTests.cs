using Affinsy.Host.Cli;
using Xunit;

namespace Affinsy.Host.Tests.Cli;

/// <summary>The pipelines <c>emulate</c> prints, against the disabled demo pipelines shipped in connectors.yaml.</summary>
public sealed class EmulatePrinterTests
{
    [Theory]
    [InlineData("shop-demo")]
    [InlineData("woo-demo")]
    [InlineData("kafka-demo")]
    public void The_disabled_demo_pipeline_in_connectors_yaml_is_what_emulate_prints_for_its_default_address(string pipeline)
    {
        var printed = pipeline switch
        {
            "shop-demo" => EmulatePrinter.ShopifyPipeline(EmulateCommand.ShopifyUrls, "shpat_emulator", "2026-10"),
            "woo-demo" => EmulatePrinter.WooCommercePipeline(EmulateCommand.WooCommerceUrls + "/shop", Affinsy.Emulators.WooCommerce.WooCommerceEmulator.ConsumerKey, Affinsy.Emulators.WooCommerce.WooCommerceEmulator.ConsumerSecret),
            _ => EmulatePrinter.KafkaPipeline(EmulateCommand.KafkaAddress, EmulateCommand.KafkaTopic),
        };
        var shipped = File.ReadAllLines(Path.Combine(RepositoryRoot(), "connectors.yaml"))
            .SkipWhile(l => l != $"  - name: {pipeline}").TakeWhile(l => l.Length > 0).ToList();

        var expected = printed.Split('\n').Where(l => !l.TrimStart().StartsWith('#'))
            .Select(l => l.Replace(", api_version: \"2026-10\"", string.Empty, StringComparison.Ordinal)).ToList();
        Assert.Equal("    enabled: false", shipped[1]);
        Assert.Equal(expected, shipped.Where((_, i) => i != 1));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Affinsy.Connect.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Affinsy.Connect.sln not found above " + AppContext.BaseDirectory);
    }
}
