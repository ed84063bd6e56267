using System.Text;
using StorageServer.Dvc.Manifests;

namespace StorageServer.Tests.Dvc;

/// <summary>The directory manifest format, checked against the bytes the notes recorded from a real DVC 3.</summary>
public sealed class ManifestFormatTests
{
    /// <summary>The notes' observed manifest, 337 bytes, <c>df555cf1b40dbe176aace581c276ca93.dir</c>.</summary>
    private const string Observed =
        "[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"a.txt\"}, {\"md5\": \"5608581a230a4dcfcc85540b1fdaf5fc\", \"relpath\": \"b.csv\"}, " +
        "{\"md5\": \"d41d8cd98f00b204e9800998ecf8427e\", \"relpath\": \"empty.dat\"}, {\"md5\": \"c3cd26e07e555c0116db237fbc06d99c\", \"relpath\": \"sub/c.bin\"}, " +
        "{\"md5\": \"7f0fb6a9e3e1631177b911e153f353aa\", \"relpath\": \"sub/d.txt\"}]";

    [Fact]
    public async Task The_notes_observed_manifest_reads_and_writes_back_byte_for_byte_to_its_oid()
    {
        var bytes = Encoding.ASCII.GetBytes(Observed);
        Assert.Equal(337, bytes.Length);
        Assert.Equal("df555cf1b40dbe176aace581c276ca93", Md5(bytes));

        var entries = await ReadAsync(bytes);

        Assert.Equal(["a.txt", "b.csv", "empty.dat", "sub/c.bin", "sub/d.txt"], entries.Select(e => e.Relpath));
        Assert.Equal(bytes, ManifestWriter.Write(entries.AsEnumerable().Reverse()));
    }

    [Fact]
    public async Task Non_ASCII_names_are_written_as_Python_escapes_in_code_point_order()
    {
        var entries = new[] { "café 日本.txt", "a/b.txt", "Z.txt", "a-b.txt", "emoji 😀", "\uFB01le" }.Select(r => new DirEntry(r, new string('0', 32))).ToList();

        var text = Encoding.ASCII.GetString(ManifestWriter.Write(entries));

        // The notes' order: Z.txt < a-b.txt < a/b.txt < café 日本.txt; U+FB01 (BMP) sorts before U+1F600 as in Python, unlike UTF-16 order.
        Assert.Equal(["Z.txt", "a-b.txt", "a/b.txt", "caf\\u00e9 \\u65e5\\u672c.txt", "emoji \\ud83d\\ude00", "\\ufb01le"],
            text.Split("\"relpath\": \"").Skip(1).Select(part => part[..part.IndexOf("\"}", StringComparison.Ordinal)]));
        Assert.Equal(entries.Select(e => e.Relpath).OrderBy(r => r, CodePointOrder.Instance), (await ReadAsync(Encoding.ASCII.GetBytes(text))).Select(e => e.Relpath));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[] ")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"a\"}]\n")]
    [InlineData("[{\"relpath\": \"a\", \"md5\": \"6f5902ac237024bdd0c176cb93063dc4\"}]")]
    [InlineData("[{\"md5\": \"6F5902AC237024BDD0C176CB93063DC4\", \"relpath\": \"a\"}]")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\",\"relpath\": \"a\"}]")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"b\"}, {\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"a\"}]")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"a\"}, {\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"a\"}]")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"../etc/passwd\"}]")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"/abs\"}]")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"a//b\"}]")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"caf\u00e9\"}]")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"\\u0061\"}]")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"\\/a\"}]")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"\\ud83d\"}]")]
    [InlineData("[{\"md5\": \"6f5902ac237024bdd0c176cb93063dc4\", \"relpath\": \"a\", \"size\": 1}]")]
    public async Task Anything_but_DVCs_exact_bytes_is_refused(string manifest)
    {
        await Assert.ThrowsAsync<ManifestFormatException>(() => ReadAsync(Encoding.UTF8.GetBytes(manifest)));
    }

    [Fact]
    public async Task An_empty_directory_is_an_empty_list()
    {
        Assert.Empty(await ReadAsync("[]"u8.ToArray()));
        Assert.Equal("[]"u8.ToArray(), ManifestWriter.Write([]));
    }

    [Fact]
    public async Task Random_names_round_trip_and_every_one_byte_change_is_refused_or_reads_as_other_entries()
    {
        var random = new Random(20261206);
        for (var round = 0; round < 200; round++)
        {
            var entries = Enumerable.Range(0, random.Next(1, 6)).Select(_ => new DirEntry(RandomName(random), RandomMd5(random)))
                .DistinctBy(e => e.Relpath).ToList();
            var bytes = ManifestWriter.Write(entries);
            var read = await ReadAsync(bytes);
            Assert.Equal(entries.OrderBy(e => e.Relpath, CodePointOrder.Instance), read);

            var mutated = (byte[])bytes.Clone();
            var at = random.Next(mutated.Length);
            mutated[at] = (byte)random.Next(32, 127);
            try
            {
                // Accepted only if it is itself canonical: writing its entries gives the same bytes.
                Assert.Equal(mutated, ManifestWriter.Write(await ReadAsync(mutated)));
            }
            catch (ManifestFormatException)
            {
            }
        }
    }

    private static string RandomName(Random random)
    {
        const string alphabet = "ab/Z-_. \"\\\t\u00e9\u65e5\uFB01";
        string name;
        do
        {
            name = new string(Enumerable.Range(0, random.Next(1, 8)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            if (random.Next(4) == 0)
            {
                name += "\U0001F600";
            }
        }
        while (name.Split('/').Any(s => s is "" or "." or ".."));
        return name;
    }

    private static string RandomMd5(Random random) => Convert.ToHexStringLower(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray());

    private static async Task<List<DirEntry>> ReadAsync(byte[] bytes)
    {
        var entries = new List<DirEntry>();
        await foreach (var entry in ManifestReader.ReadAsync(new MemoryStream(bytes), CancellationToken.None))
        {
            entries.Add(entry);
        }
        return entries;
    }

#pragma warning disable CA5351 // DVC's object ids are MD5s.
    private static string Md5(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes));
#pragma warning restore CA5351
}
