using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary><c>--quiet</c> and <c>--log-format</c> on every command, through the real executable.</summary>
public sealed class OutputOptionsTests : SyncFixture
{
    [Fact]
    public async Task Quiet_keeps_the_summary_and_drops_info_logs_and_progress_and_every_command_takes_both_options()
    {
        await StartServerAsync();
        new StoreFile().AppendCsv(Path.Combine(WorkDir, "orders.csv"), 300, seed: 31);
        WriteConfig("{ type: csv, path: orders.csv }");

        var loud = await SyncAsync("--full-refresh", "--log-format", "json");
        var quiet = await SyncAsync("--full-refresh", "--quiet", "--log-format", "json");
        var status = await HostProcess.RunAsync(WorkDir, Env, "--quiet", "status", "--log-format", "text");
        var wrong = await HostProcess.RunAsync(WorkDir, Env, "validate", "--log-format", "yaml");

        Assert.Equal(0, loud.ExitCode);
        Assert.Contains("\"LogLevel\":\"Information\"", loud.Stderr, StringComparison.Ordinal);
        Assert.True(quiet.ExitCode == 0, quiet.Stdout + quiet.Stderr);
        Assert.Equal(string.Empty, quiet.Stderr.Trim());
        Assert.Contains("orders sent", quiet.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("line items in", quiet.Stdout, StringComparison.Ordinal); // no progress line
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("shop", status.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("yaml", wrong.Stderr, StringComparison.Ordinal);
    }
}
