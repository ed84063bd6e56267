using System.Security.Cryptography;

namespace GitHooks.Tests.Support;

public static class TestFiles
{
    /// <summary>Writes <paramref name="size"/> pseudo-random bytes (deterministic per seed) and returns them.</summary>
    public static byte[] WriteRandom(string path, int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, data);
        return data;
    }

    public static string Oid(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static byte[] Read(string path)
    {
        using var stream = File.OpenRead(path);
        var data = new byte[stream.Length];
        stream.ReadExactly(data);
        return data;
    }

    public static bool IsPointer(string path) =>
        new FileInfo(path).Length < 1024 && File.ReadAllText(path).StartsWith("version https://git-lfs.github.com/spec/v1", StringComparison.Ordinal);
}
