using StorageServer.Objects;

namespace StorageServer.Dvc.Objects;

/// <summary>
/// What a repository's DVC remote may answer for one object: the claim state of the SHA-256 its
/// MD5 maps to, and for a manifest how many of its entries this repository lacks (a manifest with
/// any missing is never served: DVC would trust it and skip its entries).
/// </summary>
public sealed record DvcObjectStatus(ClaimState State, string? Oid, long Size, int MissingEntries)
{
    public static readonly DvcObjectStatus Unknown = new(ClaimState.Missing, null, 0, 0);

    public bool Servable => State == ClaimState.Live && MissingEntries == 0;
}
