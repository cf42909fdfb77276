namespace Affinsy.Core.Configuration;

/// <summary>Where checkpoints live.</summary>
public enum StateProvider
{
    /// <summary>A SQLite file (default <c>.affinsy/state.db</c>).</summary>
    Sqlite,

    /// <summary>PostgreSQL; accepted by the schema, not implemented yet.</summary>
    Postgres,
}
