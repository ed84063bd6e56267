using GitHooks.Api;
using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Transfer;

/// <summary>
/// Moves one object, retrying as git-lfs does: a retryable failure waits (backoff or Retry-After,
/// announced on stderr) and goes through a fresh one-object batch, so an expired action is
/// replaced and the adapter is chosen again. Per-object errors and other failures are final.
/// </summary>
internal sealed class TransferRetries(BatchClient batch, TransferAdapters adapters, RetryPolicy retry)
{
    /// <summary>Null when the object was moved (or the server turned out to have it).</summary>
    public async Task<TransferFailure?> TransferAsync(LfsPointer pointer, BatchResponseObject answer, ITransferAdapter adapter, string? refName, CancellationToken cancellationToken)
    {
        for (var retryNumber = 1; ; retryNumber++)
        {
            try
            {
                await adapter.TransferAsync(pointer, answer, cancellationToken);
                return null;
            }
            catch (TransferException ex) when (ex.Retryable && retryNumber <= retry.MaxRetries)
            {
                await retry.WaitAsync(retryNumber, ex.RetryAfter, $"{adapter.Operation} of {pointer.Oid.Value[..12]}: {ex.Message}", cancellationToken);
            }
            catch (TransferException ex)
            {
                return new TransferFailure(pointer, ex.StatusCode, ex.Message);
            }
            catch (Exception ex) when (ex is LocalStorage.UserException or IOException)
            {
                return new TransferFailure(pointer, null, ex.Message);
            }

            BatchResponse again;
            try
            {
                again = await batch.RequestAsync(adapters.Operation, [pointer], refName, cancellationToken, adapters.Offer(pointer));
            }
            catch (LocalStorage.UserException ex)
            {
                return new TransferFailure(pointer, null, ex.Message);
            }
            adapter = adapters.Chosen(again.Transfer);
            var fresh = again.Objects.FirstOrDefault(o => o.Oid == pointer.Oid.Value);
            if (fresh?.Error is { } error)
            {
                return new TransferFailure(pointer, error.Code, error.Message);
            }
            if (fresh is null)
            {
                return new TransferFailure(pointer, null, "the server's batch response left this object out");
            }
            if (adapter.NothingToDo(fresh))
            {
                return null;
            }
            answer = fresh;
        }
    }
}
