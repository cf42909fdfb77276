namespace Affinsy.Sink;

/// <summary>What a sync does when Affinsy says the plan's row cap skipped inserts (<c>on_plan_cap</c>).</summary>
internal enum PlanCapPolicy
{
    /// <summary>Log the warning, count the rejected rows in the result, keep going.</summary>
    Warn,

    /// <summary>Stop the sync with an error; the request that hit the cap is not checkpointed, so it is re-sent after an upgrade.</summary>
    Fail,
}
