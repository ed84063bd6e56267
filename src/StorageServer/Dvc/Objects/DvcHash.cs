using System.Diagnostics.CodeAnalysis;

namespace StorageServer.Dvc.Objects;

/// <summary>
/// A DVC object id as a <c>.dvc</c> file or <c>dvc.lock</c> writes it and a remote path spells it:
/// 32 lowercase hex digits of an MD5, with <c>.dir</c> appended for a directory manifest. The
/// tree tells which MD5 it is: <see cref="Legacy"/> entries (DVC 2, no <c>hash: md5</c> line) use
/// <c>md5-dos2unix</c> and live under <c>&lt;url&gt;/xx/…</c>, DVC 3 entries under <c>&lt;url&gt;/files/md5/xx/…</c>.
/// </summary>
public readonly record struct DvcHash(string Md5, bool IsManifest, bool Legacy)
{
    public const string ManifestSuffix = ".dir";

    /// <summary>The oid as DVC writes it: <c>md5</c> or <c>md5.dir</c> (the key column of <c>dvc_objects</c>).</summary>
    public string Value => IsManifest ? Md5 + ManifestSuffix : Md5;

    /// <summary>The object's path below the remote URL.</summary>
    public string RemotePath => $"{(Legacy ? string.Empty : "files/md5/")}{Md5[..2]}/{Md5[2..]}{(IsManifest ? ManifestSuffix : string.Empty)}";

    public override string ToString() => (Legacy ? "legacy:" : "md5:") + Value;

    /// <summary>Parses an oid as written in a <c>.dvc</c> file or <c>dvc.lock</c> (<c>md5</c> or <c>md5.dir</c>).</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, bool legacy, out DvcHash hash)
    {
        hash = default;
        if (value is null)
        {
            return false;
        }
        var manifest = value.EndsWith(ManifestSuffix, StringComparison.Ordinal);
        var md5 = manifest ? value[..^ManifestSuffix.Length] : value;
        if (!IsMd5(md5))
        {
            return false;
        }
        hash = new DvcHash(md5, manifest, legacy);
        return true;
    }

    /// <summary>Parses the two path segments after the tree: <c>xx</c> and <c>&lt;30 hex&gt;[.dir]</c>.</summary>
    public static bool TryParseRemotePath(string? prefix, string? rest, bool legacy, out DvcHash hash)
    {
        hash = default;
        return prefix is { Length: 2 } && rest is not null && TryParse(prefix + rest, legacy, out hash) && rest.Length is 30 or 34;
    }

    /// <summary>Exactly 32 lowercase hex digits.</summary>
    public static bool IsMd5([NotNullWhen(true)] string? value) =>
        value is { Length: 32 } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
