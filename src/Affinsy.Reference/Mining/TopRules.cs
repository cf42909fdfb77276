using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Mining;

/// <summary>
/// The best <c>take</c> rules in order without sorting every candidate: a bounded max-heap keeps the kept rules
/// with the worst of them on top, so each further candidate costs one comparison unless it beats that one
/// (O(n log take) instead of O(n log n)). The rule order is total, so the selection is deterministic.
/// </summary>
internal static class TopRules
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RuleCandidate[] Select(ReadOnlySpan<RuleCandidate> candidates, int take, IComparer<RuleCandidate> order)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        if (take >= candidates.Length)
        {
            var all = candidates.ToArray();
            Array.Sort(all, order);
            return all;
        }

        var heap = candidates[..take].ToArray();
        for (var i = (take / 2) - 1; i >= 0; i--)
        {
            SiftDown(heap, i, order);
        }

        foreach (var candidate in candidates[take..])
        {
            if (order.Compare(candidate, heap[0]) < 0)
            {
                heap[0] = candidate;
                SiftDown(heap, 0, order);
            }
        }

        Array.Sort(heap, order);
        return heap;
    }

    // Restores "every parent orders after its children" (the worst rule at the root) below index i.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SiftDown(RuleCandidate[] heap, int i, IComparer<RuleCandidate> order)
    {
        var item = heap[i];
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= heap.Length)
            {
                break;
            }

            if (child + 1 < heap.Length && order.Compare(heap[child + 1], heap[child]) > 0)
            {
                child++;
            }

            if (order.Compare(heap[child], item) <= 0)
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        heap[i] = item;
    }
}
