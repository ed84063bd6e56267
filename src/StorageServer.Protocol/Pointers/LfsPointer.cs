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

    private static readonly string[] AcceptedVersions =
    [
        Version,
        "https://hawser.github.com/spec/v1",
        "http://git-media.io/v/2",
    ];

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
    /// Parses a pointer the forgiving way git-lfs does: surrounding whitespace trimmed, legacy
    /// version URLs accepted. Returns false for anything that is not a pointer (including data
    /// that merely looks like one), never throws on input.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> content, [NotNullWhen(true)] out LfsPointer? pointer)
    {
        pointer = null;
        if (content.Length == 0 || content.Length >= MaxSize)
        {
            return false;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content).Trim();
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        return TryParseLines(text.Split('\n'), out pointer);
    }

    private static bool TryParseLines(string[] lines, [NotNullWhen(true)] out LfsPointer? pointer)
    {
        pointer = null;
        if (lines.Length < 3 || !TrySplit(lines[0], out var key, out var value) || key != "version" || !AcceptedVersions.Contains(value))
        {
            return false;
        }
        Oid? oid = null;
        long? size = null;
        var extensions = new List<PointerExtension>();
        string? previousKey = null;
        for (var i = 1; i < lines.Length; i++)
        {
            if (!TrySplit(lines[i], out key, out value) || (previousKey is not null && string.CompareOrdinal(key, previousKey) <= 0))
            {
                return false;
            }
            previousKey = key;
            if (key == "oid")
            {
                if (!value.StartsWith("sha256:", StringComparison.Ordinal) || !Protocol.Oid.TryParse(value[7..], out var parsed))
                {
                    return false;
                }
                oid = parsed;
            }
            else if (key == "size")
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedSize))
                {
                    return false;
                }
                size = parsedSize;
            }
            else if (PointerExtension.TryParse(key, value, out var extension))
            {
                extensions.Add(extension);
            }
            else
            {
                return false;
            }
        }
        if (oid is null || size is null || extensions.DistinctBy(e => e.Priority).Count() != extensions.Count)
        {
            return false;
        }
        pointer = new LfsPointer(oid.Value, size.Value) { Extensions = extensions };
        return true;
    }

    private static bool TrySplit(string line, out string key, out string value)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        key = space > 0 ? line[..space] : string.Empty;
        value = space > 0 ? line[(space + 1)..] : string.Empty;
        return space > 0 && key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-') && value.Length > 0 && !value.Contains(' ', StringComparison.Ordinal);
    }
}
