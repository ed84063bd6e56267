using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace StorageServer.Protocol.Pointers;

/// <summary>
/// A Git LFS pointer file (docs/spec.md in git-lfs): the small text blob git stores instead of
/// a large file. Both the server's push indexer and the <c>git storage</c> client parse and write
/// pointers through this one type, so the two sides agree by construction.
/// </summary>
public sealed record LfsPointer(Oid Oid, long Size)
{
    public const string Version = "https://git-lfs.github.com/spec/v1";

    /// <summary>Blobs of this size or larger are never pointers (git-lfs <c>blobSizeCutoff</c>).</summary>
    public const int MaxSize = 1024;

    /// <summary>Extension lines (<c>ext-N-name sha256:…</c>), kept so rewriting a pointer loses nothing.</summary>
    public IReadOnlyList<PointerExtension> Extensions { get; init; } = [];

    /// <summary>The canonical encoding: the only bytes git-lfs's <c>fsck --pointers</c> accepts.</summary>
    public string Format()
    {
        var text = new StringBuilder(160);
        text.Append("version ").Append(Version).Append('\n');
        foreach (var extension in Extensions.OrderBy(e => e.Priority))
        {
            text.Append(CultureInfo.InvariantCulture, $"ext-{extension.Priority}-{extension.Name} sha256:{extension.Oid}\n");
        }
        text.Append("oid sha256:").Append(Oid.Value).Append('\n');
        text.Append("size ").Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(Format());

    /// <summary>True when <paramref name="content"/> is byte-for-byte this pointer's canonical form.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> content) =>
        TryParse(content, out var pointer) && content.SequenceEqual(pointer.ToBytes());

    /// <summary>
    /// Parses a pointer exactly as git-lfs 3.3 does (<see cref="PointerParser"/>): whatever the
    /// stock client lists, uploads and downloads through is a pointer here too, canonical or not
    /// (CRLF lines, <c>size +12</c>, legacy version URLs, surrounding white space). Returns false
    /// for anything else, never throws on input.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> content, [NotNullWhen(true)] out LfsPointer? pointer) =>
        PointerParser.TryParse(content, out pointer);
}
