namespace StorageServer.Objects.Recording;

/// <summary>How recording an upload ended. Only <see cref="Recorded"/> committed anything.</summary>
public enum RecordOutcome
{
    /// <summary>Object live, claim given, lease released, all in one committed transaction.</summary>
    Recorded,

    /// <summary>An erasure restricted the object while its bytes were landing: nothing recorded; the erasure deletes the bytes once the lease is gone.</summary>
    Restricted,

    /// <summary>The object was already purged: nothing recorded, and the bytes just stored must go.</summary>
    Purged,
}
