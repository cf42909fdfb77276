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
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(StateCommands.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(DeadLetterCommands.Create());
        root.Subcommands.Add(ReportCommands.Create());
        root.Subcommands.Add(ReferenceCommands.Create());
        root.Subcommands.Add(EmulateCommand.Create());
        root.Subcommands.Add(CompletionCommand.Create());
        var (logFormat, quiet) = Logging.GlobalOptions();
        root.Options.Add(logFormat);
        root.Options.Add(quiet);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return Task.FromResult(UsageError(parse));
        }

        Logging.Format = parse.GetValue(logFormat)!;
        Logging.Quiet = parse.GetValue(quiet);

        // The worker (drain, then exit 0) and sync (drain, summary, exit 130) handle SIGINT and SIGTERM themselves; the
        // other commands are cancelled by them.
        var invocation = parse.CommandResult.Command.Name is RunCommand.Name or SyncCommand.Name
            ? new InvocationConfiguration { ProcessTerminationTimeout = null }
            : new InvocationConfiguration();
        return parse.InvokeAsync(invocation);
    }

    /// <summary>
    /// An unknown option, a missing argument: exit 2 as documented (System.CommandLine's own answer is 1), with
    /// each problem and where to read the usage.
    /// </summary>
    private static int UsageError(ParseResult parse)
    {
        foreach (var error in parse.Errors)
        {
            Console.Error.WriteLine(error.Message);
        }

        var names = new List<string>();
        for (Symbol? symbol = parse.CommandResult.Command; symbol is Command command and not RootCommand; symbol = command.Parents.FirstOrDefault())
        {
            names.Insert(0, command.Name);
        }

        Console.Error.WriteLine($"See `affinsy-connect {string.Join(' ', names.Append("--help"))}`.");
        return ConfigFile.InvalidConfigExitCode;
    }
}
