using System.Security.Cryptography;
using Affinsy.Core.Configuration;
using Affinsy.Reference;
using Affinsy.Reference.Config;

namespace Affinsy.Host.Sync;

/// <summary>
/// Where the sink talks to: the configured Affinsy API, or with <c>base_url: embedded</c> a reference
/// server started in-process on a free loopback port, with its SQLite file under the state directory and
/// a key generated for this run (its data belongs to the user <c>local</c>, so it outlives the key).
/// </summary>
internal sealed class AffinsyEndpoint : IAsyncDisposable
{
    private readonly ReferenceServer? _embedded;

    private AffinsyEndpoint(Uri apiBase, string apiKey, ReferenceServer? embedded)
    {
        ApiBase = apiBase;
        ApiKey = apiKey;
        _embedded = embedded;
    }

    public Uri ApiBase { get; }

    /// <summary>The key to use; never printed.</summary>
    public string ApiKey { get; }

    public bool IsEmbedded => _embedded is not null;

    public static async Task<AffinsyEndpoint> OpenAsync(ConnectorsConfig config, CancellationToken ct)
    {
        var affinsy = config.Affinsy;
        if (!affinsy.IsEmbedded)
        {
            if (string.IsNullOrWhiteSpace(affinsy.ApiKey))
            {
                throw new UserFacingException($"affinsy.api_key is empty in {config.FileName}: set AFFINSY_API_KEY in the environment ({AffinsySettings.MissingKeyAdvice}).");
            }

            var baseUri = affinsy.BaseUri!;
            return new AffinsyEndpoint(baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/"), affinsy.ApiKey, null);
        }

        var key = "afn_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var server = await ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            DataDirectory = Path.Combine(config.State.Directory, "embedded"),
            Settings = new ReferenceSettings { Users = [new ReferenceUser("local", Plan.Enterprise, [KeyHash.Of(key)])] },
            Logging = _ => { },
        }, ct);
        return new AffinsyEndpoint(server.ApiBase, key, server);
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }
    }
}

/// <summary>A mistake the user can fix: printed as its message alone, without a stack trace.</summary>
internal sealed class UserFacingException(string message) : Exception(message);
