using GitHooks.LocalStorage;

namespace GitHooks.Git;

/// <summary>
/// Git's long-running filter protocol, version 2 (Documentation/gitattributes.txt, "Long Running
/// Filter Process"): handshake, then one request per file — headers, content, flush — answered
/// with a status, the filtered content and a final status list. We offer clean and smudge; delay
/// is not needed because smudge never goes to the network.
/// </summary>
public sealed class FilterProcessServer(Stream input, Stream output, FileFilter filter, LfsObjectStore store)
{
    private readonly PktLineReader _reader = new(input);
    private readonly PktLineWriter _writer = new(output);

    /// <summary>Called for each smudged file left as a pointer, so the caller can report it.</summary>
    public Action<string>? PointerLeft { get; init; }

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
        foreach (var capability in new[] { "capability=clean", "capability=smudge" })
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

    /// <summary>Small input stays in memory; anything pointer-sized or larger goes to a temp file.</summary>
    private async Task<(Stream Source, string? Path)> SpoolAsync(PktLineContentReadStream content, CancellationToken cancellationToken)
    {
        var head = new byte[StorageServer.Protocol.Pointers.LfsPointer.MaxSize];
        var length = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (length < head.Length)
        {
            return (new MemoryStream(head, 0, length, writable: false), null);
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
