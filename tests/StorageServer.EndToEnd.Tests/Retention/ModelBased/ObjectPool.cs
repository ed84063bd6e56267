using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// The scenario's large files: deterministic bytes per index and size (so a seed always pushes the
/// same objects), their oids, and the pointer text of each <see cref="PointerForm"/>.
/// </summary>
public sealed class ObjectPool
{
    private readonly byte[][] _contents;

    public ObjectPool(IReadOnlyList<int> sizes)
    {
        _contents = [.. sizes.Select((size, index) => Content(index, size))];
        Oids = [.. _contents.Select(c => Convert.ToHexStringLower(SHA256.HashData(c)))];
        Md5s = [.. _contents.Select(Dvc.DvcMd5.Of)];
    }

    /// <summary>Each object's MD5: its name on a DVC remote.</summary>
    public IReadOnlyList<string> Md5s { get; }

    public IReadOnlyList<string> Oids { get; }

    public int Count => _contents.Length;

    public byte[] Bytes(int index) => _contents[index];

    public long Size(int index) => _contents[index].Length;

    /// <summary>The pool index of an oid, or -1 when the scenario never made it.</summary>
    public int IndexOf(string oid) => Oids.ToList().IndexOf(oid);

    public string Name(string oid) => IndexOf(oid) is var i and >= 0 ? $"O{i}" : oid;

    /// <summary>Where <paramref name="value"/> is committed for data at <paramref name="path"/>: a DVC-tracked file's <c>.dvc</c> file sits next to it.</summary>
    public static string CommittedPath(string path, FileValue value) => value.Form == PointerForm.Dvc ? path + ".dvc" : path;

    /// <summary>
    /// The pointer file for <paramref name="value"/>, exactly as committed; for <see cref="PointerForm.Dvc"/>
    /// the <c>.dvc</c> file <c>dvc add</c> writes for a file named <paramref name="fileName"/>.
    /// </summary>
    public byte[] PointerFile(FileValue value, string fileName = "data.bin")
    {
        if (value.Form == PointerForm.Dvc)
        {
            return Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"outs:\n- md5: {Md5s[value.Object]}\n  size: {Size(value.Object)}\n  hash: md5\n  path: {fileName}\n"));
        }
        var oid = Oids[value.Object];
        var size = Size(value.Object).ToString(CultureInfo.InvariantCulture);
        const string version = "version https://git-lfs.github.com/spec/v1";
        var text = value.Form switch
        {
            PointerForm.Canonical => $"{version}\noid sha256:{oid}\nsize {size}\n",
            PointerForm.Crlf => $"{version}\r\noid sha256:{oid}\r\nsize {size}\r\n",
            PointerForm.PlusSize => $"{version}\noid sha256:{oid}\nsize +{size}\n",
            PointerForm.BlankLines => $"\n{version}\n\noid sha256:{oid}\n\nsize {size}\n\n",
            PointerForm.NegativeSize => $"{version}\noid sha256:{oid}\nsize -{size}\n",
            PointerForm.UpperCaseOid => $"{version}\noid sha256:{oid.ToUpperInvariant()}\nsize {size}\n",
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };
        return Encoding.ASCII.GetBytes(text);
    }

    private static byte[] Content(int index, int size)
    {
        var bytes = new byte[size];
        new Random(index * 7919 + size).NextBytes(bytes);
        // The index up front keeps two objects of one scenario distinct whatever the generator drew.
        var prefix = Encoding.ASCII.GetBytes($"O{index}:");
        prefix.AsSpan(0, Math.Min(size, prefix.Length)).CopyTo(bytes);
        return bytes;
    }
}
