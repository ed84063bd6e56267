using System.Security.Cryptography;

namespace StorageServer.EndToEnd.Tests.Support;

public static class TestFiles
{
    /// <summary>Writes <paramref name="size"/> pseudo-random bytes (deterministic per seed), streamed.</summary>
    public static string Write(string path, long size, int seed = 1)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var random = new Random(seed);
        var buffer = new byte[1024 * 1024];
        using var file = File.Create(path);
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
        return path;
    }

    public static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
