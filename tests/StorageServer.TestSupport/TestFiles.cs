using System.Security.Cryptography;

namespace StorageServer.TestSupport;

/// <summary>Files with deterministic content for tests, and their SHA-256 (a Git LFS oid).</summary>
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

    /// <summary>As <see cref="Write"/> (the same bytes for the same seed), for small files: returns the bytes.</summary>
    public static byte[] WriteRandom(string path, int size, int seed)
    {
        Write(path, size, seed);
        return Read(path);
    }

    public static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static byte[] Read(string path)
    {
        using var stream = File.OpenRead(path);
        var data = new byte[stream.Length];
        stream.ReadExactly(data);
        return data;
    }

    /// <summary>Whether the file is a Git LFS pointer rather than the content it stands for.</summary>
    public static bool IsPointer(string path) =>
        new FileInfo(path).Length < 1024 && File.ReadAllText(path).StartsWith("version https://git-lfs.github.com/spec/v1", StringComparison.Ordinal);
}
