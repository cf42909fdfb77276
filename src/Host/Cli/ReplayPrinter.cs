using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Affinsy.Sink.Replay;

namespace Affinsy.Host.Cli;

/// <summary>How <c>dead-letters replay</c> reports: a line per letter, a summary table and what to do next; or JSON Lines.</summary>
internal sealed class ReplayPrinter(string pipeline, string location)
{
    public void Text(ReplayResult result)
    {
        foreach (var l in result.Letters)
        {
            Console.WriteLine($"{l.Letter.Id}  {l.Letter.Letter.Position}  {Verdict(l, result.DryRun)}");
        }

        var count = result.Letters.Count;
        var title = result.DryRun ? $"Dry run of the replay of {pipeline} (nothing sent, nothing changed)" : $"Replay of {pipeline}";
        Console.WriteLine($"{title}: {count:N0} unresolved letter{(count == 1 ? "" : "s")}");
        Row(result.DryRun ? "would pass" : "passed (resolved)", result.Passed);
        if (!result.DryRun)
        {
            Row("  orders sent", result.OrdersSent);
            Row("  line items sent", result.LineItemsSent);
        }

        var failing = result.Letters.Where(l => l.Fate == LetterFate.StillFailing).ToList();
        Row(result.DryRun ? "would still fail" : "still failing", failing.Count);
        foreach (var group in failing.SelectMany(l => l.Why).GroupBy(r => r, StringComparer.Ordinal).OrderByDescending(g => g.Count()))
        {
            Row("  " + group.Key, group.Count());
        }

        Row("not replayable", result.Letters.Count(l => l.Fate == LetterFate.NotReplayable));
        Row("not finished", result.Letters.Count(l => l.Fate == LetterFate.NotFinished));
        if (result.Queue is { } queue)
        {
            QueuePrinter.Text(queue, result.DryRun, pipeline, location);
        }

        Console.WriteLine(NextStep(result));
    }

    public void Json(ReplayResult result)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var l in result.Letters)
        {
            Line(output, w =>
            {
                w.WriteString("id", l.Letter.Id);
                w.WriteString("position", l.Letter.Letter.Position);
                w.WriteString("order_id", l.Letter.Letter.OrderId);
                w.WriteString("reason", l.Letter.Letter.Reason);
                w.WriteString("fate", Fate(l.Fate));
                w.WriteBoolean("resolved", l.Resolved);
                w.WriteStartArray("why");
                foreach (var why in l.Why)
                {
                    w.WriteStringValue(why);
                }

                w.WriteEndArray();
                w.WriteNumber("orders", l.Orders);
                w.WriteNumber("line_items", l.LineItems);
            });
        }

        Line(output, w =>
        {
            w.WriteString("summary", pipeline);
            w.WriteBoolean("dry_run", result.DryRun);
            w.WriteNumber("letters", result.Letters.Count);
            w.WriteNumber("passed", result.Passed);
            w.WriteNumber("still_failing", result.Letters.Count(l => l.Fate == LetterFate.StillFailing));
            w.WriteNumber("not_replayable", result.Letters.Count(l => l.Fate == LetterFate.NotReplayable));
            w.WriteNumber("not_finished", result.Letters.Count(l => l.Fate == LetterFate.NotFinished));
            w.WriteNumber("orders_sent", result.OrdersSent);
            w.WriteNumber("line_items_sent", result.LineItemsSent);
            w.WriteString("error", result.Error);
            if (result.Queue is { } queue)
            {
                QueuePrinter.Json(w, queue);
            }
        });
    }

    private string NextStep(ReplayResult result)
    {
        if (result.Error is { } error)
        {
            return $"The replay stopped: {error}. Letters not acknowledged stay unresolved; run 'affinsy-connect dead-letters replay {pipeline}' again once it is fixed (a re-send is harmless: upserts).";
        }

        if (result.AllPassed)
        {
            return result.Letters.Count == 0 && result.Queue is not { Counts.Read: > 0 } ? $"Nothing to replay in {location}{(result.Queue is { } q ? " nor in " + q.Location : "")}."
                : result.DryRun ? $"Every letter would pass: run 'affinsy-connect dead-letters replay {pipeline}' to send them."
                : result.Letters.Count == 0 && result.Queue is { } queue ? $"Every letter of {queue.Location} passed; a replay does not read them again."
                : "Every letter passed and is resolved ('dead-letters list --all' still shows them).";
        }

        return result.DryRun
            ? $"Fix what the reasons say (the pipeline's source settings, such as columns: or fields:, or the records), then dry-run again; 'affinsy-connect dead-letters show ID' prints a letter whole."
            : $"Letters still failing stay in {location}, once each with the reason that holds now: fix what it says (the pipeline's source settings, or the records) and replay again, or purge them; 'affinsy-connect dead-letters list {pipeline}' lists them.";
    }

    private static string Verdict(LetterReplay l, bool dryRun)
    {
        var what = string.Join("; ", l.Why);
        return (l.Fate, dryRun) switch
        {
            (LetterFate.Passed, true) => $"would pass ({Size(l)}){(what == "passes" ? "" : ": " + what)}",
            (LetterFate.Passed, false) => $"passed and resolved ({Size(l)})",
            (LetterFate.StillFailing, true) => "would still fail: " + what,
            (LetterFate.StillFailing, false) => (l.Resolved ? "still fails, with a new reason (the new letter supersedes this one): " : "still fails: ") + what,
            (LetterFate.NotReplayable, _) => "cannot be replayed: " + what,
            _ => "not finished: " + what,
        };
    }

    private static string Size(LetterReplay l) => string.Create(CultureInfo.InvariantCulture, $"{l.Orders} order{(l.Orders == 1 ? "" : "s")}, {l.LineItems} line item{(l.LineItems == 1 ? "" : "s")}");

    private static string Fate(LetterFate fate) => fate switch
    {
        LetterFate.Passed => "passed",
        LetterFate.StillFailing => "still_failing",
        LetterFate.NotReplayable => "not_replayable",
        _ => "not_finished",
    };

    private static void Row(string label, long count) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-60} {count,8:N0}"));

    private static void Line(ArrayBufferWriter<byte> output, Action<Utf8JsonWriter> write)
    {
        output.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        Console.Out.WriteLine(Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
