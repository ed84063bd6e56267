using System.Buffers;
using System.Text;

namespace StorageServer.Protocol.Pointers;

/// <summary>The two Go library functions git-lfs's pointer decoder leans on, with their exact edge cases.</summary>
internal static class GoText
{
    /// <summary>
    /// Go's <c>bytes.TrimSpace</c>: strips leading and trailing runes for which <c>unicode.IsSpace</c>
    /// holds. Bytes that are not valid UTF-8 are not space and stop the trim.
    /// </summary>
    public static ReadOnlySpan<byte> TrimSpace(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty && Rune.DecodeFromUtf8(text, out var rune, out var length) == OperationStatus.Done && IsSpace(rune))
        {
            text = text[length..];
        }
        while (!text.IsEmpty && Rune.DecodeLastFromUtf8(text, out var rune, out var length) == OperationStatus.Done && IsSpace(rune))
        {
            text = text[..^length];
        }
        return text;
    }

    /// <summary>Go's <c>unicode.IsSpace</c>: the Latin-1 spaces, then Unicode's White_Space property.</summary>
    public static bool IsSpace(Rune rune) => rune.Value switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or 0x85 or 0xA0 => true,
        0x1680 or (>= 0x2000 and <= 0x200A) or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    /// <summary>
    /// Go's <c>strconv.ParseInt(s, 10, 64)</c>: an optional sign (<c>+</c> or <c>-</c>), then one or
    /// more ASCII digits and nothing else (no spaces, no underscores, no prefix), within the range of a long.
    /// </summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var negative = false;
        if (!text.IsEmpty && text[0] is (byte)'+' or (byte)'-')
        {
            negative = text[0] == '-';
            text = text[1..];
        }
        if (text.IsEmpty)
        {
            return false;
        }
        ulong magnitude = 0;
        foreach (var digit in text)
        {
            if (digit is < (byte)'0' or > (byte)'9' || magnitude > (ulong.MaxValue - 9) / 10)
            {
                return false;
            }
            magnitude = (magnitude * 10) + (ulong)(digit - '0');
        }
        if (magnitude > (negative ? (ulong)long.MaxValue + 1 : long.MaxValue))
        {
            return false;
        }
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }
}
