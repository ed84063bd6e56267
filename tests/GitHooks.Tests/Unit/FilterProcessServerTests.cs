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

    private async Task<List<byte[]?>> RunAsync(byte[] input, IDelayedFetcher? fetcher = null)
    {
        var output = new MemoryStream();
        await new FilterProcessServer(new MemoryStream(input), output, new FileFilter(_store), _store) { Fetcher = fetcher }.RunAsync(CancellationToken.None);
        return PktLines.Split(output.ToArray());
    }

    [Fact]
    public async Task Handshake_answers_server_version_2_and_only_clean_and_smudge_without_a_fetcher()
    {
        var packets = await RunAsync(Handshake());
        Assert.Equal(["git-filter-server", "version=2", null, "capability=clean", "capability=smudge", null], packets.Select(PktLines.AsText));
    }

    [Fact]
    public async Task Handshake_offers_delay_only_when_git_offers_it()
    {
        var fetcher = new FakeFetcher(_store);
        Assert.Equal(["git-filter-server", "version=2", null, "capability=clean", "capability=smudge", "capability=delay", null],
            (await RunAsync(Handshake(), fetcher)).Select(PktLines.AsText));
        Assert.Equal(["git-filter-server", "version=2", null, "capability=clean", "capability=smudge", null],
            (await RunAsync(Handshake(delay: false), fetcher)).Select(PktLines.AsText));
    }

    /// <summary>What git 2.39.5 sends for a clone's checkout entry it may delay (seen with GIT_TRACE_PACKET): metadata, then can-delay=1.</summary>
    private static byte[] DelayableSmudge(string path, byte[] content) =>
    [
        .. PktLines.Text("command=smudge"), .. PktLines.Text("pathname=" + path), .. PktLines.Text("ref=refs/heads/main"),
        .. PktLines.Text("treeish=" + new string('7', 40)), .. PktLines.Text("blob=" + new string('8', 40)),
        .. PktLines.Text("can-delay=1"), .. PktLines.Flush, .. PktLines.Content(content),
    ];

    /// <summary>git's second request for a path listed as available: no can-delay, empty content.</summary>
    private static byte[] ResentSmudge(string path) =>
    [
        .. PktLines.Text("command=smudge"), .. PktLines.Text("pathname=" + path), .. PktLines.Text("ref=refs/heads/main"),
        .. PktLines.Text("treeish=" + new string('7', 40)), .. PktLines.Text("blob=" + new string('8', 40)),
        .. PktLines.Flush, .. PktLines.Flush,
    ];

    private static byte[] ListAvailableBlobs => [.. PktLines.Text("command=list_available_blobs"), .. PktLines.Flush];

    /// <summary>Stores the objects it has data for; the others fail. Records what each completion covered.</summary>
    private sealed class FakeFetcher(LfsObjectStore store) : IDelayedFetcher
    {
        private readonly List<(string Path, LfsPointer Pointer)> _pending = [];

        public Dictionary<string, byte[]> Data { get; } = new(StringComparer.Ordinal);

        public List<List<string>> Calls { get; } = [];

        /// <summary>Paths not to download (an lfs.fetchexclude), smudged as pointers.</summary>
        public HashSet<string> Excluded { get; } = new(StringComparer.Ordinal);

        public Task<bool> WantsAsync(string path, CancellationToken cancellationToken) => Task.FromResult(!Excluded.Contains(path));

        public void Enqueue(string path, LfsPointer pointer) => _pending.Add((path, pointer));

        public async Task<IReadOnlyCollection<LfsPointer>> CompleteAsync(CancellationToken cancellationToken)
        {
            Calls.Add([.. _pending.Select(o => o.Path).Order(StringComparer.Ordinal)]);
            var failed = new List<LfsPointer>();
            foreach (var (_, pointer) in _pending)
            {
                if (Data.TryGetValue(pointer.Oid.Value, out var data))
                {
                    await new FileFilter(store).CleanAsync(new MemoryStream(data), Stream.Null, cancellationToken);
                }
                else
                {
                    failed.Add(pointer);
                }
            }
            _pending.Clear();
            return failed;
        }
    }

    private static (byte[] Data, byte[] Pointer) Blob(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return (data, new LfsPointer(StorageServer.Protocol.Oid.Parse(TestFiles.Sha256(data)), size).ToBytes());
    }

    [Fact]
    public async Task Delayed_smudges_are_downloaded_on_list_available_blobs_and_smudged_when_git_asks_again()
    {
        var (a, aPointer) = Blob(70_000, 21);
        var (b, bPointer) = Blob(300, 22);
        var (_, gonePointer) = Blob(500, 23); // the fetcher fails this one (404, 410…)
        var (cached, cachedPointer) = Blob(1_000, 24);
        var (late, latePointer) = Blob(400, 25);
        await new FileFilter(_store).CleanAsync(new MemoryStream(cached), Stream.Null, CancellationToken.None);
        var fetcher = new FakeFetcher(_store);
        fetcher.Data[TestFiles.Sha256(a)] = a;
        fetcher.Data[TestFiles.Sha256(b)] = b;
        fetcher.Data[TestFiles.Sha256(late)] = late;

        var raw = await RunAsync(
        [
            .. Handshake(),
            .. DelayableSmudge("dir/a.bin", aPointer),
            .. DelayableSmudge("cached.bin", cachedPointer), // in the cache: answered at once
            .. DelayableSmudge("b.bin", bPointer),
            .. DelayableSmudge("gone.bin", gonePointer),
            // round 1: git asks, gets every delayed path, then asks for each of them again
            .. ListAvailableBlobs,
            .. ResentSmudge("dir/a.bin"), .. ResentSmudge("b.bin"), .. ResentSmudge("gone.bin"),
            // round 2: nothing left, the empty list ends git's loop
            .. ListAvailableBlobs,
            // a later checkout in the same git process: a new delayed path, a new round
            .. DelayableSmudge("b-again.bin", bPointer),
            .. DelayableSmudge("late.bin", latePointer),
            .. ListAvailableBlobs,
            .. ResentSmudge("late.bin"),
            .. ListAvailableBlobs,
        ], fetcher);
        var packets = raw.Select(p => p is null ? null : p.Length > 200 ? "<data " + p.Length + ">" : PktLines.AsText(p)).ToList();

        string?[] expected =
        [
            "git-filter-server", "version=2", null, "capability=clean", "capability=smudge", "capability=delay", null,
            "status=delayed", null,
            "status=success", null, "<data 1000>", null, null,
            "status=delayed", null,
            "status=delayed", null,
            "pathname=dir/a.bin", "pathname=b.bin", "pathname=gone.bin", null, "status=success", null,
            "status=success", null, "<data 65516>", "<data 4484>", null, null,
            "status=success", null, "<data 300>", null, null,
            "status=success", null, PktLines.AsText(gonePointer), null, null, // failed: the pointer, not an error
            null, "status=success", null,
            "status=success", null, "<data 300>", null, null, // b's object is cached by now: no delay
            "status=delayed", null,
            "pathname=late.bin", null, "status=success", null,
            "status=success", null, "<data 400>", null, null,
            null, "status=success", null,
        ];
        Assert.Equal(expected, packets);
        Assert.Equal([["b.bin", "dir/a.bin", "gone.bin"], ["late.bin"]], fetcher.Calls);
        Assert.Equal(a, raw[26]!.Concat(raw[27]!).ToArray());
        Assert.Equal(b, raw[32]);
        Assert.Equal(gonePointer, raw[37]);
        Assert.Equal(late, raw[^6]);
    }

    [Fact]
    public async Task Smudge_without_can_delay_passes_the_pointer_through_even_with_delay_negotiated()
    {
        var (_, pointer) = Blob(5_000, 31);
        var fetcher = new FakeFetcher(_store);
        var packets = await RunAsync([.. Handshake(), .. Request("smudge", "one.bin", pointer)], fetcher);
        Assert.Equal("status=success", PktLines.AsText(packets[7]));
        Assert.Equal(pointer, packets[9]);
        Assert.Empty(fetcher.Calls);
    }

    [Fact]
    public async Task Clean_stores_the_object_and_answers_the_canonical_pointer_then_smudge_gives_the_data_back()
    {
        var data = new byte[150_000];
        new Random(5).NextBytes(data);
        var oid = TestFiles.Sha256(data);
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
