using System.Text;
using GitHooks.Git;
using GitHooks.LocalStorage;
using GitHooks.Tests.Support;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Tests.Unit;

/// <summary>Drives the filter with the exact byte sequence git sends, and checks every reply packet.</summary>
public sealed class FilterProcessServerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gs-filter-" + Guid.NewGuid().ToString("N"));
    private readonly LfsObjectStore _store;

    public FilterProcessServerTests() => _store = new LfsObjectStore(Path.Combine(_dir, "lfs"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static byte[] Handshake(bool delay = true) =>
    [
        .. PktLines.Text("git-filter-client"), .. PktLines.Text("version=2"), .. PktLines.Flush,
        .. PktLines.Text("capability=clean"), .. PktLines.Text("capability=smudge"),
        .. (delay ? PktLines.Text("capability=delay") : []), .. PktLines.Flush,
    ];

    private static byte[] Request(string command, string path, byte[] content) =>
        [.. PktLines.Text("command=" + command), .. PktLines.Text("pathname=" + path), .. PktLines.Flush, .. PktLines.Content(content)];

    private async Task<List<byte[]?>> RunAsync(byte[] input)
    {
        var output = new MemoryStream();
        await new FilterProcessServer(new MemoryStream(input), output, new FileFilter(_store), _store).RunAsync(CancellationToken.None);
        return PktLines.Split(output.ToArray());
    }

    [Fact]
    public async Task Handshake_answers_server_version_2_and_only_clean_and_smudge()
    {
        var packets = await RunAsync(Handshake());
        Assert.Equal(["git-filter-server", "version=2", null, "capability=clean", "capability=smudge", null], packets.Select(PktLines.AsText));
    }

    [Fact]
    public async Task Clean_stores_the_object_and_answers_the_canonical_pointer_then_smudge_gives_the_data_back()
    {
        var data = new byte[150_000];
        new Random(5).NextBytes(data);
        var oid = TestFiles.Oid(data);
        var pointer = $"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 150000\n";

        var packets = await RunAsync([.. Handshake(), .. Request("clean", "a.bin", data), .. Request("smudge", "a.bin", Encoding.UTF8.GetBytes(pointer))]);

        // clean: status=success, flush, the pointer, flush, empty status list (flush)
        Assert.Equal("status=success", PktLines.AsText(packets[6]));
        Assert.Null(packets[7]);
        Assert.Equal(pointer, Encoding.UTF8.GetString(packets[8]!));
        Assert.Null(packets[9]);
        Assert.Null(packets[10]);
        Assert.True(File.Exists(_store.ObjectPath(StorageServer.Protocol.Oid.Parse(oid))));

        // smudge: status=success, flush, the data in full-size packets, flush, flush
        Assert.Equal("status=success", PktLines.AsText(packets[11]));
        Assert.Null(packets[12]);
        var body = packets.Skip(13).TakeWhile(p => p is not null).SelectMany(p => p!).ToArray();
        Assert.Equal(data, body);
        Assert.Null(packets[^1]);
        Assert.Null(packets[^2]);
    }

    [Fact]
    public async Task Smudge_of_a_pointer_whose_object_is_not_cached_passes_the_pointer_through()
    {
        var pointer = new LfsPointer(StorageServer.Protocol.Oid.Parse(new string('b', 64)), 42).ToBytes();
        var packets = await RunAsync([.. Handshake(false), .. Request("smudge", "x.bin", pointer)]);
        Assert.Equal("status=success", PktLines.AsText(packets[6]));
        Assert.Equal(pointer, packets[8]);
    }

    [Fact]
    public async Task Clean_of_a_canonical_pointer_passes_it_through_and_clean_of_empty_content_is_empty()
    {
        var pointer = new LfsPointer(StorageServer.Protocol.Oid.Parse(new string('c', 64)), 7).ToBytes();
        var packets = await RunAsync([.. Handshake(), .. Request("clean", "p.bin", pointer), .. Request("clean", "e.bin", [])]);
        Assert.Equal(pointer, packets[8]);
        Assert.Equal("status=success", PktLines.AsText(packets[11]));
        Assert.Null(packets[12]);
        Assert.Null(packets[13]); // no content packets at all
        Assert.False(Directory.Exists(_store.ObjectsDirectory));
    }

    [Fact]
    public async Task Smudge_of_large_non_pointer_content_passes_it_through_unchanged()
    {
        var data = new byte[100_000];
        new Random(6).NextBytes(data);
        var packets = await RunAsync([.. Handshake(), .. Request("smudge", "raw.bin", data)]);
        Assert.Equal(data, packets.Skip(8).TakeWhile(p => p is not null).SelectMany(p => p!).ToArray());
    }

    [Fact]
    public async Task Unknown_command_gets_status_error()
    {
        var packets = await RunAsync([.. Handshake(), .. Request("frobnicate", "a", [1, 2, 3])]);
        Assert.Equal("status=error", PktLines.AsText(packets[6]));
    }
}
