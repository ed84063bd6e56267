using System.Diagnostics;
using System.Text;
using StorageServer.Dvc.Objects;

namespace StorageServer.Tests.Dvc;

/// <summary>
/// DVC 2's md5-dos2unix, fed in arbitrary network chunks, against the notes' example and against
/// Python code doing what dvc-data's <c>HashStreamFile</c> does (1 MiB reads, text check on the
/// first 512 bytes, CRLF→LF within each read).
/// </summary>
public sealed class Dos2UnixMd5Tests
{
    private const string Oracle =
        "import hashlib,sys\n" +
        "TEXT = bytes(range(32, 127)) + b'\\n\\r\\t\\f\\b'\n" +
        "def istext(b):\n" +
        "    if not b: return True\n" +
        "    if b'\\x00' in b: return False\n" +
        "    return len(b.translate(None, TEXT)) / len(b) <= 0.30\n" +
        "data = sys.stdin.buffer.read(); h = hashlib.md5(); text = None\n" +
        "for i in range(0, len(data), 2**20):\n" +
        "    chunk = data[i:i + 2**20]\n" +
        "    if text is None and chunk: text = istext(chunk[:512])\n" +
        "    h.update(chunk.replace(b'\\r\\n', b'\\n') if text else chunk)\n" +
        "print(h.hexdigest())\n";

    [Fact]
    public void The_notes_CRLF_example_hashes_as_its_LF_form()
    {
        Assert.Equal("4fcc82a88ee38e0aa16c17f512c685c9", Hash("line1\r\nline2\r\n"u8.ToArray(), [1, 5, 1]));
    }

    [Fact]
    public async Task Matches_dvc_datas_per_read_conversion_whatever_the_chunks_around_the_1_MiB_boundary()
    {
        var random = new Random(7);
        var cases = new List<byte[]>
        {
            Array.Empty<byte>(),
            "\r"u8.ToArray(),
            "a\rb\r\r\nc\r"u8.ToArray(),
            Text(random, (1 << 20) + 10, crlfAt: (1 << 20) - 1), // CR last byte of the first read, LF first of the second: not converted
            Text(random, (1 << 20) + 600, crlfAt: 1000),
            Text(random, 3000, crlfAt: 511),
        };
        var binary = new byte[4096];
        random.NextBytes(binary);
        binary[10] = (byte)'\r';
        binary[11] = (byte)'\n';
        cases.Add(binary);
        for (var i = 0; i < 6; i++)
        {
            cases.Add(Text(random, random.Next(1, 3 << 20), crlfAt: random.Next(1, 1 << 20)));
        }
        foreach (var data in cases)
        {
            var expected = await PythonAsync(data);
            Assert.Equal(expected, Hash(data, [data.Length == 0 ? 1 : data.Length]));
            Assert.Equal(expected, Hash(data, [1, 511, 2, 4093, 65536, 1 << 20]));
            Assert.Equal(expected, Hash(data, [random.Next(1, 100_000)]));
        }
    }

    private static byte[] Text(Random random, int size, int crlfAt)
    {
        var data = new byte[size];
        for (var i = 0; i < size; i++)
        {
            data[i] = (byte)(random.Next(8) == 0 ? '\r' : random.Next(8) == 0 ? '\n' : 'a' + random.Next(26));
        }
        if (crlfAt + 1 < size)
        {
            (data[crlfAt], data[crlfAt + 1]) = ((byte)'\r', (byte)'\n');
        }
        return data;
    }

    /// <summary>Feeds <paramref name="data"/> in chunks of the given sizes, cycling through them.</summary>
    private static string Hash(byte[] data, int[] chunkSizes)
    {
        using var hash = new Dos2UnixMd5();
        for (int offset = 0, i = 0; offset < data.Length; i++)
        {
            var take = Math.Min(chunkSizes[i % chunkSizes.Length], data.Length - offset);
            hash.Append(data.AsSpan(offset, take));
            offset += take;
        }
        return hash.Finish();
    }

    private static async Task<string> PythonAsync(byte[] data)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Oracle);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(data);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return (await output).Trim();
    }
}
