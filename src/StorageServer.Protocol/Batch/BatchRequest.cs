namespace StorageServer.Protocol.Batch;

/// <summary><c>POST …/info/lfs/objects/batch</c> body (tq/schemas/http-batch-request-schema.json).</summary>
public sealed record BatchRequest
{
    public string? Operation { get; init; }

    /// <summary>Adapter names the client offers; absent means <c>basic</c> only.</summary>
    public IReadOnlyList<string>? Transfers { get; init; }

    public LfsRef? Ref { get; init; }

    public IReadOnlyList<BatchRequestObject>? Objects { get; init; }

    public string? HashAlgo { get; init; }
}

/// <summary>
/// One requested object. Kept as raw strings and numbers so that an invalid OID or size becomes
/// a per-object 422 error instead of failing the whole request.
/// </summary>
public sealed record BatchRequestObject(string? Oid, long Size);

public static class BatchOperations
{
    public const string Upload = "upload";
    public const string Download = "download";
}
