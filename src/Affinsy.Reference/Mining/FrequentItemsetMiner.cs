using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Mining;

/// <summary>
/// Exact frequent-itemset mining by depth-first search with occurrence delivery (the counting scheme of
/// Uno et al.'s LCM), chosen for sparse retail-like data:
/// <list type="bullet">
/// <item>An itemset P is represented by its occurrence list: for each basket holding P, the position just
/// after P's last item in that basket. One pass over those basket suffixes counts every one-item extension of P
/// at once, so the cost of a search node is the size of its conditional data, never items x baskets as a
/// pairwise tidlist intersection (Eclat) would be with thousands of rare items.</item>
/// <item>No tree is built (FP-Growth's conditional trees cost pointer-chasing and allocation per node); the
/// search reads the basket set's own flat int array (a -1 after each basket), and every buffer is reused across nodes.</item>
/// <item>Items are coded by ascending frequency, so a prefix starts with its rarest item and its occurrence
/// lists shrink fast; extensions only ever add larger codes, so each itemset is produced exactly once.</item>
/// </list>
/// </summary>
internal static class FrequentItemsetMiner
{
    /// <summary>Every itemset of size 1..maxLen (0 = no limit) held by at least <paramref name="minCount"/> baskets.</summary>
    public static FrequentItemsets Mine(BasketSet baskets, int minCount, int maxLen, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(baskets);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLen);
        return new Search(baskets, minCount, maxLen == 0 ? int.MaxValue : maxLen, ct).Run();
    }

    private sealed class Search
    {
        private const int EndOfBasket = BasketSet.EndOfBasket;

        private readonly BasketSet _baskets;
        private readonly int _minCount;
        private readonly int _maxLen;
        private readonly CancellationToken _ct;
        private readonly int _first;

        // The baskets' cells, each basket followed by EndOfBasket; the search reads only their frequent suffixes.
        private int[] _db = [];

        // Per frequent item (code - _first): where its delivered occurrences go, how many, and its support at this node.
        private int[] _bucket = [];
        private int[] _bucketStart = [];
        private int[] _bucketEnd = []; // where the item's next occurrence goes: one load and store per delivery
        private int[] _support = [];
        private int[] _touched = [];
        private int _touchedCount;

        // Occurrence lists of the nodes on the current search path, stacked.
        private int[] _pool = new int[1024];
        private int _poolTop;

        // Per node: its frequent extensions, then (item, support, occurrence offset, occurrence length) records.
        private int[] _frames = new int[1024];
        private int _frameTop;

        private readonly int[] _prefix;
        private long _nodes;

        private int[] _outItems = new int[1024];
        private int _outItemCount;
        private int[] _outOffsets = new int[256];
        private int[] _outCounts = new int[256];
        private int _outCount;

        public Search(BasketSet baskets, int minCount, int maxLen, CancellationToken ct)
        {
            _baskets = baskets;
            _minCount = minCount;
            _maxLen = maxLen;
            _ct = ct;
            _first = baskets.FirstFrequentCode(minCount);
            _prefix = new int[Math.Max(1, baskets.DistinctItems - _first)];
        }

        public FrequentItemsets Run()
        {
            var frequentItems = _baskets.DistinctItems - _first;
            if (frequentItems > 0)
            {
                Prepare(frequentItems);
                Expand(0, 0, _poolTop);
            }

            return new FrequentItemsets(_outItems, _outOffsets, _outCounts, _outCount, _minCount, _maxLen == int.MaxValue ? 0 : _maxLen);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Prepare(int frequentItems)
        {
            // The search reads the basket set's own cells: a frequent suffix runs to its basket's end marker.
            _db = _baskets.Cells;
            _pool = new int[Math.Max(1024, _baskets.Count * 2)];
            for (var b = 0; b < _baskets.Count; b++)
            {
                var basket = _baskets.Basket(b);
                var kept = Kept(basket);
                if (kept.Length > 0)
                {
                    _pool[_poolTop++] = _baskets.BasketStart(b) + basket.Length - kept.Length;
                }
            }

            _bucketStart = new int[frequentItems];
            var total = 0;
            for (var j = 0; j < frequentItems; j++)
            {
                _bucketStart[j] = total;
                total += _baskets.ItemCount(_first + j);
            }

            _bucket = new int[total];
            _bucketEnd = (int[])_bucketStart.Clone();
            _support = new int[frequentItems];
            _touched = new int[frequentItems];
        }

        // Basket codes ascend with frequency, so the frequent items are a suffix of every basket.
        private ReadOnlySpan<int> Kept(ReadOnlySpan<int> basket)
        {
            var start = basket.Length;
            while (start > 0 && basket[start - 1] >= _first)
            {
                start--;
            }

            return basket[start..];
        }

        // One node of the depth-first search: count the extensions (Deliver), keep the frequent ones in ascending order
        // with a copy of their basket suffixes on the pool, clear the counters, then emit and recurse into each. Over
        // 60 lines because the three steps share the frame and pool marks that the recursion must restore; split into
        // methods they would pass those by ref through the hottest loop of the miner.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Expand(int depth, int occOffset, int occLength)
        {
            if ((_nodes++ & 0x3FF) == 0)
            {
                _ct.ThrowIfCancellationRequested();
            }

            Deliver(occOffset, occLength);

            var poolMark = _poolTop;
            var frameBase = _frameTop;
            var extensions = 0;
            for (var t = 0; t < _touchedCount; t++)
            {
                var j = _touched[t];
                if (_support[j] >= _minCount)
                {
                    PushFrame(j);
                    extensions++;
                }
            }

            _frames.AsSpan(frameBase, extensions).Sort();
            var childrenGrow = depth + 2 <= _maxLen;
            var recordBase = _frameTop;
            for (var e = 0; e < extensions; e++)
            {
                var j = _frames[frameBase + e];
                var length = childrenGrow ? _bucketEnd[j] - _bucketStart[j] : 0;
                PushFrame(j);
                PushFrame(_support[j]);
                PushFrame(_poolTop);
                PushFrame(length);
                if (length > 0)
                {
                    EnsurePool(length);
                    Array.Copy(_bucket, _bucketStart[j], _pool, _poolTop, length);
                    _poolTop += length;
                }
            }

            for (var t = 0; t < _touchedCount; t++)
            {
                var j = _touched[t];
                _support[j] = 0;
                _bucketEnd[j] = _bucketStart[j];
            }

            _touchedCount = 0;

            for (var e = 0; e < extensions; e++)
            {
                var record = recordBase + (e * 4);
                var j = _frames[record];
                _prefix[depth] = _first + j;
                Emit(depth + 1, _frames[record + 1]);
                var length = _frames[record + 3];
                if (length > 0)
                {
                    Expand(depth + 1, _frames[record + 2], length);
                }
            }

            _frameTop = frameBase;
            _poolTop = poolMark;
        }

        // Counts every one-item extension of the current itemset in one pass over its basket suffixes. Each cell is
        // read once (the next item is carried over) and the touched list stays in a local until the pass ends.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Deliver(int occOffset, int occLength)
        {
            var db = _db;
            var bucket = _bucket;
            var bucketEnd = _bucketEnd;
            var support = _support;
            var touched = _touched;
            var touchedCount = _touchedCount;
            var first = _first;
            foreach (var start in _pool.AsSpan(occOffset, occLength))
            {
                var p = start;
                var item = db[p];
                while (item != EndOfBasket)
                {
                    var next = db[p + 1];
                    var j = item - first;
                    if (support[j]++ == 0)
                    {
                        touched[touchedCount++] = j;
                    }

                    if (next != EndOfBasket)
                    {
                        bucket[bucketEnd[j]++] = p + 1;
                    }

                    p++;
                    item = next;
                }
            }

            _touchedCount = touchedCount;
        }

        private void PushFrame(int value)
        {
            if (_frameTop == _frames.Length)
            {
                Array.Resize(ref _frames, _frames.Length * 2);
            }

            _frames[_frameTop++] = value;
        }

        private void EnsurePool(int extra)
        {
            if (_poolTop + extra > _pool.Length)
            {
                Array.Resize(ref _pool, Math.Max(_pool.Length * 2, _poolTop + extra));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Emit(int length, int count)
        {
            if (_outItemCount + length > _outItems.Length)
            {
                Array.Resize(ref _outItems, Math.Max(_outItems.Length * 2, _outItemCount + length));
            }

            if (_outCount + 2 > _outOffsets.Length)
            {
                Array.Resize(ref _outOffsets, _outOffsets.Length * 2);
                Array.Resize(ref _outCounts, _outCounts.Length * 2);
            }

            _prefix.AsSpan(0, length).CopyTo(_outItems.AsSpan(_outItemCount));
            _outItemCount += length;
            _outCounts[_outCount] = count;
            _outOffsets[++_outCount] = _outItemCount;
        }
    }
}
