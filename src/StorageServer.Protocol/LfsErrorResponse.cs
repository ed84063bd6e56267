namespace StorageServer.Protocol;

/// <summary>The body of a whole-request error in the Git LFS API.</summary>
public sealed record LfsErrorResponse(string Message)
{
    public string? DocumentationUrl { get; init; }

    public string? RequestId { get; init; }
}
