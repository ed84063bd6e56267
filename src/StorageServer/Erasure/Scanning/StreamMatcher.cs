using System.Buffers;
using System.Numerics;

namespace StorageServer.Erasure.Scanning;

/// <summary>
/// Finds whether a stream contains any of several byte patterns: exact, or case-insensitive for
/// ASCII letters. Streams in fixed buffers (memory stays flat whatever the size) and carries the
/// last <c>longest − 1</c> bytes into the next buffer, so a match split across two reads is found.
/// Each pattern is searched with the runtime's vectorised <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>,
/// which for the handful of identifiers of one subject beats a byte-at-a-time automaton.
/// </summary>
public sealed class StreamMatcher
{
    public const int DefaultBufferSize = 256 * 1024;

    private readonly byte[][] _patterns;
    private readonly int _longest;
    private readonly int _bufferSize;

    public StreamMatcher(IEnumerable<byte[]> patterns, bool caseInsensitive, int bufferSize = DefaultBufferSize)
    {
        _patterns = patterns.Where(p => p.Length > 0).Select(p => caseInsensitive ? LowerAscii(p) : p).Distinct(ByteArrayComparer.Instance).ToArray();
        if (_patterns.Length == 0)
        {
            throw new ArgumentException("At least one non-empty pattern is required.", nameof(patterns));
        }
        CaseInsensitive = caseInsensitive;
        _longest = _patterns.Max(p => p.Length);
        _bufferSize = Math.Max(bufferSize, _longest);
    }

    public bool CaseInsensitive { get; }

    /// <summary>True as soon as any pattern occurs in <paramref name="content"/>.</summary>
    public async Task<bool> ContainsAnyAsync(Stream content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize + _longest);
        try
        {
            var carry = 0;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(carry, _bufferSize), cancellationToken)) > 0)
            {
                var window = buffer.AsSpan(0, carry + read);
                if (CaseInsensitive)
                {
                    LowerAsciiInPlace(window[carry..]);
                }
                if (Matches(window))
                {
                    return true;
                }
                var keep = Math.Min(_longest - 1, window.Length);
                window[^keep..].CopyTo(buffer);
                carry = keep;
            }
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>True when <paramref name="text"/> (already lower-cased when case-insensitive) holds any pattern.</summary>
    private bool Matches(ReadOnlySpan<byte> text)
    {
        foreach (var pattern in _patterns)
        {
            if (text.IndexOf(pattern) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether one line (or any short text) holds a pattern, honouring case-insensitivity.</summary>
    public bool LineMatches(ReadOnlySpan<byte> line)
    {
        if (!CaseInsensitive)
        {
            return Matches(line);
        }
        var copy = ArrayPool<byte>.Shared.Rent(line.Length);
        try
        {
            line.CopyTo(copy);
            LowerAsciiInPlace(copy.AsSpan(0, line.Length));
            return Matches(copy.AsSpan(0, line.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static byte[] LowerAscii(byte[] value)
    {
        var copy = (byte[])value.Clone();
        LowerAsciiInPlace(copy);
        return copy;
    }

    /// <summary>Adds 0x20 to every byte in 'A'..'Z', a vector at a time; other bytes (UTF-8 included) are left alone.</summary>
    public static void LowerAsciiInPlace(Span<byte> text)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && text.Length >= Vector<byte>.Count)
        {
            var upperA = new Vector<byte>((byte)'A');
            var letters = new Vector<byte>(26);
            var caseBit = new Vector<byte>(0x20);
            for (; i <= text.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var slice = text.Slice(i, Vector<byte>.Count);
                var v = new Vector<byte>(slice);
                var isUpper = Vector.LessThan(v - upperA, letters);
                (v | (isUpper & caseBit)).CopyTo(slice);
            }
        }
        for (; i < text.Length; i++)
        {
            if ((uint)(text[i] - 'A') < 26)
            {
                text[i] |= 0x20;
            }
        }
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
