using System.CommandLine;

namespace Affinsy.Host.Cli;

/// <summary>The <c>affinsy-connect</c> command tree.</summary>
internal static class CommandLine
{
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Affinsy Connect: keeps a store's orders flowing into Affinsy.");
        root.Subcommands.Add(SyncCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(StateCommands.Create());
        root.Subcommands.Add(ReportCommands.Create());
        root.Subcommands.Add(ReferenceCommands.Create());
        return root.Parse(args).InvokeAsync();
    }
}
