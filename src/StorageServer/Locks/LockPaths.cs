using System.Text;

namespace StorageServer.Locks;

/// <summary>
/// Lock paths as git-lfs sends them: relative to the repository root, forward slashes, already
/// normalised by the client. They are compared as exact strings, so anything a client would
/// never send (absolute, backslashes, <c>.</c>/<c>..</c>/empty segments, control characters,
/// broken UTF-16) is refused instead of being stored as a second spelling of the same file.
/// </summary>
public static class LockPaths
{
    /// <summary>Longest accepted path in UTF-8 bytes (Linux PATH_MAX).</summary>
    public const int MaxBytes = 4096;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null when <paramref name="path"/> is acceptable, else the reason for the client.</summary>
    public static string? Validate(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "path is required.";
        }
        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(path);
        }
        catch (EncoderFallbackException)
        {
            return "path is not valid Unicode.";
        }
        if (bytes > MaxBytes)
        {
            return $"path is longer than {MaxBytes} bytes.";
        }
        if (path.Any(char.IsControl))
        {
            return "path must not contain control characters.";
        }
        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return "path must use forward slashes.";
        }
        if (path.StartsWith('/'))
        {
            return "path must be relative to the repository root.";
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return "path must not contain empty, '.' or '..' segments.";
            }
        }
        return null;
    }
}
