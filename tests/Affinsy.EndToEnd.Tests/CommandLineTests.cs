using System.Diagnostics;
using Affinsy.Testing;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>Usage errors and shell completion, through the real executable (and, for completion, the real bash).</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("Unknown option '--bogus'", "sync", "--bogus")]
    [InlineData("Required argument missing", "state", "reset")]
    [InlineData("Unrecognized command or argument", "frobnicate")]
    public async Task A_usage_error_exits_2_with_the_problem_and_where_to_read_the_usage(string problem, params string[] args)
    {
        using var dir = new TempDirectory();

        var run = await HostProcess.RunAsync(dir.Path, null, args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(problem, run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help`", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bash_completion_script_completes_commands_and_options_in_bash()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/bash"))
        {
            Assert.Skip("bash is not installed");
        }

        using var dir = new TempDirectory();
        var script = await HostProcess.RunAsync(dir.Path, null, "completion", "bash");
        Assert.Equal(0, script.ExitCode);
        await File.WriteAllTextAsync(dir.File("completion.bash"), script.Stdout, TestContext.Current.CancellationToken);

        // The script calls `affinsy-connect` from PATH, as an installed one would be.
        Directory.CreateDirectory(dir.File("bin"));
        var shim = dir.File("bin/affinsy-connect");
        await File.WriteAllTextAsync(shim, $"#!/bin/sh\nexec dotnet \"{Path.Combine(AppContext.BaseDirectory, "affinsy-connect.dll")}\" \"$@\"\n", TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        }

        Assert.Equal(["state", "status"], await CompleteAsync(dir, "affinsy-connect sta"));
        Assert.Equal(["--full-refresh"], await CompleteAsync(dir, "affinsy-connect sync --fu"));
    }

    private static async Task<string[]> CompleteAsync(TempDirectory dir, string line)
    {
        var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("source completion.bash; COMP_LINE=\"$LINE\"; COMP_POINT=${#COMP_LINE}; _affinsy_connect_complete; printf '%s\\n' \"${COMPREPLY[@]}\"");
        info.WorkingDirectory = dir.Path;
        info.Environment["LINE"] = line;
        info.Environment["PATH"] = dir.File("bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        using var bash = Process.Start(info)!;
        var output = await bash.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await bash.WaitForExitAsync(TestContext.Current.CancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
