using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>
/// kcat (formerly kafkacat; the Debian package <c>kcat</c>, its own build of librdkafka) as a producer and consumer
/// nobody here wrote, run as a separate process against the test cluster's loopback ports: what it writes is what
/// any producer writes, and what it reads back is what any consumer of the dead-letter topic sees. Options as in
/// <c>kcat -h</c> (1.7.1): <c>-P</c>/<c>-C</c>, <c>-p</c> partition, <c>-k</c> key, <c>-H name=value</c>, <c>-Z</c> (empty
/// means NULL), a file argument is one whole message, <c>-J</c> a JSON envelope per message, <c>-e</c> exit at the end.
/// </summary>
internal static class Kcat
{
    /// <summary>The executable: <c>AFFINSY_TEST_KCAT</c>, else <c>kcat</c> or <c>kafkacat</c> on PATH; null when none.</summary>
    public static string? Executable { get; } = Find();

    /// <summary>Skips the calling test, saying how to get kcat, when it is not installed.</summary>
    public static void SkipUnlessInstalled()
    {
        if (Executable is null)
        {
            Assert.Skip("kcat is not installed: install the Debian package (apt-get install kcat; .ci/run does) or set AFFINSY_TEST_KCAT to a kcat executable");
        }
    }

    /// <summary>
    /// Produces one message (a null <paramref name="value"/> is a tombstone, with a null key when <paramref name="key"/>
    /// is null) to one partition. kcat skips an empty file, so an empty or null value goes as a stdin line "key TAB"
    /// with <c>-K</c>, and <c>-Z</c> turns the empty parts into NULL.
    /// </summary>
    public static async Task ProduceAsync(
        string bootstrap, string topic, int partition, string? key, byte[]? value, CancellationToken ct, params (string Name, string Value)[] headers)
    {
        if (value is not { Length: > 0 })
        {
            Assert.Empty(headers);
            List<string> line = ["-P", "-b", bootstrap, "-t", topic, "-p", partition.ToString(System.Globalization.CultureInfo.InvariantCulture), "-K", "\\t"];
            if (value is null)
            {
                line.Add("-Z");
            }

            await RunAsync(line, ct, $"{key}\t\n");
            return;
        }

        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, value ?? [], ct);
            var args = new List<string> { "-P", "-b", bootstrap, "-t", topic, "-p", partition.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (key is not null)
            {
                args.AddRange(["-k", key]);
            }

            foreach (var (name, text) in headers)
            {
                args.AddRange(["-H", $"{name}={text}"]);
            }

            // The producer's own message size limit (1,000,000 by default) would refuse the huge poison message.
            args.AddRange(["-X", "message.max.bytes=20000000", file]);
            await RunAsync(args, ct);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Produces UTF-8 text messages (key, value) to one partition in one kcat run, in order.</summary>
    public static async Task ProduceLinesAsync(string bootstrap, string topic, int partition, IEnumerable<(string Key, string Value)> messages, CancellationToken ct)
    {
        var input = string.Concat(messages.Select(m => $"{m.Key}\t{m.Value}\n"));
        await RunAsync(["-P", "-b", bootstrap, "-t", topic, "-p", partition.ToString(System.Globalization.CultureInfo.InvariantCulture), "-K", "\\t"], ct, input);
    }

    /// <summary>Every message of <paramref name="topic"/> as kcat's JSON envelope (topic, partition, offset, headers, key, payload).</summary>
    public static async Task<IReadOnlyList<KcatMessage>> ConsumeAllAsync(string bootstrap, string topic, CancellationToken ct)
    {
        var output = await RunAsync(["-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-J", "-q"], ct);
        var messages = new List<KcatMessage>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("headers", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                // kcat writes headers as a flat [name, value, name, value, ...] array.
                for (var i = 0; i + 1 < list.GetArrayLength(); i += 2)
                {
                    headers[list[i].GetString()!] = list[i + 1].GetString() ?? string.Empty;
                }
            }

            messages.Add(new KcatMessage(
                root.GetProperty("partition").GetInt32(),
                root.GetProperty("offset").GetInt64(),
                root.GetProperty("key").ValueKind == JsonValueKind.Null ? null : root.GetProperty("key").GetString(),
                root.GetProperty("payload").ValueKind == JsonValueKind.Null ? null : root.GetProperty("payload").GetString(),
                headers));
        }

        return messages;
    }

    private static async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken ct, string? input = null)
    {
        var start = new ProcessStartInfo(Executable!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"kcat {string.Join(' ', args.Where(a => !a.StartsWith('/')))} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("AFFINSY_TEST_KCAT") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            foreach (var name in new[] { "kcat", "kafkacat" })
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}

/// <summary>One message as kcat's <c>-J</c> envelope shows it.</summary>
internal sealed record KcatMessage(int Partition, long Offset, string? Key, string? Payload, IReadOnlyDictionary<string, string> Headers);
