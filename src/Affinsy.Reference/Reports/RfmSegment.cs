namespace Affinsy.Reference.Reports;

/// <summary>The RF segments, declared in the fixed order reports list them (the contract's order).</summary>
internal enum RfmSegment
{
    Champions,
    LoyalCustomers,
    PotentialLoyalists,
    NewCustomers,
    Promising,
    NeedAttention,
    AboutToSleep,
    AtRisk,
    CantLoseThem,
    Hibernating,
}
