using System.Text;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>A file DVC tracks: its bytes and the MD5 DVC 3 gives it (the raw bytes' MD5).</summary>
public sealed record DvcSampleFile(string Path, byte[] Content)
{
    public string Md5 => DvcMd5.Of(Content);
}

/// <summary>
/// The notes' example repository: <c>model.bin</c> (one file, 300000 bytes) and <c>dataset/</c>
/// (five files: a.txt, a CRLF b.csv, an empty file, sub/c.bin of 10240 bytes, sub/d.txt) with its
/// manifest. a.txt, b.csv and empty.dat are byte for byte the notes' files, so their MD5s are the
/// notes' (checked by the tests); the random files are this sample's own.
/// </summary>
public sealed class DvcSample
{
    private DvcSample(DvcSampleFile model, IReadOnlyList<DvcSampleFile> dataset, byte[] manifest)
    {
        Model = model;
        Dataset = dataset;
        Manifest = manifest;
    }

    public DvcSampleFile Model { get; }

    /// <summary>The directory's files, paths relative to <c>dataset/</c>.</summary>
    public IReadOnlyList<DvcSampleFile> Dataset { get; }

    public byte[] Manifest { get; }

    public string ManifestMd5 => DvcMd5.Of(Manifest);

    public long DatasetSize => Dataset.Sum(f => (long)f.Content.Length);

    public static async Task<DvcSample> CreateAsync(int seed = 1)
    {
        var random = new Random(seed);
        byte[] Random(int size)
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            return bytes;
        }
        var dataset = new List<DvcSampleFile>
        {
            new("a.txt", Encoding.ASCII.GetBytes("hello world\n")),
            new("b.csv", Encoding.ASCII.GetBytes("id,value\r\n1,foo\r\n2,bar\r\n")),
            new("empty.dat", []),
            new("sub/c.bin", Random(10240)),
            new("sub/d.txt", Encoding.ASCII.GetBytes($"seed {seed:D4} text\n")),
        };
        var manifest = await PythonManifest.CreateAsync(dataset.Select(f => (f.Path, f.Md5)));
        return new DvcSample(new DvcSampleFile("model.bin", Random(300000)), dataset, manifest);
    }
}
