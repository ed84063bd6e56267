namespace StorageServer.Dvc.Manifests;

/// <summary>
/// Orders strings by Unicode code point, as Python compares <c>str</c> (DVC sorts manifest entries
/// with <c>sorted(key=relpath)</c>). Ordinal comparison of UTF-16 code units differs only where a
/// surrogate meets a unit in U+E000–U+FFFF; shifting those two ranges past each other fixes it.
/// </summary>
public sealed class CodePointOrder : IComparer<string>
{
    public static readonly CodePointOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }
        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            if (x[i] != y[i])
            {
                return Fix(x[i]).CompareTo(Fix(y[i]));
            }
        }
        return x.Length.CompareTo(y.Length);
    }

    private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
