namespace Affinsy.Samples.StoreGenerator;

/// <summary>The behaviour a registered customer follows over the year; RFM should tell these apart.</summary>
internal enum CustomerSegment
{
    /// <summary>One order at some point in the year.</summary>
    OneTime,

    /// <summary>A few orders over a stretch of the year.</summary>
    Occasional,

    /// <summary>Orders all year round, often.</summary>
    Loyal,

    /// <summary>Bought in the first half of the year, then stopped: last order more than 180 days before the end.</summary>
    Lapsed,

    /// <summary>First order in the last 90 days of the year.</summary>
    New,

    /// <summary>Trade-like buyers: frequent, big baskets, big quantities (the top of the monetary ranking).</summary>
    HighSpender,
}
