using System.Text.Json;
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
        Assert.Contains("Left out (enabled: false in connectors.yaml): shop-demo, woo-demo, kafka-demo.", run.Stderr, StringComparison.Ordinal);
        AssertSkippedNotDeadLettered(run.Stdout, dir);
        await AssertStatusAndRunsShowTheSkipsAsync(dir, env);
    }

    // The sample's expected skips, counted from the file independently of our reader:
    //   cancelled 276:  zcat samples/sample-store.csv.gz | awk -F, 'NR>1 && $1 ~ /^C/ {print $1}' | sort -u | wc -l
    //   return 40, zero_quantity 8 (invoices, not C, whose quantities are all < 0, all = 0):
    //     zcat samples/sample-store.csv.gz | python3 -c "import csv,sys,collections as c; q=c.defaultdict(list);
    //       [q[r['InvoiceNo']].append(float(r['Quantity'])) for r in csv.DictReader(sys.stdin) if not r['InvoiceNo'].startswith('C')];
    //       print(sum(all(x<0 for x in v) for v in q.values()), sum(all(x==0 for x in v) for v in q.values()))"
    // samples/README.md agrees: 276 cancellations, 40 stock adjustments, 8 zero-only invoices. None needs a person, so
    // nothing is dead-lettered (before, its 874 rows were: 746 rows of C invoices, 40 negative and 88 zero quantities).
    private const string ExpectedSkippedJson = """{"cancelled":276,"return":40,"zero_quantity":8}""";

    private static void AssertSkippedNotDeadLettered(string stdout, TempDirectory dir)
    {
        string[] rows = [.. stdout.Split('\n').Select(l => string.Join(' ', l.Split(['│', ' '], StringSplitOptions.RemoveEmptyEntries)))];
        Assert.Contains("skipped by design 324", rows);
        Assert.Contains("cancelled 276", rows);
        Assert.Contains("return 40", rows);
        Assert.Contains("zero_quantity 8", rows);
        Assert.Contains("dead-lettered (needs a person) 0", rows);
        Assert.Contains("refused by the source 0", rows);
        Assert.False(File.Exists(dir.File(".affinsy/dead-letters/sample-store.jsonl")) && new FileInfo(dir.File(".affinsy/dead-letters/sample-store.jsonl")).Length > 0,
            "expected skips are not dead letters");
    }

    private static async Task AssertStatusAndRunsShowTheSkipsAsync(TempDirectory dir, Dictionary<string, string> env)
    {
        var status = await HostProcess.RunAsync(dir.Path, env, "status", "--json");
        Assert.True(status.ExitCode == 0, status.Stdout + status.Stderr);
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            var pipeline = json.RootElement[0];
            Assert.Equal(ExpectedSkippedJson, pipeline.GetProperty("last_run").GetProperty("skipped").GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
            Assert.Equal(0, pipeline.GetProperty("dead_letters").GetInt64());
        }

        var runs = await HostProcess.RunAsync(dir.Path, env, "runs", "--json");
        Assert.True(runs.ExitCode == 0, runs.Stdout + runs.Stderr);
        using (var json = JsonDocument.Parse(runs.Stdout))
        {
            var run = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal((276, 40, 8), (run.GetProperty("skipped").GetProperty("cancelled").GetInt32(), run.GetProperty("skipped").GetProperty("return").GetInt32(), run.GetProperty("skipped").GetProperty("zero_quantity").GetInt32()));
            Assert.Equal(0, run.GetProperty("dead_lettered").GetInt64());
        }

        var table = await HostProcess.RunAsync(dir.Path, env, "status");
        Assert.Contains("skipped 324", table.Stdout, StringComparison.Ordinal);
        var history = await HostProcess.RunAsync(dir.Path, env, "runs");
        Assert.Contains("324", history.Stdout, StringComparison.Ordinal);
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
