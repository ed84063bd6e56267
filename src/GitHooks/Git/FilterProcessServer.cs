using GitHooks.LocalStorage;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Git;

/// <summary>
/// Downloads the objects of delayed smudges into the cache, starting as soon as they are queued
/// (git is still sending smudges meanwhile). Reports each failure itself, once.
/// </summary>
public interface IDelayedFetcher
{
    /// <summary>Whether a path's object should be downloaded at all (<c>lfs.fetchinclude</c>/<c>lfs.fetchexclude</c>).</summary>
    Task<bool> WantsAsync(string path, CancellationToken cancellationToken);

    void Enqueue(string path, LfsPointer pointer);

    /// <summary>Waits until everything queued so far is downloaded or has failed; returns the failed ones.</summary>
    Task<IReadOnlyCollection<LfsPointer>> CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Git's long-running filter protocol, version 2 (Documentation/gitattributes.txt, "Long Running
/// Filter Process"): handshake, then one request per file — headers, content, flush — answered
/// with a status, the filtered content and a final status list. We offer clean and smudge, and
/// delay when a <see cref="Fetcher"/> is given: a smudge git marks <c>can-delay=1</c> whose object
/// is not cached is answered <c>status=delayed</c> and handed to the fetcher, which starts
/// downloading at once (batches of 100, parallel workers); on <c>list_available_blobs</c> we wait
/// for those downloads and list the paths; git then asks for each listed path again, with empty content, and gets the
/// data (or the pointer, for an object that could not be downloaded: git must never wait forever).
/// </summary>
public sealed class FilterProcessServer(Stream input, Stream output, FileFilter filter, LfsObjectStore store)
{
    private readonly PktLineReader _reader = new(input);
    private readonly PktLineWriter _writer = new(output);

    /// <summary>Called for each smudged file left as a pointer, so the caller can report it.</summary>
    public Action<string>? PointerLeft { get; init; }

    /// <summary>When set (and git offers it), the delay capability is advertised.</summary>
    public IDelayedFetcher? Fetcher { get; init; }

    private bool _delay;

    /// <summary>Delayed smudges not yet downloaded: path → pointer.</summary>
    private readonly Dictionary<string, LfsPointer> _queued = new(StringComparer.Ordinal);

    /// <summary>Paths listed as available whose smudge git has not re-sent yet.</summary>
    private readonly Dictionary<string, LfsPointer> _listed = new(StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await HandshakeAsync(cancellationToken);
        while (true)
        {
            List<string> headers;
            try
            {
                headers = await _reader.ReadTextListAsync(cancellationToken);
            }
            catch (EndOfStreamException)
            {
                return; // git closed the pipe: the normal end of the session.
            }
            await HandleRequestAsync(headers, cancellationToken);
        }
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var welcome = await _reader.ReadTextListAsync(cancellationToken);
        if (welcome.Count == 0 || welcome[0] != "git-filter-client" || !welcome.Contains("version=2"))
        {
            throw new InvalidDataException("expected git-filter-client version=2 handshake");
        }
        await _writer.WriteTextAsync("git-filter-server", cancellationToken);
        await _writer.WriteTextAsync("version=2", cancellationToken);
        await _writer.WriteFlushAsync(cancellationToken);

        var offered = await _reader.ReadTextListAsync(cancellationToken);
        _delay = Fetcher is not null && offered.Contains("capability=delay");
        string[] supported = _delay ? ["capability=clean", "capability=smudge", "capability=delay"] : ["capability=clean", "capability=smudge"];
        foreach (var capability in supported)
        {
            if (offered.Contains(capability))
            {
                await _writer.WriteTextAsync(capability, cancellationToken);
            }
        }
        await _writer.WriteFlushAsync(cancellationToken);
    }

