using Microsoft.Extensions.Options;

namespace StorageServer.Retention.Planning;

/// <summary>
/// The pointers in a commit's tree, kept across pushes and marks: a commit id fixes its tree, so
/// an entry never goes stale (in any repository). Without it every push re-read the tree of
/// every protected tip; with it a push reads only the tips it moved. Least recently used entries
/// go first once <see cref="RetentionOptions.TipPointerCacheSize"/> pointers are held.
/// </summary>
public sealed class TipPointerCache(IOptions<RetentionOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Commit, IReadOnlyList<TipPointer> Pointers)>> _byCommit = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Commit, IReadOnlyList<TipPointer> Pointers)> _recency = new();
    private long _held;

    public bool TryGet(string commit, out IReadOnlyList<TipPointer> pointers)
    {
        lock (_lock)
        {
            if (_byCommit.TryGetValue(commit, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                pointers = node.Value.Pointers;
                return true;
            }
        }
        pointers = [];
        return false;
    }

    public void Add(string commit, IReadOnlyList<TipPointer> pointers)
    {
        var capacity = options.Value.TipPointerCacheSize;
        // Each entry also costs its key: a tree without pointers still counts as one.
        var weight = pointers.Count + 1L;
        if (weight > capacity)
        {
            return;
        }
        lock (_lock)
        {
            if (_byCommit.ContainsKey(commit))
            {
                return;
            }
            _byCommit[commit] = _recency.AddFirst((commit, pointers));
            _held += weight;
            while (_held > capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _byCommit.Remove(oldest.Value.Commit);
                _held -= oldest.Value.Pointers.Count + 1L;
            }
        }
    }
}
