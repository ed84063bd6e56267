using System.Collections.Concurrent;
using System.Threading.Channels;
using GitHooks.Api;
using GitHooks.Progress;
using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Transfer;

public sealed record TransferOptions(int BatchSize = 100, int Concurrency = 8);

/// <summary>What happened to each object handed to the queue.</summary>
public sealed class TransferResult
{
    public ConcurrentBag<LfsPointer> Transferred { get; } = [];

    /// <summary>Upload objects the server already had (no actions in its answer).</summary>
    public ConcurrentBag<LfsPointer> Skipped { get; } = [];

    public ConcurrentBag<TransferFailure> Failed { get; } = [];
}

/// <summary>
/// git-lfs's transfer queue in miniature: objects go to the batch API 100 at a time (largest
/// first), and N workers (default 8, <c>lfs.concurrenttransfers</c>) move them as the answers
/// arrive. A retryable failure waits (backoff or Retry-After) and goes through a fresh
/// one-object batch, so an expired action is replaced. Per-object errors are final.
/// </summary>
public sealed class TransferQueue(BatchClient batch, ITransferAdapter adapter, RetryPolicy retry, TransferOptions options, TransferProgress progress)
{
    private sealed record Work(LfsPointer Pointer, BatchResponseObject Answer);

    public async Task<TransferResult> RunAsync(IEnumerable<LfsPointer> objects, string? refName, CancellationToken cancellationToken)
    {
        var result = new TransferResult();
        var unique = objects.Where(p => p.Size > 0).DistinctBy(p => p.Oid).OrderByDescending(p => p.Size).ToList();
        var channel = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleWriter = true });
        var workers = Enumerable.Range(0, Math.Max(1, options.Concurrency))
            .Select(_ => Task.Run(() => WorkAsync(channel.Reader, refName, result, cancellationToken), cancellationToken))
            .ToList();
        try
        {
            foreach (var chunk in unique.Chunk(Math.Max(1, options.BatchSize)))
            {
                var response = await batch.RequestAsync(adapter.Operation, chunk, refName, cancellationToken);
                foreach (var (pointer, answer) in Match(chunk, response, result))
                {
                    await channel.Writer.WriteAsync(new Work(pointer, answer), cancellationToken);
                }
            }
        }
        finally
        {
            channel.Writer.Complete();
            await Task.WhenAll(workers);
        }
        return result;
    }

    /// <summary>
    /// The same queue fed while it runs (a delayed checkout: git is still sending smudges while
    /// the first batches download). A batch goes out when it is full, or when no more objects
    /// arrived for <paramref name="linger"/>; the run ends when <paramref name="input"/> completes.
    /// </summary>
    public async Task<TransferResult> RunAsync(ChannelReader<LfsPointer> input, string? refName, TimeSpan linger, CancellationToken cancellationToken)
    {
        var result = new TransferResult();
        var channel = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleWriter = true });
        var workers = Enumerable.Range(0, Math.Max(1, options.Concurrency))
            .Select(_ => Task.Run(() => WorkAsync(channel.Reader, refName, result, cancellationToken), cancellationToken))
            .ToList();
        var batchSize = Math.Max(1, options.BatchSize);
        var seen = new HashSet<StorageServer.Protocol.Oid>();
        var chunk = new List<LfsPointer>(batchSize);
        async Task SendAsync()
        {
            var requested = chunk.OrderByDescending(p => p.Size).ToArray();
            chunk.Clear();
            var response = await batch.RequestAsync(adapter.Operation, requested, refName, cancellationToken);
            foreach (var (pointer, answer) in Match(requested, response, result))
            {
                await channel.Writer.WriteAsync(new Work(pointer, answer), cancellationToken);
            }
        }
        try
        {
            while (await input.WaitToReadAsync(cancellationToken))
            {
                while (input.TryRead(out var pointer))
                {
                    if (pointer.Size > 0 && seen.Add(pointer.Oid))
                    {
                        chunk.Add(pointer);
                        if (chunk.Count == batchSize)
                        {
                            await SendAsync();
                        }
                    }
                }
                if (chunk.Count > 0 && !await MoreSoonAsync(input, linger, cancellationToken))
                {
                    await SendAsync();
                }
            }
            if (chunk.Count > 0)
            {
                await SendAsync();
            }
        }
        finally
        {
            channel.Writer.Complete();
            await Task.WhenAll(workers);
        }
        return result;
    }

    /// <summary>True when more input arrives within <paramref name="linger"/>; false on timeout or end.</summary>
    private static async Task<bool> MoreSoonAsync(ChannelReader<LfsPointer> input, TimeSpan linger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(linger);
        try
        {
            return await input.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Pairs each requested object with the server's answer; final answers are recorded here.</summary>
    private IEnumerable<(LfsPointer, BatchResponseObject)> Match(LfsPointer[] requested, BatchResponse response, TransferResult result)
    {
        var answers = response.Objects.GroupBy(o => o.Oid).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var pointer in requested)
        {
            if (!answers.TryGetValue(pointer.Oid.Value, out var answer))
            {
                result.Failed.Add(new TransferFailure(pointer, null, "the server's batch response left this object out"));
            }
            else if (answer.Error is { } error)
            {
                result.Failed.Add(new TransferFailure(pointer, error.Code, error.Message));
                progress.FileDone();
            }
            else if (adapter.NothingToDo(answer))
            {
                result.Skipped.Add(pointer);
                progress.FileSkipped(pointer.Size);
            }
            else
            {
                yield return (pointer, answer);
            }
        }
    }

    private async Task WorkAsync(ChannelReader<Work> reader, string? refName, TransferResult result, CancellationToken cancellationToken)
    {
        await foreach (var work in reader.ReadAllAsync(cancellationToken))
        {
            var failure = await TransferWithRetriesAsync(work, refName, cancellationToken);
            if (failure is null)
            {
                result.Transferred.Add(work.Pointer);
            }
            else
            {
                result.Failed.Add(failure);
            }
            progress.FileDone();
        }
    }

    private async Task<TransferFailure?> TransferWithRetriesAsync(Work work, string? refName, CancellationToken cancellationToken)
    {
        var answer = work.Answer;
        for (var retryNumber = 1; ; retryNumber++)
        {
            try
            {
                await adapter.TransferAsync(work.Pointer, answer, cancellationToken);
                return null;
            }
            catch (TransferException ex) when (ex.Retryable && retryNumber <= retry.MaxRetries)
            {
                await retry.WaitAsync(retryNumber, ex.RetryAfter, cancellationToken);
            }
            catch (TransferException ex)
            {
                return new TransferFailure(work.Pointer, ex.StatusCode, ex.Message);
            }
            catch (Exception ex) when (ex is LocalStorage.UserException or IOException)
            {
                return new TransferFailure(work.Pointer, null, ex.Message);
            }

            BatchResponse again;
            try
            {
                again = await batch.RequestAsync(adapter.Operation, [work.Pointer], refName, cancellationToken);
            }
            catch (LocalStorage.UserException ex)
            {
                return new TransferFailure(work.Pointer, null, ex.Message);
            }
            var fresh = again.Objects.FirstOrDefault(o => o.Oid == work.Pointer.Oid.Value);
            if (fresh?.Error is { } error)
            {
                return new TransferFailure(work.Pointer, error.Code, error.Message);
            }
            if (fresh is null || adapter.NothingToDo(fresh))
            {
                return fresh is null ? new TransferFailure(work.Pointer, null, "the server's batch response left this object out") : null;
            }
            answer = fresh;
        }
    }
}
