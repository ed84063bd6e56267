using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace StorageServer.Protocol.Pointers;

/// <summary>
/// git-lfs 3.3's pointer decoder (<c>lfs/pointer.go</c>: <c>DecodePointerFromBlob</c>,
/// <c>decodeKV</c>, <c>decodeKVData</c>), rule for rule, on bytes. What it accepts is exactly what
/// the stock client treats as a pointer when it scans trees (<c>ls-files</c>, pre-push, fetch) or
/// smudges, so the server indexes, protects and checks every object git-lfs would download:
/// <list type="bullet">
/// <item>a blob of 1 to 1023 bytes (<c>blobSizeCutoff</c>; git-lfs's tree scanners list an empty blob as no pointer);</item>
/// <item>surrounding white space trimmed as Go's <c>bytes.TrimSpace</c> does (Unicode spaces, not invalid UTF-8);</item>
/// <item>lines split as <c>bufio.ScanLines</c> does: <c>\n</c>, one trailing <c>\r</c> dropped, empty lines skipped;</item>
/// <item>each line <c>key SP value</c> (the value may hold further spaces); keys <c>version</c>, <c>oid</c>, <c>size</c>
/// in this order, any line whose key starts <c>ext-&lt;digit&gt;-&lt;word char&gt;</c> before <c>size</c> is an extension;</item>
/// <item>version one of the three v1 URLs; <c>oid sha256:</c> + 64 lowercase hex; size as Go's
/// <c>strconv.ParseInt(s, 10, 64)</c> reads it (<c>+12</c> and <c>-0</c> pass, negatives and overflow do not);</item>
/// <item>extension priorities unique (the same key twice: the last value counts).</item>
/// </list>
/// </summary>
internal static class PointerParser
{
    private static readonly byte[][] Versions =
    [
        "https://git-lfs.github.com/spec/v1"u8.ToArray(),
        "https://hawser.github.com/spec/v1"u8.ToArray(),
        "http://git-media.io/v/2"u8.ToArray(),
    ];

    private static readonly byte[][] Keys = ["version"u8.ToArray(), "oid"u8.ToArray(), "size"u8.ToArray()];

    public static bool TryParse(ReadOnlySpan<byte> content, [NotNullWhen(true)] out LfsPointer? pointer)
    {
        pointer = null;
        if (content.Length == 0 || content.Length >= LfsPointer.MaxSize)
        {
            return false;
        }
        var values = new byte[Keys.Length][];
        var extensions = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var data = GoText.TrimSpace(content);
        var line = 0;
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var text = newline < 0 ? data : data[..newline];
            data = newline < 0 ? [] : data[(newline + 1)..];
            if (text.EndsWith("\r"u8))
            {
                text = text[..^1];
            }
            if (text.IsEmpty)
            {
                continue;
            }
            var space = text.IndexOf((byte)' ');
            if (space < 0 || line >= Keys.Length)
            {
                return false;
            }
            var key = text[..space];
            var value = text[(space + 1)..];
            if (!key.SequenceEqual(Keys[line]))
            {
                if (!IsExtensionKey(key))
                {
                    return false;
                }
                extensions[Encoding.Latin1.GetString(key)] = value.ToArray();
                continue;
            }
            values[line++] = value.ToArray();
        }
        if (values[0] is not { } version || !Versions.Any(v => v.AsSpan().SequenceEqual(version))
            || values[1] is not { } oidValue || !TryParseOid(oidValue, out var oid)
            || !GoText.TryParseInt64(values[2] ?? [], out var size) || size < 0
            || !TryParseExtensions(extensions, out var parsed))
        {
            return false;
        }
        pointer = new LfsPointer(oid, size) { Extensions = parsed };
        return true;
    }

    /// <summary><c>sha256:</c> and exactly 64 lowercase hex digits (<c>\A[0-9a-f]{64}\z</c>).</summary>
    private static bool TryParseOid(ReadOnlySpan<byte> value, out Oid oid)
    {
        oid = default;
        return value.StartsWith("sha256:"u8) && value.Length == 7 + Oid.HexLength
            && Oid.TryParse(Encoding.ASCII.GetString(value[7..]), out oid);
    }

    /// <summary>git-lfs's <c>extRE</c>, <c>\Aext-\d{1}-\w+</c>: a prefix match, so the rest of the key may be anything.</summary>
    private static bool IsExtensionKey(ReadOnlySpan<byte> key) =>
        key.Length >= 7 && key.StartsWith("ext-"u8) && char.IsAsciiDigit((char)key[4]) && key[5] == '-'
        && (char.IsAsciiLetterOrDigit((char)key[6]) || key[6] == '_');

    private static bool TryParseExtensions(Dictionary<string, byte[]> lines, out IReadOnlyList<PointerExtension> extensions)
    {
        var parsed = new List<PointerExtension>(lines.Count);
        extensions = parsed;
        foreach (var (key, value) in lines)
        {
            // "ext-<digit>-<name>": the name is everything after the second dash.
            if (!TryParseOid(value, out var oid) || parsed.Any(e => e.Priority == key[4] - '0'))
            {
                return false;
            }
            var name = Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(key[6..]));
            parsed.Add(new PointerExtension(key[4] - '0', name, oid));
        }
        parsed.Sort((a, b) => a.Priority.CompareTo(b.Priority));
        return true;
    }
}
