namespace StorageServer.Dvc.Objects;

public enum DvcUploadOutcome
{
    /// <summary>New for this repository: 201.</summary>
    Stored,

    /// <summary>This repository had it already (DVC may overwrite): 200.</summary>
    AlreadyStored,

    /// <summary>Body past the size limit: 413, nothing stored.</summary>
    TooLarge,

    /// <summary>The bytes' MD5 is not the one in the path: 400, nothing stored.</summary>
    HashMismatch,

    /// <summary>A <c>.dir</c> that is not exactly DVC's manifest format: 400.</summary>
    BadManifest,

    /// <summary>A <c>.dir</c> listing files this repository does not hold: 409.</summary>
    IncompleteManifest,

    /// <summary>Erased under a data-protection request: 410, never stored again.</summary>
    Erased,

    /// <summary>A retention sweep is deleting these bytes right now: 503, retry.</summary>
    Busy,
}

/// <param name="Oid">SHA-256 of the bytes, when they were read to the end.</param>
public sealed record DvcUploadResult(DvcUploadOutcome Outcome, long Size, string? Oid, string? Reason = null)
{
    public bool Succeeded => Outcome is DvcUploadOutcome.Stored or DvcUploadOutcome.AlreadyStored;
}
