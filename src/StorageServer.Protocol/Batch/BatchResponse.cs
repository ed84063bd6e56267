namespace StorageServer.Protocol.Batch;

/// <summary>Batch response (tq/schemas/http-batch-response-schema.json).</summary>
public sealed record BatchResponse(IReadOnlyList<BatchResponseObject> Objects)
{
    public string Transfer { get; init; } = LfsMediaTypes.BasicTransfer;

    public string HashAlgo { get; init; } = LfsMediaTypes.HashAlgorithm;
}

/// <summary>
/// One entry per requested object, echoing its oid and size: git-lfs 3.3 waits forever for an
/// object left out of the response.
/// </summary>
public sealed record BatchResponseObject(string Oid, long Size)
{
    public bool? Authenticated { get; init; }

    public BatchActions? Actions { get; init; }

    public ObjectError? Error { get; init; }
}

public sealed record BatchActions
{
    public BatchAction? Download { get; init; }

    public BatchAction? Upload { get; init; }

    public BatchAction? Verify { get; init; }
}

/// <summary>A transfer action; only these four keys are allowed by the response schema.</summary>
public sealed record BatchAction(string Href)
{
    public IReadOnlyDictionary<string, string>? Header { get; init; }

    public long? ExpiresIn { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A per-object error: 404 missing, 409 bad hash algorithm, 410 erased, 422 invalid.</summary>
public sealed record ObjectError(int Code, string Message);

/// <summary>Body of the optional verify call after an upload.</summary>
public sealed record VerifyRequest(string? Oid, long Size);
