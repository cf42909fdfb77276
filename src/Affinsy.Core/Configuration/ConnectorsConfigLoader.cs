using System.Text.RegularExpressions;
using Affinsy.Core.Sources;

namespace Affinsy.Core.Configuration;

/// <summary>
/// Reads and validates <c>connectors.yaml</c>. Every problem is collected (with its YAML path and
/// line) and thrown together as one <see cref="ConfigurationException"/>.
/// </summary>
public static partial class ConnectorsConfigLoader
{
    private static readonly string[] RootKeys = ["affinsy", "state", "webhooks", "worker", "output_dir", "pipelines"];
    private static readonly string[] WorkerKeys = ["listen", "drain_timeout", "metrics", "cluster_checkin_interval"];
    private static readonly string[] MetricsKeys = ["prometheus", "otlp_endpoint"];
    private static readonly string[] AffinsyKeys = ["base_url", "api_key", "ingest", "on_plan_cap"];
    private static readonly string[] IngestKeys = [.. IngestLimits.All.Select(l => l.Key)];
    private static readonly string[] StateKeys = ["provider", "path", "connection_string"];
    private static readonly string[] WebhookKeys = ["listen", "path", "public_url", "max_body_bytes", "max_age"];
    private static readonly string[] PipelineKeys = ["name", "dataset_id", "source", "schedule", "report_schedule", "reports_after", "reports_when", "keep_reports", "ledger", "enabled", "reports"];

    /// <summary>
    /// Loads a file; relative paths in it resolve against its directory. <paramref name="environment"/>
    /// defaults to the process environment.
    /// </summary>
    /// <exception cref="ConfigurationException">The file is missing or invalid (every problem listed).</exception>
    /// <param name="path">The file.</param>
    /// <param name="registry">The sources this build knows.</param>
    /// <param name="environment">Variable lookup for <c>${VAR}</c>; defaults to the process environment.</param>
    /// <param name="scheduleProblem">Checks a cron expression (<c>schedule</c>, <c>report_schedule</c>): returns what is wrong, or null when valid.</param>
    public static ConnectorsConfig Load(string path, SourceRegistry registry, Func<string, string?>? environment = null, Func<string, string?>? scheduleProblem = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fileName = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new ConfigurationException(new ConfigProblem(path, 0, 0, string.Empty, "file not found; pass --config or create connectors.yaml"));
        }

