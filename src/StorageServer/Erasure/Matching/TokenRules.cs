namespace StorageServer.Erasure.Matching;

/// <summary>
/// Where tokens start and end, the same in record fields (text) and in opaque files (bytes). A token
/// is a run of letters and digits, joined by <c>- _ . @ + '</c> where such a character stands between
/// two letters or digits: <c>c1042</c>, <c>alice.martin@example.com</c>, <c>2024-01-05</c> and
/// <c>O'Brien</c> are one token each. An identifier matches only where it starts and ends at a token
/// boundary, so <c>c1042</c> is not found in <c>c10420</c>, <c>xc1042</c> or <c>c1042-b</c>, nor
/// <c>2024</c> in <c>2024-01-05</c>; it is found in <c>"c1042"</c>, <c>id=c1042;</c> or at the end of
/// a sentence (<c>… c1042.</c>). In bytes, every byte of a multi-byte UTF-8 character counts as a letter.
/// </summary>
public static class TokenRules
{
    public const string Joiners = "-_.@+'";

    public static bool IsLetterOrDigit(char c) => char.IsLetterOrDigit(c);

    public static bool IsLetterOrDigit(byte b) => b >= 0x80 || char.IsAsciiLetterOrDigit((char)b);

    /// <summary>Whether the character at <paramref name="index"/> belongs to a token.</summary>
    public static bool InToken(ReadOnlySpan<char> text, int index)
    {
        var c = text[index];
        return IsLetterOrDigit(c)
            || (Joiners.Contains(c) && index > 0 && index < text.Length - 1 && IsLetterOrDigit(text[index - 1]) && IsLetterOrDigit(text[index + 1]));
    }

    public static bool InToken(ReadOnlySpan<byte> text, int index)
    {
        var b = text[index];
        return IsLetterOrDigit(b)
            || (b < 0x80 && Joiners.Contains((char)b) && index > 0 && index < text.Length - 1 && IsLetterOrDigit(text[index - 1]) && IsLetterOrDigit(text[index + 1]));
    }

    /// <summary>Whether <c>text[start..start+length]</c> starts and ends at token boundaries.</summary>
    public static bool IsWholeTokens(ReadOnlySpan<char> text, int start, int length)
    {
        var end = start + length;
        return (start == 0 || !InToken(text, start - 1) || !InToken(text, start))
            && (end == text.Length || !InToken(text, end - 1) || !InToken(text, end));
    }

    public static bool IsWholeTokens(ReadOnlySpan<byte> text, int start, int length)
    {
        var end = start + length;
        return (start == 0 || !InToken(text, start - 1) || !InToken(text, start))
            && (end == text.Length || !InToken(text, end - 1) || !InToken(text, end));
    }
}
