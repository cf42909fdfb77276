using Affinsy.Core.Sources;

namespace Affinsy.Core.Configuration;

/// <summary>The <c>pipelines</c> list: names, dataset ids, sources bound by their plugins, schedules and reports.</summary>
public static partial class ConnectorsConfigLoader
{
    /// <param name="root">The document.</param>
    /// <param name="registry">The sources to bind with; null: do not bind them (a state-only load).</param>
    /// <param name="baseDirectory">What relative paths resolve against.</param>
    /// <param name="scheduleProblem">Checks a cron expression.</param>
    private static List<PipelineConfig> ReadPipelines(ConfigSection root, SourceRegistry? registry, string baseDirectory, Func<string, string?>? scheduleProblem)
    {
        var pipelines = new List<PipelineConfig>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var section in root.GetSectionList("pipelines"))
        {
            section.RejectUnknownKeys(PipelineKeys);
            var name = ReadPipelineName(section, names);
            var datasetId = ReadDatasetId(section);
            var source = section.GetSection("source", required: true);
            var factory = source is null ? null
                : registry is not null ? registry.Bind(source)
                : source.GetString("type", required: true) is null ? null : new BoundSource(Unbound);
            var reports = ReadReports(section);
            var schedule = ReadSchedule(section, "schedule", scheduleProblem);
            var reportSchedule = ReadSchedule(section, "report_schedule", scheduleProblem);
            var (reportsAfter, reportsWhen, keepReports) = ReadReportTiming(section, reports, reportSchedule);
            var ledger = section.GetBool("ledger", true);
            var enabled = section.GetBool("enabled", true);

            if (name is not null && datasetId is not null && factory is not null)
            {
                pipelines.Add(new PipelineConfig
                {
                    Name = name,
                    DatasetId = datasetId,
                    SourceType = source!.GetString("type")!,
                    Schedule = schedule,
                    ReportSchedule = reportSchedule,
                    ReportsAfterOrders = reportsAfter,
                    ReportsWhen = reportsWhen,
                    KeepReports = keepReports,
                    Ledger = ledger,
                    Enabled = enabled,
                    Reports = reports,
                    Line = section.Line,
                    SourceFactory = factory.Create,
                    IsContinuous = factory.IsContinuous,
                    ReplayerFactory = factory.Replayer,
                    DeadLetterQueueFactory = factory.DeadLetterQueue,
                    BaseDirectory = baseDirectory,
                });
            }
        }

        return pipelines;
    }

    /// <summary>The pipeline's name, unique in the document (<paramref name="names"/>: name to line) since it names files.</summary>
    private static string? ReadPipelineName(ConfigSection section, Dictionary<string, int> names)
    {
        var name = section.GetString("name", required: true);
        if (name is null)
        {
            return null;
        }

        if (!NamePattern().IsMatch(name) || name is "." or "..")
        {
            section.Report("name", $"{section.Describe("name")} is not a valid pipeline name: use letters, digits, '.', '_' and '-' (it names files)");
        }
        else if (names.TryGetValue(name, out var firstLine))
        {
            section.Report("name", $"pipeline name {section.Describe("name")} is already used on line {firstLine}; names must be unique");
        }
        else
        {
            names.Add(name, section.Line);
        }

        return name;
    }

    private static string? ReadDatasetId(ConfigSection section)
    {
        var datasetId = section.GetString("dataset_id", required: true);
        if (datasetId is not null && (datasetId.Length > 128 || !NamePattern().IsMatch(datasetId)))
        {
            section.Report("dataset_id", $"{section.Describe("dataset_id")} is not a valid dataset id: 1-128 letters, digits, '.', '_' or '-'");
        }

        return datasetId;
    }

    private static IOrderSource Unbound(SourceContext context) =>
        throw new InvalidOperationException($"The source of pipeline '{context.Pipeline}' was not bound: the configuration was loaded for the state store only.");
}
