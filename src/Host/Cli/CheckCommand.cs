using System.CommandLine;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Http;
using Affinsy.Host.Operations;
using Affinsy.Host.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Affinsy.Host.Cli;

/// <summary>
/// <c>affinsy-connect check [PIPELINE...]</c>: before a first sync, reaches each pipeline's source and Affinsy the way
/// a sync would and prints what passed and what to fix (Airbyte's <c>check</c>, Meltano's <c>config test</c>). Exit 0
/// when everything passed, 1 otherwise. Nothing is sent and no checkpoint moves.
/// </summary>
internal static class CheckCommand
{
    /// <summary>How long one source may take to answer its check.</summary>
    private static readonly TimeSpan SourceBudget = TimeSpan.FromSeconds(60);

    /// <summary>Details are sentences for people: quotes and backticks stay as they are.</summary>
    private static readonly CheckJsonContext Json = new(new JsonSerializerOptions(CheckJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static Command Create()
    {
        var config = ConfigFile.Option();
        var pipelines = PipelineArgument.Create("Pipelines to check (default: all).", ArgumentArity.ZeroOrMore);
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table." };
        var command = new Command("check", "Reach each pipeline's source and Affinsy (credentials, permissions, first page, dataset) and say what to fix.")
        {
            config, pipelines, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (ConfigFile.Load(parse.GetValue(config)!, Console.Error) is not { } loaded)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            if (PipelineArgument.Select(loaded, parse.GetValue(pipelines), Console.Error, "affinsy-connect check") is not { } selected)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            using var loggers = Logging.Create(loaded);
            try
            {
                var results = await RunAsync(loaded, selected, loggers, ct);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(results, Json.ListCheckResult));
                }
                else
                {
                    Print(results);
                }

                return results.All(r => r.Passed) ? 0 : 1;
            }
            catch (Exception e) when (UserErrors.Is(e))
            {
                return await UserErrors.PrintAsync(e);
            }
        });
        return command;
    }

    private static async Task<List<CheckResult>> RunAsync(ConnectorsConfig config, IReadOnlyList<PipelineConfig> pipelines, ILoggerFactory loggers, CancellationToken ct)
    {
        await using var endpoint = await AffinsyEndpoint.OpenAsync(config, ct);
        await using var services = ConnectServices.Build(config, loggers, TimeProvider.System);
        var secrets = RedactingStateBackend.SecretsOf(config, endpoint.ApiKey);
        using var affinsy = new AffinsyCheck(endpoint, config.FileName, services.GetRequiredService<IHttpClientFactory>().CreateClient(ConnectHttp.Check),
            services.GetRequiredService<TimeProvider>());
        var sourceHttp = services.GetRequiredService<ISourceHttpClients>();
        var results = new List<CheckResult>();
        void Add(string pipeline, CheckFinding finding) =>
            results.Add(new CheckResult(pipeline, finding.Name, finding.Passed, secrets.Redact(finding.Detail)));

        var key = await affinsy.KeyAsync(ct);
        Add("affinsy", key with { Detail = (endpoint.IsEmbedded ? "embedded reference server: " : endpoint.ApiBase + ": ") + key.Detail });
        foreach (var pipeline in pipelines)
        {
            if (key.Passed)
            {
                Add(pipeline.Name, await affinsy.DatasetAsync(pipeline.DatasetId, ct));
            }

            foreach (var finding in await CheckSourceAsync(pipeline, loggers, sourceHttp, ct))
            {
                Add(pipeline.Name, finding);
            }
        }

        return results;
    }

    private static async Task<IReadOnlyList<CheckFinding>> CheckSourceAsync(PipelineConfig pipeline, ILoggerFactory loggers, ISourceHttpClients http, CancellationToken ct)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(SourceBudget);
        var source = pipeline.CreateSource(TimeProvider.System, loggers, http);
        try
        {
            var findings = await SourceCheck.RunAsync(source, budget.Token);
            return [.. findings.Select(f => f with { Name = $"{pipeline.SourceType} {f.Name}" })];
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return [new CheckFinding(pipeline.SourceType, false, $"no answer within {SourceBudget.TotalSeconds:0} s: check the source's address and the network")];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return [new CheckFinding(pipeline.SourceType, false, Explain(e))];
        }
        finally
        {
            switch (source)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <summary>The source's own message (connectors word their failures for users), or the network's, made actionable.</summary>
    private static string Explain(Exception e) =>
        e is HttpRequestException { InnerException: SocketException socket } http
            ? socket.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain
                ? $"cannot resolve the source's host ({http.Message}): check the shop or url of the pipeline's source"
                : $"cannot connect to the source ({http.Message}): check its address and the network"
            : e.Message;

    private static void Print(List<CheckResult> results)
    {
        var table = new Table().AddColumns("pipeline", "check", "result", "detail");
        foreach (var r in results)
        {
            table.AddRow(Markup.Escape(r.Pipeline), Markup.Escape(r.Check), r.Passed ? "[green]ok[/]" : "[red]FAIL[/]", Markup.Escape(r.Detail));
        }

        AnsiConsole.Write(table);
        var failed = results.Count(r => !r.Passed);
        AnsiConsole.MarkupLine(failed == 0 ? "[green]All checks passed.[/]" : $"[red]{failed} check(s) failed[/]: fix what the detail says, then run check again.");
    }
}

/// <summary>One line of <c>check</c>'s answer.</summary>
internal sealed record CheckResult(string Pipeline, string Check, bool Passed, string Detail);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(List<CheckResult>))]
internal sealed partial class CheckJsonContext : JsonSerializerContext;
