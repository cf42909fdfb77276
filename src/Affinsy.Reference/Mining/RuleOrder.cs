using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Mining;

/// <summary>
/// The contract's rule order: lift desc, confidence desc, support desc, then antecedent, then consequent as
/// sorted name arrays (ordinal). Metrics are compared as exact cross-products of counts (N cancels out).
/// </summary>
internal sealed class RuleOrder(List<int> nameRanks) : IComparer<RuleCandidate>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Compare(RuleCandidate a, RuleCandidate b)
    {
        // lift(a) > lift(b)  <=>  a.c / (a.x a.y) > b.c / (b.x b.y)
        var liftA = (Int128)a.Count * b.AntecedentCount * b.ConsequentCount;
        var liftB = (Int128)b.Count * a.AntecedentCount * a.ConsequentCount;
        var byLift = liftB.CompareTo(liftA);
        if (byLift != 0)
        {
            return byLift;
        }

        var byConfidence = ((long)b.Count * a.AntecedentCount).CompareTo((long)a.Count * b.AntecedentCount);
        if (byConfidence != 0)
        {
            return byConfidence;
        }

        var bySupport = b.Count.CompareTo(a.Count);
        if (bySupport != 0)
        {
            return bySupport;
        }

        var ranks = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nameRanks);
        var byAntecedent = ranks.Slice(a.NamesOffset, a.AntecedentLength)
            .SequenceCompareTo(ranks.Slice(b.NamesOffset, b.AntecedentLength));
        if (byAntecedent != 0)
        {
            return byAntecedent;
        }

        return ranks.Slice(a.NamesOffset + a.AntecedentLength, a.ConsequentLength)
            .SequenceCompareTo(ranks.Slice(b.NamesOffset + b.AntecedentLength, b.ConsequentLength));
    }
}
