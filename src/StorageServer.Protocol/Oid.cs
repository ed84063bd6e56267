using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace StorageServer.Protocol;

/// <summary>
/// A Git LFS object id: the SHA-256 of the object's bytes, as 64 lowercase hex characters.
/// Parsing is strict (no upper case, no prefixes, no path characters) because an OID ends up
/// in file paths and object keys; anything that is not exactly 64 hex digits is rejected.
/// </summary>
public readonly record struct Oid
{
    public const int HexLength = 64;

    private readonly string? _value;

    private Oid(string value) => _value = value;

    /// <summary>The SHA-256 of no bytes: the OID of every empty file.</summary>
    public static Oid Empty { get; } = new("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    public string Value => _value ?? throw new InvalidOperationException("Default Oid has no value.");

    public static bool IsValid([NotNullWhen(true)] string? text)
    {
        if (text is null || text.Length != HexLength)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out Oid oid)
    {
        if (IsValid(text))
        {
            oid = new Oid(text);
            return true;
        }
        oid = default;
        return false;
    }

    public static Oid Parse(string text) =>
        TryParse(text, out var oid) ? oid : throw new FormatException($"'{text}' is not a SHA-256 object id (64 lowercase hex characters).");

    public static Oid FromHash(ReadOnlySpan<byte> sha256)
    {
        if (sha256.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("A SHA-256 hash is 32 bytes.", nameof(sha256));
        }
        return new Oid(Convert.ToHexStringLower(sha256));
    }

    /// <summary>Two-level fan-out used by git-lfs and by our stores: <c>aa/bb/aabb…</c>.</summary>
    public string ShardedPath(char separator = '/') =>
        $"{Value[..2]}{separator}{Value[2..4]}{separator}{Value}";

    public override string ToString() => _value ?? string.Empty;
}
