using System.CommandLine;
using Affinsy.Connectors.Files;
using Affinsy.Connectors.HttpJsonl;
using Affinsy.Connectors.Kafka;
using Affinsy.Connectors.Shopify;
using Affinsy.Connectors.WooCommerce;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Host.Cli;

/// <summary>The <c>--config</c> option every command shares, and loading it with every registered source.</summary>
internal static class ConfigFile
{
    public const int InvalidConfigExitCode = 2;

    public static Option<string> Option() => new("--config", "-c")
    {
        Description = "The deployment file.",
        DefaultValueFactory = _ => "connectors.yaml",
    };

    /// <summary>
    /// Every source this build knows; a new connector adds its registration here. The Shopify and WooCommerce
    /// registrations also give Kafka their message formats (<c>format: shopify | woocommerce</c>).
    /// </summary>
    public static SourceRegistry Sources() => new SourceRegistry().AddFileSources().AddShopifySource().AddWooCommerceSource().AddKafkaSource().AddHttpJsonlSource();

    /// <summary>What is wrong with a Quartz cron expression, or null when it parses.</summary>
    public static string? CronProblem(string cron)
    {
        try
        {
            _ = Quartz.CronExpression.Parse(cron);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    /// <summary>Loads and validates; on problems prints each (file:line path: message) and returns null.</summary>
    public static ConnectorsConfig? Load(string path, TextWriter errors) =>
        Load(path, errors, () => ConnectorsConfigLoader.Load(path, Sources(), scheduleProblem: CronProblem));

    /// <summary>
    /// Loads what the state-only commands (<c>status</c>, <c>state</c>, <c>runs</c>, <c>dead-letters</c>) need: the
    /// sources are not bound, so their secrets need not be set.
    /// </summary>
    public static ConnectorsConfig? LoadForState(string path, TextWriter errors) =>
        Load(path, errors, () => ConnectorsConfigLoader.LoadForState(path, scheduleProblem: CronProblem));

    private static ConnectorsConfig? Load(string path, TextWriter errors, Func<ConnectorsConfig> load)
    {
        try
        {
            return load();
        }
        catch (ConfigurationException e)
        {
            errors.WriteLine($"{path}: the configuration is not valid ({e.Problems.Count} problem{(e.Problems.Count == 1 ? "" : "s")}):");
            foreach (var problem in e.Problems)
            {
                errors.WriteLine("  " + problem);
            }

            if (e.Problems.Count == 0)
            {
                errors.WriteLine("  " + e.Message);
            }

            return null;
        }
    }
}
