using System.CommandLine;

namespace Affinsy.Host.Cli;

/// <summary><c>affinsy-connect validate</c>: checks the deployment file without running anything.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = ConfigFile.Option();
        var command = new Command("validate", "Check connectors.yaml: every problem with its line, exit code 2 when invalid.") { config };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(config)!;
            if (ConfigFile.Load(path, Console.Error) is not { } loaded)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            Console.WriteLine($"{path}: valid. {loaded.Affinsy}; state {loaded.State}.");
            Console.WriteLine($"  Relative paths resolve against the configuration file's directory: {loaded.BaseDirectory}");
            foreach (var p in loaded.Pipelines)
            {
                var reports = p.Reports.Count == 0 ? "no reports" : string.Join(", ", p.Reports.Select(r => r.Template));
                Console.WriteLine($"  {p.Name}: {p.SourceType} -> dataset {p.DatasetId}; {reports}{(p.Schedule is null ? "" : $"; schedule {p.Schedule}")}{(p.Enabled ? "" : "; enabled: false (runs only when named)")}");
            }

            foreach (var warning in loaded.Warnings)
            {
                Console.WriteLine("  warning: " + warning);
            }

            return 0;
        });
        return command;
    }
}