        var fullPath = Path.GetFullPath(path);
        return Parse(File.ReadAllText(fullPath), fileName, Path.GetDirectoryName(fullPath)!, registry, environment, scheduleProblem);
    }

    /// <summary>
    /// Loads a file for the commands that read only the state store (<c>status</c>, <c>state</c>, <c>runs</c>,
    /// <c>dead-letters</c>): sources are not bound, so their settings and secrets need not be there (an unset
    /// <c>${SHOPIFY_ACCESS_TOKEN}</c> reads as empty), and neither do other secrets outside <c>state:</c>. The
    /// pipelines' <see cref="PipelineConfig.CreateSource"/> throws.
    /// </summary>
    /// <exception cref="ConfigurationException">The file is missing, or invalid in what the state needs.</exception>
    public static ConnectorsConfig LoadForState(string path, Func<string, string?>? environment = null, Func<string, string?>? scheduleProblem = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ConfigurationException(new ConfigProblem(path, 0, 0, string.Empty, "file not found; pass --config or create connectors.yaml"));
        }

        var fullPath = Path.GetFullPath(path);
        return Parse(File.ReadAllText(fullPath), Path.GetFileName(path), Path.GetDirectoryName(fullPath)!, new SourceRegistry(), environment, scheduleProblem, stateOnly: true);
    }

    /// <summary>Validates YAML text as if read from <paramref name="fileName"/> in <paramref name="baseDirectory"/>.</summary>
    /// <exception cref="ConfigurationException">The text is invalid (every problem listed).</exception>
    /// <param name="yaml">The text.</param>
    /// <param name="fileName">The file name used in messages.</param>
    /// <param name="baseDirectory">What relative paths resolve against.</param>
    /// <param name="registry">The sources this build knows.</param>
    /// <param name="environment">Variable lookup for <c>${VAR}</c>; defaults to the process environment.</param>
    /// <param name="scheduleProblem">Checks a cron expression (<c>schedule</c>, <c>report_schedule</c>): returns what is wrong, or null when valid.</param>
    public static ConnectorsConfig Parse(string yaml, string fileName, string baseDirectory, SourceRegistry registry, Func<string, string?>? environment = null, Func<string, string?>? scheduleProblem = null) =>
        Parse(yaml, fileName, baseDirectory, registry, environment, scheduleProblem, stateOnly: false);

    private static ConnectorsConfig Parse(string yaml, string fileName, string baseDirectory, SourceRegistry registry, Func<string, string?>? environment, Func<string, string?>? scheduleProblem, bool stateOnly)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var document = ConfigDocument.Parse(yaml, fileName, baseDirectory, environment ?? Environment.GetEnvironmentVariable, stateOnly ? NotNeededForState : null);
        var root = document.Root;
        if (root is null)
        {
            document.Problems.ThrowIfAny();
            throw new InvalidOperationException("unreachable: a document without root always has a problem");
        }

        root.RejectUnknownKeys(RootKeys);
        var config = new ConnectorsConfig
        {
            FileName = fileName,
            BaseDirectory = baseDirectory,
            Affinsy = ReadAffinsy(root.GetSection("affinsy")),
            State = ReadState(root.GetSection("state"), baseDirectory),
            Webhooks = ReadWebhooks(root.GetSection("webhooks")),
            Worker = ReadWorker(root.GetSection("worker")),
            Pipelines = ReadPipelines(root, stateOnly ? null : registry, baseDirectory, scheduleProblem),
            Secrets = document.SecretValues(),
            OutputDirectory = ConfigPaths.Get(root, "output_dir", "out") ?? baseDirectory,
            Warnings = document.Problems.Warnings,
        };
        if (!stateOnly)
        {
            CheckAffinsyIsReachable(root, config);
        }

        document.Problems.ThrowIfAny();
        return config;
    }

    private static AffinsySettings ReadAffinsy(ConfigSection? section)
    {
        if (section is null)
        {
            return new AffinsySettings();
        }

        section.RejectUnknownKeys(AffinsyKeys);
        var baseUrl = section.GetString("base_url") ?? AffinsySettings.Embedded;
        Uri? baseUri = null;
        if (baseUrl != AffinsySettings.Embedded)
        {
            baseUri = ReadHttpUrl(section, "base_url", "'embedded' or an http(s) URL such as https://www.affinsy.com/api/v1");
        }

        var ingest = section.GetSection("ingest");
        ingest?.RejectUnknownKeys(IngestKeys);
        return new AffinsySettings
        {
            BaseUrl = baseUrl,
            BaseUri = baseUri,
            ApiKey = ReadApiKey(section),
            Ingest = ingest is null
                ? new IngestSettings()
                : new IngestSettings
                {
                    MaxLineItemsPerRequest = Read(ingest, IngestLimits.MaxLineItemsPerRequest),
                    MaxInFlight = Read(ingest, IngestLimits.MaxInFlight),
                    RequestsPerMinute = Read(ingest, IngestLimits.RequestsPerMinute),
                    WindowSeconds = Read(ingest, IngestLimits.WindowSeconds),
                },
            OnPlanCap = section.GetChoice("on_plan_cap", "warn", "warn", "fail") == "fail" ? PlanCapPolicy.Fail : PlanCapPolicy.Warn,
        };
    }

    private static int Read(ConfigSection ingest, IngestLimit limit) => ingest.GetInt(limit.Key, limit.Default, limit.Min, limit.Max);

    /// <summary>
    /// The key goes into an HTTP header, where a line break or space is a format error at the first request.
    /// A trailing newline is what <c>echo key &gt; file</c> or a Windows editor leaves, so it is refused here with
    /// what to do rather than trimmed: a trimmed key would silently differ from the value the user checks.
    /// </summary>
    private static string? ReadApiKey(ConfigSection section)
    {
        var key = section.GetString("api_key");
        var bad = key is null ? -1 : key.AsSpan().IndexOfAnyInRange('\0', ' ');
        if (key is null || bad < 0)
        {
            return key;
        }

        var what = key[bad] switch
        {
            '\r' or '\n' when key.AsSpan(bad).Trim("\r\n").IsEmpty => "ends with a line break (CR or LF), usually left by `echo` or an editor when the key was saved to a file or variable",
            '\r' or '\n' => "contains a line break (CR or LF)",
            ' ' or '\t' => "contains a space or tab",
            _ => "contains a control character",
        };
        section.Report("api_key", $"the API key {what}; an HTTP header cannot carry it: remove it (e.g. printf '%s' \"$KEY\", or tr -d '\\r\\n' on the file). The value is not shown");
        return null;
    }

    private static StateSettings ReadState(ConfigSection? section, string baseDirectory)
    {
        var defaultPath = Path.GetFullPath(StateSettings.DefaultPath, baseDirectory);
        if (section is null)
        {
            return new StateSettings { Path = defaultPath };
        }

        section.RejectUnknownKeys(StateKeys);
        var provider = section.GetChoice("provider", "sqlite", "sqlite", "postgres") == "postgres" ? StateProvider.Postgres : StateProvider.Sqlite;
        var connectionString = section.GetString("connection_string", required: provider == StateProvider.Postgres);
        return new StateSettings
        {
            Provider = provider,
            Path = ConfigPaths.Get(section, "path", defaultPath) ?? defaultPath,
            ConnectionString = connectionString,
            ProviderLocation = new ConfigProblem(section.Problems.File, section.LineOf("provider"), 0, section.PathOf("provider"), string.Empty),
        };
    }

    private static WebhookSettings ReadWebhooks(ConfigSection? section)
    {
        if (section is null)
        {
            return new WebhookSettings();
        }

        section.RejectUnknownKeys(WebhookKeys);
        var path = section.GetString("path") ?? WebhookSettings.DefaultPath;
        if (!path.StartsWith('/'))
        {
            section.Report("path", $"must start with '/', got {section.Describe("path")}");
        }

        return new WebhookSettings
        {
            Listen = section.Has("listen") ? ReadHttpUrl(section, "listen", "an http(s) URL such as http://127.0.0.1:5080") : null,
            Path = path,
            PublicUrl = section.Has("public_url") ? ReadHttpUrl(section, "public_url", "an http(s) URL Affinsy can reach") : null,
            MaxBodyBytes = section.GetInt("max_body_bytes", new WebhookSettings().MaxBodyBytes, 1024, 16 * 1024 * 1024),
            MaxAge = section.GetDuration("max_age", new WebhookSettings().MaxAge, TimeSpan.FromDays(1)),
        };
    }

    private static WorkerSettings ReadWorker(ConfigSection? section)
    {
        if (section is null)
        {
            return new WorkerSettings();
        }

        section.RejectUnknownKeys(WorkerKeys);
        var defaults = new WorkerSettings();
        var metrics = section.GetSection("metrics");
        metrics?.RejectUnknownKeys(MetricsKeys);
        return new WorkerSettings
        {
            Listen = section.Has("listen") ? ReadHttpUrl(section, "listen", "an http URL such as http://0.0.0.0:8080") ?? defaults.Listen : defaults.Listen,
            DrainTimeout = section.GetDuration("drain_timeout", defaults.DrainTimeout, TimeSpan.FromHours(1)),
            ClusterCheckinInterval = section.GetDuration("cluster_checkin_interval", defaults.ClusterCheckinInterval, TimeSpan.FromMinutes(10)),
            Prometheus = metrics?.GetBool("prometheus", true) ?? true,
            OtlpEndpoint = metrics is not null && metrics.Has("otlp_endpoint") ? ReadHttpUrl(metrics, "otlp_endpoint", "an http(s) URL such as http://otel-collector:4317") : null,
        };
    }

    private static string? ReadSchedule(ConfigSection section, string key, Func<string, string?>? scheduleProblem)
    {
        var cron = section.GetString(key);
        if (cron is not null && scheduleProblem?.Invoke(cron) is { } problem)
        {
            section.Report(key, $"{section.Describe(key)} is not a valid Quartz cron expression ({problem}); it has 6 or 7 fields: seconds minutes hours day-of-month month day-of-week [year], e.g. \"0 0/15 * * * ?\" for every 15 minutes");
        }

        return cron;
    }

    /// <summary>Where an unset variable does not matter to a state-only load: a source's settings, and secrets outside <c>state:</c>.</summary>
    private static bool NotNeededForState(string path) =>
        (path.StartsWith("pipelines[", StringComparison.Ordinal) && path.Contains("].source.", StringComparison.Ordinal))
        || (!path.StartsWith("state.", StringComparison.Ordinal) && ConfigSection.NamesASecret(path[(path.LastIndexOf('.') + 1)..]));

    private static Uri? ReadHttpUrl(ConfigSection section, string key, string expected)
    {
        var text = section.GetString(key);
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        section.Report(key, $"expected {expected}, got {section.Describe(key)}");
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
