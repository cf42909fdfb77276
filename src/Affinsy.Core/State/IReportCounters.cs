namespace Affinsy.Core.State;

/// <summary>
/// For <c>reports_after: { orders: N }</c>: the orders each pipeline sent since its reports last ran, kept in the state
/// store so a restarted worker (or another worker sharing PostgreSQL) goes on counting instead of starting from zero.
/// </summary>
public interface IReportCounters
{
    /// <summary>
    /// Adds <paramref name="orders"/> to <paramref name="pipeline"/>'s count in one atomic step. When the count reaches
    /// <paramref name="every"/> the reports are due once, whatever the multiple crossed (at most once per N orders, even
    /// while a backlog is caught up), and the count keeps the remainder (<c>count % every</c>).
    /// </summary>
    Task<ReportCount> AddAsync(string pipeline, long orders, long every, CancellationToken cancellationToken);
}

/// <summary>A pipeline's count after <see cref="IReportCounters.AddAsync"/>.</summary>
/// <param name="Sent">Orders counted since the reports last ran, after the add (the remainder when <paramref name="Due"/>).</param>
/// <param name="Due">True when this add reached the threshold: run the reports now.</param>
public readonly record struct ReportCount(long Sent, bool Due);
