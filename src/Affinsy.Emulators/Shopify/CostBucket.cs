namespace Affinsy.Emulators.Shopify;

/// <summary>A bucket that refills at a steady rate against a clock (GraphQL points, or REST capacity).</summary>
internal sealed class CostBucket
{
    private readonly TimeProvider clock;
    private double available;
    private DateTimeOffset at;

    public CostBucket(TimeProvider clock, double size, double restorePerSecond)
    {
        this.clock = clock;
        Size = size;
        RestorePerSecond = restorePerSecond;
        available = size;
        at = clock.GetUtcNow();
    }

    public double Size { get; }

    public double RestorePerSecond { get; }

    public double Available
    {
        get
        {
            Refill();
            return available;
        }
    }

    /// <summary>Takes the points if they are there.</summary>
    public bool TryTake(double points)
    {
        Refill();
        if (available + 1e-9 < points)
        {
            return false;
        }

        available -= points;
        return true;
    }

    public void Give(double points) => available = Math.Min(Size, available + points);

    /// <summary>Seconds until <paramref name="points"/> are available.</summary>
    public double SecondsUntil(double points) => Math.Max(0, (points - Available) / RestorePerSecond);

    private void Refill()
    {
        var now = clock.GetUtcNow();
        available = Math.Min(Size, available + ((now - at).TotalSeconds * RestorePerSecond));
        at = now;
    }
}
