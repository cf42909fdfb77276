using System.Diagnostics;
using System.Globalization;
using Affinsy.Reference.Mining;

namespace Affinsy.Benchmarks;

/// <summary>
/// <c>mine</c>: loads a basket file, mines frequent itemsets and rules as an MBA report would, and times both.
/// </summary>
internal sealed class MineCommand : IBenchmarkCommand
{
    public string Name => "mine";

    public string Description =>
        "--input FILE --format fimi|csv --min-support S [--min-confidence C (0.1)] [--max-len K (0 = unlimited)]: time itemset and rule mining";

    public async Task<int> RunAsync(string[] args)
    {
        BenchmarkArgs options;
        string input;
        char separator;
        decimal minSupport, minConfidence;
        int maxLen;
        try
        {
            options = new BenchmarkArgs(args);
            input = options.Required("input");
            separator = options.Required("format") switch
            {
                "fimi" => ' ',
                "csv" => ',',
                var other => throw new ArgumentException($"--format must be fimi or csv, not '{other}'"),
            };
            minSupport = options.Decimal("min-support", -1m);
            minConfidence = options.Decimal("min-confidence", 0.1m);
            maxLen = checked((int)options.Long("max-len", 0));
            if (minSupport is <= 0m or > 1m)
            {
                throw new ArgumentException("--min-support is required and must be in (0, 1]");
            }

            if (minConfidence is < 0m or > 1m || maxLen < 0)
            {
                throw new ArgumentException("--min-confidence must be in [0, 1] and --max-len at least 0");
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync($"mine: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        if (!File.Exists(input))
        {
            await Console.Error.WriteLineAsync($"mine: input file not found: {Path.GetFullPath(input)} (retail.dat lives in ../shared/data/ beside the repository)").ConfigureAwait(false);
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var baskets = BasketFileReader.ReadFile(input, separator, CancellationToken.None);
        var loadSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var itemsets = FrequentItemsetMiner.Mine(baskets, MinimumCount.For(minSupport, baskets.Count), maxLen, CancellationToken.None);
        var rules = RuleGenerator.Generate(baskets, itemsets, minConfidence, 0m, 1, int.MaxValue, CancellationToken.None);
        var mineSeconds = clock.Elapsed.TotalSeconds;

        using var process = Process.GetCurrentProcess();
        var peakMb = process.PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"baskets\":{baskets.Count},\"distinct_items\":{baskets.DistinctItems},\"frequent_itemsets\":{itemsets.Count},\"rules_total\":{rules.Total},\"load_seconds\":{loadSeconds:0.####},\"mine_seconds\":{mineSeconds:0.####},\"peak_working_set_mb\":{peakMb:0.#}}}"));
        return 0;
    }
}
