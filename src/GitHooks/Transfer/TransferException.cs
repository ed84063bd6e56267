namespace GitHooks.Transfer;

/// <summary>
/// A failed transfer of one object. <see cref="Retryable"/> failures go back through the batch
/// API after a backoff (a fresh action may fix an expired token); the others fail the object.
/// </summary>
public sealed class TransferException(string message, bool retryable, int? statusCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;

    public int? StatusCode { get; } = statusCode;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>One object the queue could not transfer, with the server's code when it gave one.</summary>
public sealed record TransferFailure(StorageServer.Protocol.Pointers.LfsPointer Pointer, int? Code, string Message);
