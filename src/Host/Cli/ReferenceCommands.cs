using System.CommandLine;

namespace Affinsy.Host.Cli;

/// <summary><c>affinsy-connect reference serve</c>: the reference Affinsy server as a standalone process.</summary>
internal static class ReferenceCommands
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:5099" };
        var dataDir = new Option<string>("--data-dir") { Description = "Directory for the SQLite database.", DefaultValueFactory = _ => ".affinsy/reference" };
        var users = new Option<string?>("--users") { Description = "YAML file with users, plans, keys, limits and faults." };
        var serve = new Command("serve", "Run the reference Affinsy API server until SIGTERM or Ctrl+C.") { urls, dataDir, users };
        serve.SetAction((parse, ct) => Task.FromResult(0));
        var reference = new Command("reference", "The reference Affinsy server (what tests and the embedded default run against).");
        reference.Subcommands.Add(serve);
        return reference;
    }
}
