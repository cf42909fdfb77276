using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Affinsy.Reference.Config;

/// <summary>
/// Reads the <c>--users</c> YAML file. Every problem is reported with the field's path and line, and
/// keys are hashed on load so no key outlives this method.
/// </summary>
public static class ReferenceSettingsLoader
{
    public static ReferenceSettings LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReferenceSettingsException(path, [$"cannot read the users file: {e.Message}"]);
        }

        return Parse(text, path);
    }

    public static ReferenceSettings Parse(string yaml, string sourceName)
    {
        var problems = new List<string>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ReferenceSettingsException(sourceName, [$"line {e.Start.Line}: not valid YAML: {e.Message}"]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ReferenceSettingsException(sourceName, ["the file must be a YAML mapping with a 'users' list"]);
        }

        var reader = new YamlFields(problems);
        reader.OnlyKeys(root, "", "users", "plan_caps", "limits", "faults", "webhooks");
        var users = ReadUsers(reader, root);
        var caps = ReadCaps(reader, root);
        var limits = ReadLimits(reader, root);
        var faults = ReadFaults(reader, root);
        var webhooks = ReadWebhooks(reader, root);
        if (problems.Count > 0)
        {
            throw new ReferenceSettingsException(sourceName, problems);
        }

        return new ReferenceSettings { Users = users, PlanCaps = caps, Limits = limits, Faults = faults, Webhooks = webhooks };
    }

    private static List<ReferenceUser> ReadUsers(YamlFields f, YamlMappingNode root)
    {
        var result = new List<ReferenceUser>();
        if (f.Child(root, "users") is not { } node)
        {
            f.Problem(root, "users", "is required: a list of {id, plan, keys}");
            return result;
        }

        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            f.Problem(node, "users", "must be a non-empty list of {id, plan, keys}");
            return result;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"users[{i}]";
            if (list.Children[i] is not YamlMappingNode user)
            {
                f.Problem(list.Children[i], path, "must be a mapping with id, plan and keys");
                continue;
            }

            f.OnlyKeys(user, path, "id", "plan", "keys");
            var id = f.String(user, path, "id", required: true);
            if (id is not null && !ids.Add(id))
            {
                f.Problem(user, path + ".id", $"'{id}' is used by another user");
            }

            var planText = f.String(user, path, "plan", required: true);
            var plan = Plan.Enterprise;
            if (planText is not null && !Enum.TryParse(planText, ignoreCase: true, out plan))
            {
                f.Problem(f.Child(user, "plan")!, path + ".plan", $"'{planText}' is not a plan: use free, pro, max or enterprise");
            }

            var keyHashes = ReadKeyHashes(f, user, path, hashes);
            if (id is not null)
            {
                result.Add(new ReferenceUser(id, plan, keyHashes));
            }
        }

        return result;
    }

    /// <summary>A user's keys as hashes (a key is never kept or echoed); a key already in <paramref name="hashes"/> belongs to another user.</summary>
    private static List<string> ReadKeyHashes(YamlFields f, YamlMappingNode user, string path, HashSet<string> hashes)
    {
        var keyHashes = new List<string>();
        if (f.Child(user, "keys") is not YamlSequenceNode keys || keys.Children.Count == 0)
        {
            f.Problem(f.Child(user, "keys") ?? user, path + ".keys", "must be a non-empty list of API keys (afn_...)");
        }
        else
        {
            for (var k = 0; k < keys.Children.Count; k++)
            {
                // Never echo a key: the message names only its position.
                if (keys.Children[k] is not YamlScalarNode { Value: { Length: > 4 } key } || !key.StartsWith("afn_", StringComparison.Ordinal))
                {
                    f.Problem(keys.Children[k], $"{path}.keys[{k}]", "must be a key of the form afn_<characters>");
                    continue;
                }

                var hash = KeyHash.Of(key);
                if (!hashes.Add(hash))
                {
                    f.Problem(keys.Children[k], $"{path}.keys[{k}]", "this key is listed twice; a key belongs to one user");
                }

                keyHashes.Add(hash);
            }
        }

        return keyHashes;
    }

    private static PlanCaps ReadCaps(YamlFields f, YamlMappingNode root)
    {
        var caps = new PlanCaps();
        if (f.Mapping(root, "", "plan_caps") is not { } node)
        {
            return caps;
        }

        f.OnlyKeys(node, "plan_caps", "free", "pro", "max", "enterprise");
        return new PlanCaps
        {
            Free = f.Cap(node, "plan_caps", "free", caps.Free),
            Pro = f.Cap(node, "plan_caps", "pro", caps.Pro),
            Max = f.Cap(node, "plan_caps", "max", caps.Max),
            Enterprise = f.Cap(node, "plan_caps", "enterprise", caps.Enterprise),
        };
    }

    private static ServerLimits ReadLimits(YamlFields f, YamlMappingNode root)
    {
        var d = new ServerLimits();
        if (f.Mapping(root, "", "limits") is not { } node)
        {
            return d;
        }

        const string P = "limits";
        f.OnlyKeys(node, P, "requests_per_window", "window_seconds", "max_line_items_per_request", "max_in_flight_per_key", "request_timeout_seconds", "ingest_delay_ms_per_1000_line_items");
        return new ServerLimits
        {
            RequestsPerWindow = (int)f.Number(node, P, "requests_per_window", d.RequestsPerWindow, 1, 1_000_000, integer: true),
            WindowSeconds = (int)f.Number(node, P, "window_seconds", d.WindowSeconds, 1, 86_400, integer: true),
            MaxLineItemsPerRequest = (int)f.Number(node, P, "max_line_items_per_request", d.MaxLineItemsPerRequest, 1, 10_000_000, integer: true),
            MaxInFlightPerKey = (int)f.Number(node, P, "max_in_flight_per_key", d.MaxInFlightPerKey, 1, 1_000, integer: true),
            RequestTimeoutSeconds = (int)f.Number(node, P, "request_timeout_seconds", d.RequestTimeoutSeconds, 1, 3_600, integer: true),
            IngestDelayMsPer1000LineItems = f.Number(node, P, "ingest_delay_ms_per_1000_line_items", d.IngestDelayMsPer1000LineItems, 0, 600_000, integer: false),
        };
    }

    private static FaultSettings ReadFaults(YamlFields f, YamlMappingNode root)
    {
        var d = new FaultSettings();
        if (f.Mapping(root, "", "faults") is not { } node)
        {
            return d;
        }

        const string P = "faults";
        f.OnlyKeys(node, P, "error_rate", "timeout_rate", "seed");
        return new FaultSettings
        {
            ErrorRate = f.Number(node, P, "error_rate", d.ErrorRate, 0, 1, integer: false),
            TimeoutRate = f.Number(node, P, "timeout_rate", d.TimeoutRate, 0, 1, integer: false),
            Seed = (int)f.Number(node, P, "seed", d.Seed, int.MinValue, int.MaxValue, integer: true),
        };
    }

    private static WebhookSettings ReadWebhooks(YamlFields f, YamlMappingNode root)
    {
        var d = new WebhookSettings();
        if (f.Mapping(root, "", "webhooks") is not { } node)
        {
            return d;
        }

        const string P = "webhooks";
        f.OnlyKeys(node, P, "max_attempts", "initial_backoff_ms", "timeout_seconds");
        return new WebhookSettings
        {
            MaxAttempts = (int)f.Number(node, P, "max_attempts", d.MaxAttempts, 1, 100, integer: true),
            InitialBackoffMs = (int)f.Number(node, P, "initial_backoff_ms", d.InitialBackoffMs, 1, 3_600_000, integer: true),
            TimeoutSeconds = (int)f.Number(node, P, "timeout_seconds", d.TimeoutSeconds, 1, 600, integer: true),
        };
    }

    /// <summary>Typed reads over YAML nodes that record problems instead of throwing.</summary>
    private sealed class YamlFields(List<string> problems)
    {
        public void Problem(YamlNode at, string path, string message) =>
            problems.Add($"line {at.Start.Line}: {path}: {message}");

        public YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        public YamlMappingNode? Mapping(YamlMappingNode parent, string path, string key)
        {
            var node = Child(parent, key);
            if (node is null or YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return null;
            }

            if (node is YamlMappingNode map)
            {
                return map;
            }

            Problem(node, Join(path, key), "must be a mapping");
            return null;
        }

        public void OnlyKeys(YamlMappingNode map, string path, params string[] allowed)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "?";
                if (!allowed.Contains(name, StringComparer.Ordinal))
                {
                    Problem(key, Join(path, name), $"unknown field; expected one of: {string.Join(", ", allowed)}");
                }
            }
        }

        public string? String(YamlMappingNode map, string path, string key, bool required)
        {
            var node = Child(map, key);
            if (node is YamlScalarNode { Value: { Length: > 0 } value })
            {
                return value;
            }

            if (node is not null || required)
            {
                Problem(node ?? map, Join(path, key), required ? "is required and must be a non-empty string" : "must be a string");
            }

            return null;
        }

        public double Number(YamlMappingNode map, string path, string key, double fallback, double min, double max, bool integer)
        {
            var node = Child(map, key);
            if (node is null)
            {
                return fallback;
            }

            if (node is YamlScalarNode { Value: { } text }
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && value >= min && value <= max && (!integer || Math.Floor(value) == value))
            {
                return value;
            }

            Problem(node, Join(path, key), $"must be {(integer ? "a whole number" : "a number")} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return fallback;
        }

        public long? Cap(YamlMappingNode map, string path, string key, long? fallback)
        {
            var node = Child(map, key);
            switch (node)
            {
                case null:
                    return fallback;
                case YamlScalarNode { Value: "unlimited" or "null" or "~" or "" or null }:
                    return null;
                case YamlScalarNode { Value: { } text } when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var cap):
                    return cap;
                default:
                    Problem(node, Join(path, key), "must be a whole number of line-item rows (>= 0) or 'unlimited'");
                    return fallback;
            }
        }

        private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
    }
}

/// <summary>An invalid users file: every problem, each with its line and field.</summary>
public sealed class ReferenceSettingsException(string source, IReadOnlyList<string> problems)
    : Exception($"{source}: invalid users file:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
