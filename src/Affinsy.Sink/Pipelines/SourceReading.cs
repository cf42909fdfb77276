using System.Threading.Channels;
using Affinsy.Core.Sources;

namespace Affinsy.Sink.Pipelines;

/// <summary>
/// The source -> normalize step of a sync, on its own task: reads the source from its checkpoint, normalizes each
/// batch once (the one place drafts become orders and refusals), leaves out what the order ledger says is unchanged,
/// and writes the batches into the bounded channel the packer reads, so memory stays flat however large the source.
/// </summary>
internal static class SourceReading
{
    /// <summary>
    /// Reads until the source ends, the run stops, or a drain is asked for; completes <paramref name="writer"/> with
    /// the source's failure, if any, for the packing loop to record. Returns true when a drain stopped the reading.
    /// </summary>
    public static async Task<bool> RunAsync(
        string pipeline,
        IOrderSource source,
        Checkpoint? from,
        RunLedger? ledger,
        ChannelWriter<NormalizedBatch> writer,
        CancellationToken token,
        CancellationToken drain)
    {
        // Draining stops the reading only; what was read still goes out and is checkpointed.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(token, drain);
        try
        {
            await foreach (var batch in source.ReadAsync(from, reading.Token).WithCancellation(reading.Token))
            {
                var normalized = batch.Normalize();
                await writer.WriteAsync(ledger is null ? normalized : await ledger.LeaveOutUnchangedAsync(normalized, reading.Token), reading.Token);
            }

            writer.TryComplete();
            return false;
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested && !token.IsCancellationRequested)
        {
            writer.TryComplete();
            return true;
        }
        catch (UnreadableCheckpointException e)
        {
            writer.TryComplete(e.For(pipeline));
            return false;
        }
        catch (Exception e)
        {
            // Surfaces in the packing loop, which records it as the sync's failure unless it is a cancellation.
            writer.TryComplete(e);
            return false;
        }
    }
}
