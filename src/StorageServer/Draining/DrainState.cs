namespace StorageServer.Draining;

/// <summary>Whether this node is draining before it stops (set once, on SIGTERM).</summary>
public sealed class DrainState
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public void Begin() => _draining = true;
}
