using System.Security.Cryptography;

namespace StorageServer.Auth;

/// <summary>Secrets the server generates for itself, kept in the data directory readable only by its user.</summary>
internal static class SecretFiles
{
    /// <summary>Reads the secret in <paramref name="path"/>, creating it (mode 0600) when absent.</summary>
    public static (string Secret, bool Created) ReadOrCreate(string path, Func<string> generate)
    {
        if (File.Exists(path))
        {
            return (File.ReadAllText(path).Trim(), false);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = generate();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using var writer = new StreamWriter(path, options);
            writer.Write(secret + "\n");
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another node sharing the data directory created it first.
            return (File.ReadAllText(path).Trim(), false);
        }
        return (secret, true);
    }

    public static string RandomToken(string prefix) =>
        prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
