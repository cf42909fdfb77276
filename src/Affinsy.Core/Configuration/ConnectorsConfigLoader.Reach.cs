namespace Affinsy.Core.Configuration;

/// <summary>
/// Checks across sections that <c>sync</c> would otherwise discover only when it runs: a remote Affinsy needs a
/// key, and can only deliver webhooks to an address it can reach.
/// </summary>
public static partial class ConnectorsConfigLoader
{
    private static void CheckAffinsyIsReachable(ConfigSection root, ConnectorsConfig config)
    {
        // A base_url that is not a URL has its own problem; whether it needs a key depends on how it is fixed.
        if (config.Affinsy.BaseUri is null || root.GetSection("affinsy") is not { } affinsy)
        {
            return;
        }

        // A key refused for its characters already has its problem; an empty one is what is left.
        var keyPath = affinsy.PathOf("api_key");
        if (config.Affinsy.ApiKey is null && !affinsy.Problems.All.Any(p => p.Path == keyPath))
        {
            var variables = affinsy.VariablesOf("api_key");
            var advice = $"({AffinsySettings.MissingKeyAdvice})";
            affinsy.Report("api_key", variables.Count > 0
                ? $"is empty ({string.Join(", ", variables.Select(v => "$" + v))} unset or empty in the environment) and base_url is not embedded: set {variables[0]} in the environment {advice}"
                : $"is empty and base_url is not embedded: set AFFINSY_API_KEY in the environment and write api_key: ${{AFFINSY_API_KEY}} {advice}");
        }

        if (config.Affinsy.BaseUri is { IsLoopback: false } remote && config.Webhooks is { Listen.IsLoopback: true, PublicUrl: null }
            && root.GetSection("webhooks") is { } webhooks)
        {
            webhooks.Report("listen", $"{webhooks.Describe("listen")} is a loopback address, which Affinsy at {remote.Host} can never reach, and there is no public_url: "
                + "set webhooks.public_url to an address Affinsy can reach that forwards to this listener (e.g. https://hooks.example.com), or remove webhooks: to learn of finished reports by polling");
        }
    }
}
