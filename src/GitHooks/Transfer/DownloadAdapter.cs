using System.Net;
using System.Security.Cryptography;
using GitHooks.Api;
using GitHooks.LocalStorage;
using GitHooks.Progress;
using StorageServer.Protocol;
using Oid = StorageServer.Protocol.Oid;
using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Transfer;

/// <summary>
/// Basic download: GET the action's href into <c>.git/lfs/incomplete/&lt;oid&gt;.part</c> while
/// hashing; an interrupted download keeps its part file and the next attempt asks for the rest
/// with <c>Range</c> (206 appends, 200 starts over, 416 discards). Only an object whose SHA-256
/// matches its oid is renamed into the cache.
/// </summary>
public sealed class DownloadAdapter(LfsHttpClient http, LfsObjectStore store, TransferProgress progress, TimeProvider time) : ITransferAdapter
{
    private const int BufferSize = 1 << 16;

    public string Operation => BatchOperations.Download;

    public bool NothingToDo(BatchResponseObject answer) => false;

    public async Task TransferAsync(LfsPointer pointer, BatchResponseObject answer, CancellationToken cancellationToken)
    {
        if (store.Contains(pointer))
        {
            return; // Another worker or an earlier run already has it.
        }
        var action = answer.Actions?.Download ?? throw new TransferException("the server gave no download action", retryable: false);
        Directory.CreateDirectory(store.IncompleteDirectory);
        var partPath = store.IncompletePath(pointer.Oid);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var have = await HashExistingPartAsync(partPath, pointer.Size, hash, cancellationToken);

        using var response = await http.SendAsync(() =>
        {
            var request = ActionRequests.Create(HttpMethod.Get, action);
            if (have > 0)
            {
                request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(have, pointer.Size - 1);
            }
            return request;
        }, ActionRequests.NeedsCredentials(answer, action), cancellationToken);

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(partPath);
            throw new TransferException("the server refused to resume (416); starting over", retryable: true, 416, TimeSpan.Zero);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw ActionRequests.FromStatus(response, "download", time);
        }
        var resumed = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
        if (!resumed)
        {
            // 200 (or a 206 for some other range) carries the body from byte 0.
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                File.Delete(partPath);
                throw new TransferException("the server resumed at the wrong offset; starting over", retryable: true, 206, TimeSpan.Zero);
            }
            have = 0;
            hash.GetHashAndReset();
        }
        await ReceiveAsync(response, partPath, have, pointer, hash, cancellationToken);
    }

    private async Task ReceiveAsync(HttpResponseMessage response, string partPath, long have, LfsPointer pointer, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var written = have;
        await using (var part = new FileStream(partPath, have > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
        {
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    if (written + read > pointer.Size)
                    {
                        throw new TransferException($"the server sent more than {pointer.Size} bytes", retryable: false);
                    }
                    hash.AppendData(buffer, 0, read);
                    await part.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    written += read;
                    progress.AddBytes(read);
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                // Keep the part file: the retry resumes from here with Range.
                throw new TransferException($"download interrupted after {written} of {pointer.Size} bytes: {ex.Message}", retryable: true, inner: ex);
            }
        }
        if (written < pointer.Size)
        {
            throw new TransferException($"download ended after {written} of {pointer.Size} bytes", retryable: true);
        }
        var actual = Oid.FromHash(hash.GetHashAndReset());
        if (actual != pointer.Oid)
        {
            File.Delete(partPath);
            throw new TransferException($"expected OID {pointer.Oid}, got {actual} after {written} bytes written", retryable: false);
        }
        store.Commit(partPath, pointer.Oid);
    }

    /// <summary>Feeds the bytes already on disk to the hash; returns how many there are.</summary>
    private static async Task<long> HashExistingPartAsync(string partPath, long size, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var info = new FileInfo(partPath);
        if (!info.Exists || info.Length == 0)
        {
            return 0;
        }
        if (info.Length >= size)
        {
            File.Delete(partPath);
            return 0;
        }
        await using var part = new FileStream(partPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var buffer = new byte[BufferSize];
        int read;
        while ((read = await part.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
        return info.Length;
    }
}
