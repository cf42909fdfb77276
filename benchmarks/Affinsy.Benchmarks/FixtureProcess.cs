using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Affinsy.Benchmarks;

/// <summary>
/// The parent's handle on a <see cref="FixtureCommand"/> child: started from this same benchmark assembly, read until
/// it prints its URLs, asked for its counters, stopped by closing its input.
/// </summary>
internal sealed class FixtureProcess : IAsyncDisposable
{
    private readonly Process process;

    private FixtureProcess(Process process, JsonElement ready)
    {
        this.process = process;
        Ready = ready;
    }

    /// <summary>The child's ready line.</summary>
    public JsonElement Ready { get; }

    /// <summary>The store emulator's base URL.</summary>
    public Uri Source => new(Ready.GetProperty("source").GetString()!);

    /// <summary>The reference server's API base.</summary>
    public Uri Api => new(Ready.GetProperty("api").GetString()!);

    public static async Task<FixtureProcess> StartAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        // Under `dotnet Affinsy.Benchmarks.dll` (or `dotnet run`) the process is the host: name the assembly again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add("fixtures");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the fixture process");
        var ready = await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the fixture process exited ({(process.WaitForExit(5_000) ? process.ExitCode : -1)}) before it was ready");
        using var json = JsonDocument.Parse(ready);
        return new FixtureProcess(process, json.RootElement.Clone());
    }

    /// <summary>The child's counters, as one JSON object.</summary>
    public async Task<JsonDocument> StatsAsync(CancellationToken cancellationToken)
    {
        await process.StandardInput.WriteLineAsync("stats".AsMemory(), cancellationToken).ConfigureAwait(false);
        await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        var line = await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the fixture process exited before answering");
        return JsonDocument.Parse(line);
    }

    public async ValueTask DisposeAsync()
    {
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}
