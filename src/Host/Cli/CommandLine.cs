using System.CommandLine;

namespace Affinsy.Host.Cli;

/// <summary>The <c>affinsy-connect</c> command tree.</summary>
internal static class CommandLine
{
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Affinsy Connect: keeps a store's orders flowing into Affinsy.");
        root.Subcommands.Add(SyncCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(StateCommands.Create());
        root.Subcommands.Add(ReportCommands.Create());
        root.Subcommands.Add(ReferenceCommands.Create());
        var parse = root.Parse(args);

        // The worker handles SIGTERM itself (drain, then exit 0); the other commands are cancelled by it.
        var invocation = parse.CommandResult.Command.Name == RunCommand.Name
            ? new InvocationConfiguration { ProcessTerminationTimeout = null }
            : new InvocationConfiguration();
        return parse.InvokeAsync(invocation);
    }
}
