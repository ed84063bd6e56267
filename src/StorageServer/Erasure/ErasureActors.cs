namespace StorageServer.Erasure;

/// <summary>Who the audit trail names for the server's own erasure work.</summary>
public static class ErasureActors
{
    public const string System = "system:erasure";
}