    private async Task HandleRequestAsync(List<string> headers, CancellationToken cancellationToken)
    {
        var command = Header(headers, "command");
        var pathname = Header(headers, "pathname") ?? string.Empty;
        if (command == "list_available_blobs" && _delay)
        {
            await ListAvailableBlobsAsync(cancellationToken); // no content section follows this request
            return;
        }
        var content = new PktLineContentReadStream(_reader);
        if (command is not ("clean" or "smudge"))
        {
            await content.DrainAsync(cancellationToken);
            await _writer.WriteTextAsync("status=error", cancellationToken);
            await _writer.WriteFlushAsync(cancellationToken);
            return;
        }

        // Git writes the whole content before it reads our answer, so the input is consumed
        // first: clean's output is a pointer (small, kept in memory); smudge input is spooled.
        string? spoolPath = null;
        Stream source = content;
        try
        {
            MemoryStream? pointer = null;
            try
            {
                if (command == "clean")
                {
                    pointer = new MemoryStream(capacity: 256);
                    await filter.CleanAsync(content, pointer, cancellationToken);
                }
                else
                {
                    (source, spoolPath) = await SpoolAsync(content, cancellationToken);
                    if (_delay && await TryDelayAsync(headers, pathname, source, cancellationToken))
                    {
                        return;
                    }
                    if (_listed.Remove(pathname, out var listed))
                    {
                        // The re-sent request of a delayed path: git sends no content this time.
                        await source.DisposeAsync();
                        source = new MemoryStream(listed.ToBytes(), writable: false);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await content.DrainAsync(cancellationToken);
                await _writer.WriteTextAsync("status=error", cancellationToken);
                await _writer.WriteFlushAsync(cancellationToken);
                return;
            }
            await _writer.WriteTextAsync("status=success", cancellationToken);
            await _writer.WriteFlushAsync(cancellationToken);
            var body = new PktLineContentWriteStream(_writer);
            if (pointer is not null)
            {
                await body.WriteAsync(pointer.GetBuffer().AsMemory(0, (int)pointer.Length), cancellationToken);
            }
            else if (await filter.SmudgeAsync(source, body, cancellationToken) is not null)
            {
                PointerLeft?.Invoke(pathname);
            }
            await body.FlushAsync(cancellationToken);
            await _writer.WriteFlushAsync(cancellationToken);
            await _writer.WriteFlushAsync(cancellationToken); // empty list: status stays success
        }
        finally
        {
            if (spoolPath is not null)
            {
                await source.DisposeAsync();
                File.Delete(spoolPath);
            }
        }
    }

    /// <summary>
    /// Delays a smudge git allows to delay when its input is a pointer to an object the cache
    /// lacks: answers <c>status=delayed</c> (no content, no final list) and queues the object.
    /// </summary>
    private async Task<bool> TryDelayAsync(List<string> headers, string pathname, Stream source, CancellationToken cancellationToken)
    {
        if (Header(headers, "can-delay") != "1" || source is not MemoryStream memory || pathname.Length == 0)
        {
            return false;
        }
        if (!LfsPointer.TryParse(memory.GetBuffer().AsSpan(0, (int)memory.Length), out var pointer) || pointer.Size == 0 || store.Contains(pointer)
            || !await Fetcher!.WantsAsync(pathname, cancellationToken))
        {
            return false; // An excluded path is smudged as its pointer.
        }
        _queued[pathname] = pointer;
        Fetcher!.Enqueue(pathname, pointer);
        await _writer.WriteTextAsync("status=delayed", cancellationToken);
        await _writer.WriteFlushAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Downloads everything queued and lists those paths, failed ones included (they will be
    /// smudged as pointers), then <c>status=success</c>. Nothing queued: an empty list, which
    /// tells git there is nothing more to wait for.
    /// </summary>
    private async Task ListAvailableBlobsAsync(CancellationToken cancellationToken)
    {
        var batch = _queued.Select(kv => (kv.Key, kv.Value)).ToList();
        _queued.Clear();
        if (batch.Count > 0)
        {
            // Failed objects need no bookkeeping here: the re-sent smudge finds them missing from
            // the cache and answers the pointer. The fetcher has already said why.
            await Fetcher!.CompleteAsync(cancellationToken);
            foreach (var (path, pointer) in batch)
            {
                _listed[path] = pointer;
            }
        }
        foreach (var (path, _) in batch)
        {
            await _writer.WriteTextAsync("pathname=" + path, cancellationToken);
        }
        await _writer.WriteFlushAsync(cancellationToken);
        await _writer.WriteTextAsync("status=success", cancellationToken);
        await _writer.WriteFlushAsync(cancellationToken);
    }

    /// <summary>Small input stays in memory; anything pointer-sized or larger goes to a temp file.</summary>
    private async Task<(Stream Source, string? Path)> SpoolAsync(PktLineContentReadStream content, CancellationToken cancellationToken)
    {
        var head = new byte[StorageServer.Protocol.Pointers.LfsPointer.MaxSize];
        var length = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (length < head.Length)
        {
            return (new MemoryStream(head, 0, length, writable: false, publiclyVisible: true), null);
        }
        var temp = store.CreateTempFile();
        await temp.WriteAsync(head, cancellationToken);
        await content.CopyToAsync(temp, 1 << 16, cancellationToken);
        temp.Position = 0;
        return (temp, temp.Name);
    }

    private static string? Header(List<string> headers, string key) =>
        headers.FirstOrDefault(h => h.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];
}
