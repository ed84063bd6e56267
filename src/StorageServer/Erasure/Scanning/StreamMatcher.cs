using System.Buffers;
using System.Numerics;
using StorageServer.Erasure.Matching;

namespace StorageServer.Erasure.Scanning;

/// <summary>
/// Finds whether a stream contains any of several byte patterns starting and ending at token
/// boundaries (<see cref="TokenRules"/>): exact, or case-insensitive for ASCII letters. Used for
/// files that are not read as records. Streams in fixed buffers (memory stays flat whatever the
/// size) and carries the last <c>longest + 4</c> bytes into the next buffer, so a match split across
/// two reads is found with the bytes around it that decide its boundaries.
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

    /// <summary>True as soon as any pattern occurs in <paramref name="content"/> as whole tokens.</summary>
    public async Task<bool> ContainsAnyAsync(Stream content, CancellationToken cancellationToken)
    {
        var carryMax = _longest + 4;
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize + carryMax);
        try
        {
            var carry = 0;
            var atStart = true;
            while (true)
            {
                var read = await content.ReadAsync(buffer.AsMemory(carry, _bufferSize), cancellationToken);
                var atEnd = read == 0;
                if (atEnd && carry == 0)
                {
                    return false;
                }
                var window = buffer.AsSpan(0, carry + read);
                if (CaseInsensitive)
                {
                    LowerAsciiInPlace(window[carry..]);
                }
                if (Matches(window, atStart, atEnd))
                {
                    return true;
                }
                if (atEnd)
                {
                    return false;
                }
                var keep = Math.Min(carryMax, window.Length);
                window[^keep..].CopyTo(buffer);
                carry = keep;
                atStart = atStart && keep == window.Length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Whether <paramref name="text"/> (already lower-cased when case-insensitive) holds a pattern as
    /// whole tokens. An occurrence whose boundaries need bytes outside the window is left to the
    /// window that has them (the previous one, or the next one through the carry).
    /// </summary>
    private bool Matches(ReadOnlySpan<byte> text, bool atStart, bool atEnd)
    {
        foreach (var pattern in _patterns)
        {
            var offset = 0;
            int at;
            while ((at = text[offset..].IndexOf(pattern)) >= 0)
            {
                var start = offset + at;
                var decidable = (atStart || start >= 2) && (atEnd || start + pattern.Length + 1 < text.Length);
                if (decidable && TokenRules.IsWholeTokens(text, start, pattern.Length))
                {
                    return true;
                }
                offset = start + 1;
            }
        }
        return false;
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
