using System.Globalization;
using System.Text;
using GitHooks.LocalStorage;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Migrate;

/// <summary>
/// Turns one blob into its migrated form, once per blob however many commits hold it: import
/// cleans the content into the local LFS cache and gives the pointer; export swaps a pointer for
/// the cached object's bytes. A converted blob is written to fast-import as a <c>blob</c> with a
/// mark of its own; null means the blob stays as it is (already a pointer, empty, or not one).
/// </summary>
public sealed class BlobConverter(bool import, CatFileReader reader, LfsObjectStore store)
{
    /// <summary>Above fast-export's marks (one per commit and tag), so the two never meet.</summary>
    private long _nextMark = 1_000_000_000;
    private readonly Dictionary<string, string?> _converted = new(StringComparer.Ordinal);

    public async Task<string?> ConvertAsync(string blob, Stream fastImport, CancellationToken cancellationToken)
    {
        if (_converted.TryGetValue(blob, out var known))
        {
            return known;
        }
        var mark = import ? await ImportAsync(blob, fastImport, cancellationToken) : await ExportAsync(blob, fastImport, cancellationToken);
        _converted[blob] = mark;
        return mark;
    }

    private async Task<string?> ImportAsync(string blob, Stream fastImport, CancellationToken cancellationToken)
    {
        var pointer = new MemoryStream();
        long size;
        await using (var content = await reader.OpenBlobAsync(blob, cancellationToken))
        {
            size = content.Length;
            await new FileFilter(store).CleanAsync(content, pointer, cancellationToken);
        }
        var bytes = pointer.ToArray();
        if (bytes.Length == 0 || bytes.Length == size && LfsPointer.IsCanonical(bytes))
        {
            return null; // empty (its own pointer), or a pointer already
        }
        return await WriteBlobAsync(fastImport, bytes, cancellationToken);
    }

    /// <summary>Writes <paramref name="content"/> as a new blob; returns its mark.</summary>
    public Task<string> WriteBlobAsync(Stream fastImport, byte[] content, CancellationToken cancellationToken) =>
        WriteBlobAsync(fastImport, content.Length, async s => await s.WriteAsync(content, cancellationToken), cancellationToken);

    private async Task<string?> ExportAsync(string blob, Stream fastImport, CancellationToken cancellationToken)
    {
        await using var content = await reader.OpenBlobAsync(blob, cancellationToken);
        if (content.Length >= LfsPointer.MaxSize)
        {
            return null;
        }
        var head = new byte[content.Length];
        await content.ReadExactlyAsync(head, cancellationToken);
        if (!LfsPointer.TryParse(head, out var pointer) || pointer.Size == 0)
        {
            return null;
        }
        if (!store.Contains(pointer))
        {
            throw new UserException($"object {pointer.Oid.Value} is not in the local cache and could not be downloaded; run 'git storage fetch --all' and try again.");
        }
        return await WriteBlobAsync(fastImport, pointer.Size, async s =>
        {
            await using var data = store.OpenRead(pointer.Oid);
            await data.CopyToAsync(s, 1 << 16, cancellationToken);
        }, cancellationToken);
    }

    private async Task<string> WriteBlobAsync(Stream fastImport, long length, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var mark = ":" + (_nextMark++).ToString(CultureInfo.InvariantCulture);
        await fastImport.WriteAsync(Encoding.ASCII.GetBytes($"blob\nmark {mark}\ndata {length.ToString(CultureInfo.InvariantCulture)}\n"), cancellationToken);
        await write(fastImport);
        await fastImport.WriteAsync("\n"u8.ToArray(), cancellationToken);
        return mark;
    }
}
