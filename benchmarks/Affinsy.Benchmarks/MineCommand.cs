using System.Diagnostics;
using System.Globalization;
using Affinsy.Reference.Mining;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>mine</c>: loads a basket file, mines frequent itemsets and rules as an MBA report would, and times both.
/// <c>--target itemsets</c> stops after the itemsets (what <c>eclat -ts</c> computes); <c>rules</c> also counts every
/// rule with a single-item consequent and orders the best <c>--max-rules</c> (eclat -tr writes all rules unordered).
/// </summary>
internal sealed class MineCommand : IBenchmarkCommand
{
    public string Name => "mine";

    public string Description =>
        "--input FILE --format fimi|csv --min-support S [--min-confidence C (0.1)] [--max-len K (0 = unlimited)] [--target itemsets|rules (rules)] [--max-rules N (1000)]: time itemset and rule mining";

    public async Task<int> RunAsync(string[] args)
    {
        MineArgs parsed;
        try
        {
            parsed = MineArgs.Parse(new BenchmarkArgs(args));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync($"mine: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        var (input, separator, minSupport, minConfidence, maxLen, maxRules, rulesToo) = parsed;
        if (!File.Exists(input))
        {
            await Console.Error.WriteLineAsync($"mine: input file not found: {Path.GetFullPath(input)} (retail.dat lives in ../shared/data/ beside the repository)").ConfigureAwait(false);
            return 2;
        }

        // CPU seconds beside wall seconds: on a shared machine the wall clock mostly measures the neighbours.
        using var process = Process.GetCurrentProcess();
        var cpuAtStart = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var pass = MiningPass.Load(input, separator, CancellationToken.None);
        var loadSeconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var loadCpu = (process.TotalProcessorTime - cpuAtStart).TotalSeconds;

        clock.Restart();
        var itemsets = pass.MineItemsets(minSupport, maxLen, CancellationToken.None);
        var itemsetSeconds = clock.Elapsed.TotalSeconds;
        int? rules = rulesToo ? pass.GenerateRules(minConfidence, maxRules, CancellationToken.None) : null;
        var mineSeconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var mineCpu = (process.TotalProcessorTime - cpuAtStart).TotalSeconds - loadCpu;
        var peakMb = process.PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"baskets\":{pass.Baskets},\"distinct_items\":{pass.DistinctItems},\"frequent_itemsets\":{itemsets},\"rules_total\":{rules?.ToString(CultureInfo.InvariantCulture) ?? "null"},\"load_seconds\":{loadSeconds:0.####},\"itemsets_seconds\":{itemsetSeconds:0.####},\"rules_seconds\":{mineSeconds - itemsetSeconds:0.####},\"mine_seconds\":{mineSeconds:0.####},\"load_cpu_seconds\":{loadCpu:0.####},\"mine_cpu_seconds\":{mineCpu:0.####},\"peak_working_set_mb\":{peakMb:0.#}}}"));
        return 0;
    }
}

/// <summary>The <c>mine</c> command's options, checked.</summary>
internal sealed record MineArgs(string Input, char Separator, decimal MinSupport, decimal MinConfidence, int MaxLen, int MaxRules, bool RulesToo)
{
    public static MineArgs Parse(BenchmarkArgs options)
    {
        var input = options.Required("input");
        var separator = options.Required("format") switch
        {
            "fimi" => ' ',
            "csv" => ',',
            var other => throw new ArgumentException($"--format must be fimi or csv, not '{other}'"),
        };
        var minSupport = options.Decimal("min-support", -1m);
        var minConfidence = options.Decimal("min-confidence", 0.1m);
        var maxLen = checked((int)options.Long("max-len", 0));
        var maxRules = checked((int)options.Long("max-rules", 1000));
        var rulesToo = options.String("target") switch
        {
            null or "rules" => true,
            "itemsets" => false,
            var other => throw new ArgumentException($"--target must be itemsets or rules, not '{other}'"),
        };
        if (minSupport is <= 0m or > 1m)
        {
            throw new ArgumentException("--min-support is required and must be in (0, 1]");
        }

        if (minConfidence is < 0m or > 1m || maxLen < 0 || maxRules < 1)
        {
            throw new ArgumentException("--min-confidence must be in [0, 1], --max-len at least 0 and --max-rules at least 1");
        }

        return new MineArgs(input, separator, minSupport, minConfidence, maxLen, maxRules, rulesToo);
    }
}
