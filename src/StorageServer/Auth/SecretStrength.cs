namespace StorageServer.Auth;

/// <summary>
/// Refuses secrets an attacker could guess: the stand-ins documentation ships
/// (<c>replace-with-…</c>, <c>changeme</c>) and values with little entropy. The estimate is the
/// value's length times the Shannon entropy of its own symbol frequencies: an upper bound on how
/// random it can be, so repeats, tiny alphabets and short values score low, while anything from
/// <c>openssl rand</c> scores far above the bar (32 random bytes: at least about 140 bits).
/// </summary>
public static class SecretStrength
{
    /// <summary>Tokens people type or paste: at least 64 bits (16 distinct characters at the 16-character minimum).</summary>
    public const int MinimumTokenBits = 64;

    /// <summary>Binary keys (HMAC): at least 128 bits.</summary>
    public const int MinimumKeyBits = 128;

    public const string Advice = "generate one with `openssl rand -base64 32`";

    private static readonly string[] PlaceholderMarkers =
        ["replace-with", "replace-me", "replace_me", "replaceme", "changeme", "change-me", "change_me", "placeholder"];

    public static bool IsPlaceholder(string value) =>
        PlaceholderMarkers.Any(marker => value.Contains(marker, StringComparison.OrdinalIgnoreCase));

    /// <summary>Why <paramref name="token"/> is not good enough, or null when it is.</summary>
    public static string? TokenWeakness(string token)
    {
        if (IsPlaceholder(token))
        {
            return $"is a placeholder from the documentation; {Advice}";
        }
        var bits = EstimatedBits(token.AsSpan());
        return bits < MinimumTokenBits ? $"has too little entropy (about {bits:0} bits, at least {MinimumTokenBits} needed); {Advice}" : null;
    }

    /// <summary>Why <paramref name="key"/> is not good enough, or null when it is.</summary>
    public static string? KeyWeakness(ReadOnlySpan<byte> key)
    {
        var bits = EstimatedBits(key);
        return bits < MinimumKeyBits ? $"has too little entropy (about {bits:0} bits, at least {MinimumKeyBits} needed); {Advice}" : null;
    }

    public static double EstimatedBits<T>(ReadOnlySpan<T> symbols)
        where T : notnull
    {
        if (symbols.IsEmpty)
        {
            return 0;
        }
        var counts = new Dictionary<T, int>();
        foreach (var symbol in symbols)
        {
            counts[symbol] = counts.GetValueOrDefault(symbol) + 1;
        }
        double length = symbols.Length;
        var perSymbol = counts.Values.Sum(count => -(count / length) * Math.Log2(count / length));
        return perSymbol * length;
    }
}
