using System.Globalization;

namespace Affinsy.Samples.StoreGenerator;

/// <summary>Command line: <c>[--seed N] [--out PATH] [--customers N] [--stats]</c>.</summary>
internal sealed record GeneratorOptions(ulong Seed, string? OutputPath, int Customers, bool Stats)
{
    public const ulong DefaultSeed = 42;

    public const string Usage = """
        usage: sample-store-generator [--seed N] [--out PATH] [--customers N] [--stats]
          --seed N        PRNG seed (default 42, the seed of the committed samples/sample-store.csv.gz)
          --out PATH      where to write the gzip CSV (default samples/sample-store.csv.gz under the
                          current directory; with --stats and no --out nothing is written)
          --customers N   registered customers to simulate (default 3600)
          --stats         print counts, planted and observed co-purchase structure, and a determinism check
        """;

    /// <summary>Parses the arguments, or explains the first one that is wrong.</summary>
    public static GeneratorOptions Parse(IReadOnlyList<string> args)
    {
        var seed = DefaultSeed;
        string? output = null;
        var customers = StoreSimulation.DefaultCustomers;
        var stats = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--seed":
                    seed = ulong.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                        ? s
                        : throw new ArgumentException($"--seed needs a whole number from 0 to {ulong.MaxValue}, not \"{args[i]}\".");
                    break;
                case "--out":
                    output = Value(args, ref i);
                    break;
                case "--customers":
                    customers = int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is > 0 and <= 1_000_000
                        ? c
                        : throw new ArgumentException($"--customers needs a whole number from 1 to 1000000, not \"{args[i]}\".");
                    break;
                case "--stats":
                    stats = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument \"{args[i]}\".");
            }
        }

        if (output is null && !stats)
        {
            output = Path.Combine("samples", "sample-store.csv.gz");
        }

        return new GeneratorOptions(seed, output, customers, stats);
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"{args[i]} needs a value.");
        }

        return args[++i];
    }
}
