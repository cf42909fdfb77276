namespace Affinsy.Core.Configuration;

/// <summary>The <c>state:</c> section, with paths already resolved against the configuration's directory.</summary>
public sealed class StateSettings
{
    /// <summary>The default state database, relative to the configuration file.</summary>
    public const string DefaultPath = ".affinsy/state.db";

    /// <summary>sqlite (default) or postgres.</summary>
    public StateProvider Provider { get; init; } = StateProvider.Sqlite;

    /// <summary>Full path of the SQLite file.</summary>
    public required string Path { get; init; }

    /// <summary>The PostgreSQL connection string (postgres only). Never log it.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The state directory (the SQLite file's directory).</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path) ?? ".";

    /// <summary>Where dead letters go: <c>&lt;state dir&gt;/dead-letters/&lt;pipeline&gt;.jsonl</c>.</summary>
    public string DeadLetterDirectory => System.IO.Path.Combine(Directory, "dead-letters");

    /// <summary>The configuration file and line of <c>state.provider</c>, for errors raised when opening.</summary>
    public ConfigProblem? ProviderLocation { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"provider={Provider} path={Path}";
}
