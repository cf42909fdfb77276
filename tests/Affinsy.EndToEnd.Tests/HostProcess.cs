using System.Diagnostics;
using System.Text;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>Runs the real <c>affinsy-connect</c> executable (built beside the tests) as a child process.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _watches = [];
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _all = new();

    private HostProcess(Process process) => _process = process;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static HostProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "affinsy-connect.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        var process = new Process { StartInfo = info };
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data, host._stdout);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data, host._stderr);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Runs to the end and returns the exit code; the test fails if it takes longer than the limit.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var host = Start(workingDirectory, environment, args);
        var code = await host.WaitAsync(TimeSpan.FromMinutes(2));
        return (code, host.Stdout, host.Stderr);
    }

    public async Task<int> WaitAsync(TimeSpan limit)
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(limit, TestContext.Current.CancellationToken);
        _process.WaitForExit(); // flushes the redirected streams
        return _process.ExitCode;
    }

    public int Id => _process.Id;

    /// <summary>Everything printed, stdout and stderr (logs) interleaved as they arrived.</summary>
    public string Output
    {
        get
        {
            lock (_all)
            {
                return _all.ToString();
            }
        }
    }

    private void OnLine(string? line, StringBuilder stream)
    {
        lock (_all)
        {
            lock (stream)
            {
                stream.AppendLine(line);
            }

            _all.AppendLine(line);
            if (line is null)
            {
                return;
            }

            foreach (var (match, seen) in _watches)
            {
                if (match(line))
                {
                    seen.TrySetResult(line);
                }
            }
        }
    }

    /// <summary>Completes with the first line, stdout or stderr (already printed or to come), that matches; fails after the limit.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan limit)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_all)
        {
            foreach (var line in _all.ToString().Split('\n'))
            {
                if (match(line.TrimEnd('\r')))
                {
                    seen.TrySetResult(line);
                    return seen.Task;
                }
            }

            _watches.Add((match, seen));
        }

        return WithOutputOnTimeout(seen.Task.WaitAsync(limit, TestContext.Current.CancellationToken));
    }

    private async Task<string> WithOutputOnTimeout(Task<string> wait)
    {
        try
        {
            return await wait;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The expected line did not appear. stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
    }

    /// <summary>Completes when this process prints its next line, stdout or stderr.</summary>
    public Task NextLine()
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_all)
        {
            _watches.Add((_ => true, seen));
        }

        return seen.Task;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking whenever any of the processes prints a line.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, params HostProcess[] processes)
    {
        using var deadline = new CancellationTokenSource(limit);
        while (true)
        {
            var next = Task.WhenAny(processes.Select(p => p.NextLine())); // registered before the check: no line slips between
            if (condition())
            {
                return;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("The condition did not hold in time. Output:\n" + string.Join("\n---\n", processes.Select(p => p.Stdout + p.Stderr)));
            }
        }
    }

    /// <summary>How many stdout lines so far match.</summary>
    public int CountLines(Func<string, bool> match)
    {
        lock (_all)
        {
            return _all.ToString().Split('\n').Count(l => match(l.TrimEnd('\r')));
        }
    }

    /// <summary>SIGTERM, as an orchestrator stopping the container sends.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGKILL: no chance to clean up, as in a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
