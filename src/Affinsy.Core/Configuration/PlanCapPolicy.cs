namespace Affinsy.Core.Configuration;

/// <summary>What a sync does when Affinsy reports rows rejected by the plan's row cap.</summary>
public enum PlanCapPolicy
{
    /// <summary>Log a warning and carry on (YAML <c>warn</c>).</summary>
    Warn,

    /// <summary>Fail the sync (YAML <c>fail</c>).</summary>
    Fail,
}
