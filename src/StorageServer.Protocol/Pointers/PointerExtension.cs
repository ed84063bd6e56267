using System.Diagnostics.CodeAnalysis;

namespace StorageServer.Protocol.Pointers;

/// <summary>An <c>ext-N-name sha256:oid</c> line of a pointer (git-lfs docs/extensions.md).</summary>
public sealed record PointerExtension(int Priority, string Name, Oid Oid)
{
    internal static bool TryParse(string key, string value, [NotNullWhen(true)] out PointerExtension? extension)
    {
        extension = null;
        // git-lfs accepts only ext-\d-\w+: a single-digit priority.
        if (key.Length < 7 || !key.StartsWith("ext-", StringComparison.Ordinal) || !char.IsAsciiDigit(key[4]) || key[5] != '-')
        {
            return false;
        }
        var name = key[6..];
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || !value.StartsWith("sha256:", StringComparison.Ordinal)
            || !Oid.TryParse(value[7..], out var oid))
        {
            return false;
        }
        extension = new PointerExtension(key[4] - '0', name, oid);
        return true;
    }
}
