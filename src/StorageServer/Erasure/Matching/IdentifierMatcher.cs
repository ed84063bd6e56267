using System.Text;

namespace StorageServer.Erasure.Matching;

/// <summary>
/// Decides whether one value (a CSV field, a JSON string or number, a path segment) holds one of
/// the identifiers a data-protection officer gave: the whole value equals it, or it occurs inside
/// the value starting and ending at token boundaries (<see cref="TokenRules"/>). Case-insensitive
/// compares ASCII letters without case; every other character must match exactly. Only the
/// identifiers given are looked for: never the subject key unless it was given as one.
/// </summary>
public sealed class IdentifierMatcher
{
    private readonly string[] _identifiers;
    private readonly string[] _folded;

    public IdentifierMatcher(IEnumerable<string> identifiers, bool caseInsensitive)
    {
        _identifiers = identifiers.Select(i => i.Trim()).Where(i => i.Length > 0).ToArray();
        if (_identifiers.Length == 0)
        {
            throw new ArgumentException("At least one non-empty identifier is required.", nameof(identifiers));
        }
        CaseInsensitive = caseInsensitive;
        _folded = caseInsensitive ? _identifiers.Select(FoldAscii).ToArray() : _identifiers;
    }

    public static IdentifierMatcher FromPatterns(IEnumerable<byte[]> patterns, bool caseInsensitive) =>
        new(patterns.Select(p => Encoding.UTF8.GetString(p)), caseInsensitive);

    public bool CaseInsensitive { get; }

    public IReadOnlyList<string> Identifiers => _identifiers;

    /// <summary>The index of the first identifier <paramref name="value"/> holds, or -1.</summary>
    public int Find(string value)
    {
        if (value.Length == 0)
        {
            return -1;
        }
        var text = CaseInsensitive ? FoldAscii(value) : value;
        var trimmed = text.Trim();
        for (var i = 0; i < _folded.Length; i++)
        {
            var identifier = _folded[i];
            if (trimmed == identifier)
            {
                return i;
            }
            for (var at = text.IndexOf(identifier, StringComparison.Ordinal); at >= 0; at = text.IndexOf(identifier, at + 1, StringComparison.Ordinal))
            {
                if (TokenRules.IsWholeTokens(text, at, identifier.Length))
                {
                    return i;
                }
            }
        }
        return -1;
    }

    /// <summary>A copy with A–Z turned into a–z; nothing else changes (lengths stay equal).</summary>
    public static string FoldAscii(string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
            }
        });
}
