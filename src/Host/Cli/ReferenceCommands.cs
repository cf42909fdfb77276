using System.CommandLine;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Cli;

/// <summary><c>affinsy-connect reference serve</c>: the reference Affinsy server as a standalone process.</summary>
internal static class ReferenceCommands
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:5099" };
        var dataDir = new Option<string>("--data-dir") { Description = "Directory for the SQLite database.", DefaultValueFactory = _ => ".affinsy/reference" };
        var users = new Option<string?>("--users") { Description = "YAML file with users, plans, keys, limits and faults (default: one enterprise user with the dev key afn_local_dev)." };
        var serve = new Command("serve", "Run the reference Affinsy API server until SIGTERM or Ctrl+C.") { urls, dataDir, users };
        serve.SetAction((parse, ct) => ServeAsync(parse.GetValue(urls)!, parse.GetValue(dataDir)!, parse.GetValue(users), ct));
        var reference = new Command("reference", "The reference Affinsy server (what tests and the embedded default run against).");
        reference.Subcommands.Add(serve);
        return reference;
    }

    private static async Task<int> ServeAsync(string urls, string dataDir, string? usersFile, CancellationToken ct)
    {
        ReferenceSettings settings;
        try
        {
            settings = usersFile is null ? ReferenceSettings.LocalDefault() : ReferenceSettingsLoader.LoadFile(usersFile);
        }
        catch (ReferenceSettingsException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        ReferenceServer server;
        try
        {
            server = await ReferenceServer.StartAsync(new ReferenceServerOptions
            {
                Urls = urls,
                DataDirectory = dataDir,
                Settings = settings,
                Logging = b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information)
                    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning),
            }, ct);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"Cannot listen on {urls}: {e.Message}. Choose another address with --urls.");
            return 1;
        }

        await using (server)
        {
            if (usersFile is null)
            {
                Console.WriteLine($"Dev key (well-known, local only): {ReferenceSettings.LocalDevKey}");
            }

            Console.WriteLine($"Affinsy API: {server.ApiBase}");
            await server.WaitForShutdownAsync(CancellationToken.None);
        }

        return 0;
    }
}
