using System.Globalization;
using System.Text.Json;
using Affinsy.Sink.Replay;

namespace Affinsy.Host.Cli;

/// <summary>The part of the <c>dead-letters replay</c> report about the letters kept outside the store (a Kafka dead-letter topic).</summary>
internal static class QueuePrinter
{
    public static void Text(QueueReplayResult queue, bool dryRun, string pipeline, string location)
    {
        var c = queue.Counts;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{queue.Location}: {c.Read:N0} dead letter{(c.Read == 1 ? "" : "s")} not replayed before"));
        Row(dryRun ? "would be replayed" : "replayed (the replay group moved past them)", dryRun ? c.Decoded : c.Acknowledged);
        Row(dryRun ? "  orders that would be sent" : "  orders sent", queue.OrdersSent);
        Row(dryRun ? "  line items that would be sent" : "  line items sent", queue.LineItemsSent);
        if (queue.RefusedByPipeline > 0)
        {
            Row(dryRun ? "  orders the order rules would refuse (to " + location + ")" : "  orders refused by the order rules or Affinsy (in " + location + ")", queue.RefusedByPipeline);
        }

        Row(dryRun ? "would still fail" : "still failing (sent back to the topic with the new reason)", c.StillFailingTotal);
        foreach (var (why, count) in c.StillFailing.OrderByDescending(p => p.Value))
        {
            Row("  " + why, count);
        }

        if (c.Kept > 0)
        {
            Row(dryRun ? "not matching --reason (would be kept)" : "not matching --reason (put back at the end of the topic, unchanged)", c.Kept);
        }

        if (c.Duplicates > 0)
        {
            Row("further copies of a letter already read (skipped)", c.Duplicates);
        }

        Row("not replayable (left where they are)", c.NotReplayableTotal);
        foreach (var (why, count) in c.NotReplayable.OrderByDescending(p => p.Value))
        {
            Row("  " + why, count);
        }

        if (!dryRun && c.StillFailingTotal > 0)
        {
            Console.WriteLine($"Still failing letters are on {queue.Location} again, after the ones replayed: fix what the reason says and run 'affinsy-connect dead-letters replay {pipeline}' again.");
        }
    }

    public static void Json(Utf8JsonWriter w, QueueReplayResult queue)
    {
        var c = queue.Counts;
        w.WriteStartObject("queue");
        w.WriteString("location", queue.Location);
        w.WriteNumber("read", c.Read);
        w.WriteNumber("decoded", c.Decoded);
        w.WriteNumber("replayed", c.Acknowledged);
        w.WriteNumber("still_failing", c.StillFailingTotal);
        w.WriteNumber("kept", c.Kept);
        w.WriteNumber("duplicates", c.Duplicates);
        w.WriteNumber("not_replayable", c.NotReplayableTotal);
        w.WriteNumber("orders_sent", queue.OrdersSent);
        w.WriteNumber("line_items_sent", queue.LineItemsSent);
        w.WriteNumber("refused_by_pipeline", queue.RefusedByPipeline);
        w.WriteStartObject("still_failing_by_reason");
        foreach (var (why, count) in c.StillFailing)
        {
            w.WriteNumber(why, count);
        }

        w.WriteEndObject();
        w.WriteString("error", queue.Error);
        w.WriteEndObject();
    }

    private static void Row(string label, long count) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-60} {count,8:N0}"));
}
