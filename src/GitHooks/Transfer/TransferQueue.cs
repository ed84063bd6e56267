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
/// arrive, each with the adapter its batch answer chose (<see cref="TransferAdapters"/>). Large
/// objects are batched apart from small ones, offering the resumable adapter. Failures are retried
/// by <see cref="TransferRetries"/>; per-object errors are final.
/// </summary>
public sealed class TransferQueue(BatchClient batch, TransferAdapters adapters, RetryPolicy retry, TransferOptions options, TransferProgress progress)
{
    public TransferQueue(BatchClient batch, ITransferAdapter adapter, RetryPolicy retry, TransferOptions options, TransferProgress progress)
        : this(batch, new TransferAdapters(adapter), retry, options, progress)
    {
    }

    private sealed record Work(LfsPointer Pointer, BatchResponseObject Answer, ITransferAdapter Adapter);

    public async Task<TransferResult> RunAsync(IEnumerable<LfsPointer> objects, string? refName, CancellationToken cancellationToken)
    {
        var result = new TransferResult();
        var unique = objects.Where(p => p.Size > 0).DistinctBy(p => p.Oid).OrderByDescending(p => p.Size).ToList();
        var (channel, workers) = StartWorkers(refName, result, cancellationToken);
        try
        {
            foreach (var group in unique.GroupBy(adapters.OffersResumable))
            {
                foreach (var chunk in group.Chunk(Math.Max(1, options.BatchSize)))
                {
                    await SendAsync(chunk, refName, channel.Writer, result, cancellationToken);
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
        var (channel, workers) = StartWorkers(refName, result, cancellationToken);
        var batchSize = Math.Max(1, options.BatchSize);
        var seen = new HashSet<StorageServer.Protocol.Oid>();
        var chunk = new List<LfsPointer>(batchSize);
        async Task FlushAsync()
        {
            var requested = chunk.OrderByDescending(p => p.Size).ToArray();
            chunk.Clear();
            foreach (var group in requested.GroupBy(adapters.OffersResumable))
            {
                await SendAsync([.. group], refName, channel.Writer, result, cancellationToken);
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
                            await FlushAsync();
                        }
                    }
                }
                if (chunk.Count > 0 && !await MoreSoonAsync(input, linger, cancellationToken))
                {
                    await FlushAsync();
                }
            }
            if (chunk.Count > 0)
            {
                await FlushAsync();
            }
        }
        finally
        {
            channel.Writer.Complete();
            await Task.WhenAll(workers);
        }
        return result;
    }

    private (Channel<Work> Channel, List<Task> Workers) StartWorkers(string? refName, TransferResult result, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleWriter = true });
        var retries = new TransferRetries(batch, adapters, retry);
        var workers = Enumerable.Range(0, Math.Max(1, options.Concurrency))
            .Select(_ => Task.Run(() => WorkAsync(channel.Reader, retries, refName, result, cancellationToken), cancellationToken))
            .ToList();
        return (channel, workers);
    }

    private async Task SendAsync(LfsPointer[] requested, string? refName, ChannelWriter<Work> writer, TransferResult result, CancellationToken cancellationToken)
    {
        var response = await batch.RequestAsync(adapters.Operation, requested, refName, cancellationToken, adapters.Offer(requested[0]));
        var adapter = adapters.Chosen(response.Transfer);
        foreach (var (pointer, answer) in Match(requested, response, adapter, result))
        {
            await writer.WriteAsync(new Work(pointer, answer, adapter), cancellationToken);
        }
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
    private IEnumerable<(LfsPointer, BatchResponseObject)> Match(LfsPointer[] requested, BatchResponse response, ITransferAdapter adapter, TransferResult result)
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

    private async Task WorkAsync(ChannelReader<Work> reader, TransferRetries retries, string? refName, TransferResult result, CancellationToken cancellationToken)
    {
        await foreach (var work in reader.ReadAllAsync(cancellationToken))
        {
            var failure = await retries.TransferAsync(work.Pointer, work.Answer, work.Adapter, refName, cancellationToken);
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
}
