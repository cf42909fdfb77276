using Affinsy.Reference.Config;

namespace Affinsy.Reference.Http;

/// <summary>Seeded, reproducible fault decisions for the <c>faults</c> section of the users file.</summary>
internal sealed class FaultInjector(FaultSettings settings)
{
    private readonly Random _random = new(settings.Seed);
    private readonly Lock _gate = new();

    /// <summary>500 or 503 to answer before doing anything, or null to proceed.</summary>
    public int? NextError()
    {
        if (settings.ErrorRate <= 0)
        {
            return null;
        }

        lock (_gate)
        {
            return _random.NextDouble() < settings.ErrorRate ? (_random.Next(2) == 0 ? 500 : 503) : null;
        }
    }

    /// <summary>Whether to answer this (already applied) ingest with 504.</summary>
    public bool NextTimeout()
    {
        if (settings.TimeoutRate <= 0)
        {
            return false;
        }

        lock (_gate)
        {
            return _random.NextDouble() < settings.TimeoutRate;
        }
    }
}
