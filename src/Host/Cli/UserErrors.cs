using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Host.Sync;

namespace Affinsy.Host.Cli;

/// <summary>Mistakes and outages a user can act on: printed as their message alone, never as a stack trace.</summary>
internal static class UserErrors
{
    public static bool Is(Exception e) =>
        e is UserFacingException or Sink.Api.AffinsyApiException or StateStoreUnavailableException or ConfigurationException;

    public static async Task<int> PrintAsync(Exception e)
    {
        if (e is ConfigurationException { Problems.Count: > 0 } config)
        {
            foreach (var problem in config.Problems)
            {
                await Console.Error.WriteLineAsync(problem.ToString());
            }

            return ConfigFile.InvalidConfigExitCode;
        }

        await Console.Error.WriteLineAsync(e.Message);
        return 1;
    }
}
