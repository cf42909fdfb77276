using System.Reflection;
using Affinsy.Benchmarks;

// Load harnesses: each command prints one JSON line of machine-readable results.
// A command is any IBenchmarkCommand in this assembly; adding one needs no edit here.
var commands = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmarkCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkCommand)Activator.CreateInstance(t)!)
    .ToDictionary(c => c.Name, StringComparer.Ordinal);

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    await Console.Error.WriteLineAsync("usage: Affinsy.Benchmarks <command> [options]").ConfigureAwait(false);
    foreach (var c in commands.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
    {
        await Console.Error.WriteLineAsync($"  {c.Name,-16} {c.Description}").ConfigureAwait(false);
    }

    return 2;
}

return await command.RunAsync(args[1..]).ConfigureAwait(false);
