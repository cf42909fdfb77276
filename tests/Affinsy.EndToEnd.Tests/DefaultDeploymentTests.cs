using Affinsy.Testing;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>The README's main command on a clean directory: the shipped connectors.yaml and sample store, offline.</summary>
public sealed class DefaultDeploymentTests
{
    [Fact]
    public async Task The_default_deployment_syncs_the_sample_store_offline_and_saves_both_reports()
    {
        using var dir = new TempDirectory();
        var repo = RepositoryRoot();
        File.Copy(Path.Combine(repo, "connectors.yaml"), dir.File("connectors.yaml"));
        Directory.CreateDirectory(dir.File("samples"));
        File.Copy(Path.Combine(repo, "samples", "sample-store.csv.gz"), dir.File("samples/sample-store.csv.gz"));
        var env = new Dictionary<string, string> { ["AFFINSY_BASE_URL"] = "", ["AFFINSY_API_KEY"] = "" };

        var run = await HostProcess.RunAsync(dir.Path, env, "sync");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var saved = Directory.GetFiles(dir.File("out/reports/sample-store"), "*-rep_*.json", SearchOption.AllDirectories);
        Assert.Equal(2, saved.Length);
        Assert.Contains("standard_mba", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Champions", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\"EventId\"", run.Stdout, StringComparison.Ordinal); // `sync > out.txt` holds the results alone
        Assert.Contains("\"EventId\"", run.Stderr, StringComparison.Ordinal);
        Assert.True(new FileInfo(dir.File(".affinsy/dead-letters/sample-store.jsonl")).Length > 0, "the sample's cancelled invoices are dead-lettered with reasons");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Affinsy.Connect.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Affinsy.Connect.sln not found above " + AppContext.BaseDirectory);
    }
}
