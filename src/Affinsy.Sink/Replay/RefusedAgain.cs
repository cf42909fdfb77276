using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Sink.Replay;

/// <summary>
/// Which replayed letter each letter written during a replay belongs to. A source's or normalization's refusal carries
/// the replayed letter's position (<see cref="RecordReplay.Attach"/>); one Affinsy refused, or one too large to send,
/// carries a position of the pipeline's own and is matched by its order id.
/// </summary>
internal sealed class RefusedAgain
{
    private readonly Dictionary<string, List<int>> _byPosition = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _byOrderId = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<DeadLetter>> _of = [];

    public RefusedAgain(IReadOnlyList<DeadLetter> letters, IReadOnlyList<(int Index, OrderBatch Batch)> batches)
    {
        foreach (var (index, batch) in batches)
        {
            Index(_byPosition, letters[index].Position, index);
            foreach (var draft in batch.Drafts)
            {
                if (draft.OrderId is { } id)
                {
                    Index(_byOrderId, id.Trim(), index);
                }
            }
        }
    }

    /// <summary>Attributes a written letter to the replayed letters it came from.</summary>
    public void Add(DeadLetter written)
    {
        var byPosition = _byPosition.GetValueOrDefault(written.Position);
        var byOrder = written.OrderId is { } id ? _byOrderId.GetValueOrDefault(id.Trim()) : null;
        var from = byPosition is not null && byOrder is not null && byPosition.Intersect(byOrder).ToList() is { Count: > 0 } both ? both
            : byPosition ?? byOrder ?? [];
        foreach (var index in from)
        {
            if (!_of.TryGetValue(index, out var list))
            {
                _of[index] = list = [];
            }

            list.Add(written);
        }
    }

    /// <summary>The letters written for the replayed letter at <paramref name="index"/>.</summary>
    public IReadOnlyList<DeadLetter> Of(int index) => _of.GetValueOrDefault(index) ?? [];

    private static void Index(Dictionary<string, List<int>> map, string key, int index)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(index);
    }
}
