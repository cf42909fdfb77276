using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Mining;

/// <summary>
/// The best <c>take</c> rules in order without sorting every candidate: a bounded max-heap keeps the kept rules
/// with the worst of them on top, so each further candidate costs one comparison unless it beats that one
/// (O(n log take) instead of O(n log n)); the heap is then sorted in place (heapsort), best first. The rule order is
/// total, so the selection is deterministic. No <c>Array.Sort</c>: its helpers over the candidate struct would be
/// compiled at run time for a sort of at most <c>take</c> rules, which costs more than the sort in a short process.
/// </summary>
internal static class TopRules
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RuleCandidate[] Select(ReadOnlySpan<RuleCandidate> candidates, int take, IComparer<RuleCandidate> order)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        var heap = candidates[..Math.Min(take, candidates.Length)].ToArray();
        for (var i = (heap.Length / 2) - 1; i >= 0; i--)
        {
            SiftDown(heap, i, heap.Length, order);
        }

        if (heap.Length > 0)
        {
            foreach (var candidate in candidates[heap.Length..])
            {
                if (order.Compare(candidate, heap[0]) < 0)
                {
                    heap[0] = candidate;
                    SiftDown(heap, 0, heap.Length, order);
                }
            }
        }

        // The worst kept rule moves to the end, then the worst of the rest before it, ...: best first.
        for (var end = heap.Length - 1; end > 0; end--)
        {
            (heap[0], heap[end]) = (heap[end], heap[0]);
            SiftDown(heap, 0, end, order);
        }

        return heap;
    }

    // Restores "every parent orders after its children" (the worst rule at the root) below index i in heap[0..length).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SiftDown(RuleCandidate[] heap, int i, int length, IComparer<RuleCandidate> order)
    {
        var item = heap[i];
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= length)
            {
                break;
            }

            if (child + 1 < length && order.Compare(heap[child + 1], heap[child]) > 0)
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
