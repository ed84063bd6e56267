using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Git;
using StorageServer.Retention;
using StorageServer.Retention.Planning;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Retention;

/// <summary>The tip pointer cache: bounded least-recently-used, and git reads only the trees it lacks.</summary>
public sealed class TipPointerCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tip-cache-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TipPointerCache Cache(int size) => new(Options.Create(new RetentionOptions { TipPointerCacheSize = size }));

    private static List<TipPointer> Pointers(int count) =>
        Enumerable.Range(0, count).Select(i => new TipPointer($"f{i}.bin", new string((char)('a' + i), 64), i)).ToList();

    [Fact]
    public void The_least_recently_used_trees_go_first_once_the_pointer_budget_is_spent()
    {
        // Weights: pointers + 1 per tree.
        var cache = Cache(7);
        cache.Add("a", Pointers(2));
        cache.Add("b", Pointers(2));
        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal(2, a.Count);
        cache.Add("c", Pointers(0));
        cache.Add("d", Pointers(1));

        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.True(cache.TryGet("d", out _));
        cache.Add("huge", Pointers(7));
        Assert.False(cache.TryGet("huge", out _));
        Assert.True(cache.TryGet("a", out _));
        Assert.False(Cache(0).TryGet("x", out _));
    }

    [Fact]
    public async Task Only_trees_not_read_before_are_read_from_git()
    {
        var (work, gitDir) = NewRepository();
        var c1 = Commit(work, gitDir, "one", ("model.bin", 'a'));
        var c2 = Commit(work, gitDir, "two", ("model.bin", 'b'), ("data.bin", 'c'));
        var c3 = Commit(work, gitDir, "three", ("data.bin", 'd'));
        var (git, log) = LoggedGit();
        var graph = new RepositoryGraph(git, Cache(1000));

        var first = await graph.ReadTipPointersAsync(0, gitDir, [c1, c2], CancellationToken.None);
        var afterFirst = Lines(log);
        var again = await graph.ReadTipPointersAsync(0, gitDir, [c1, c2], CancellationToken.None);
        var afterAgain = Lines(log);
        var third = await graph.ReadTipPointersAsync(0, gitDir, [c2, c3], CancellationToken.None);
        var afterThird = Lines(log);

        Assert.Equal(new string('a', 64), Assert.Single(first[c1]).Oid);
        Assert.Equal(["data.bin", "model.bin"], again[c2].Select(p => p.Path).Order());
        Assert.Equal(first[c2], again[c2]);
        Assert.Equal([("data.bin", new string('d', 64)), ("model.bin", new string('b', 64))], third[c3].Select(p => (p.Path, p.Oid)).Order());
        Assert.Equal(2, afterFirst.Count(l => l.Contains("ls-tree", StringComparison.Ordinal)));
        Assert.Equal(afterFirst.Length, afterAgain.Length);
        Assert.Equal([c3], afterThird.Skip(afterAgain.Length).Where(l => l.Contains("ls-tree", StringComparison.Ordinal)).Select(l => l.Split(' ')[^1]));
    }

    [Fact]
    public async Task A_tree_read_with_a_push_s_commit_scan_is_the_tree_read_from_scratch_and_reads_no_blob_twice()
    {
        // The push check reads a new tip's tree with its commit scan's blobs and leaves it cached for
        // retention: a pointer missing from that entry would be an object no protected tip keeps.
        var (work, gitDir) = NewRepository();
        var c1 = Commit(work, gitDir, "old", ("model.bin", 'a'), ("same.bin", 'b'));
        File.WriteAllText(Path.Combine(work, "readme.txt"), "text\n");
        File.WriteAllText(Path.Combine(work, "big.txt"), new string('x', 2000));
        // The new commit's pointer at two paths, and one path keeping an old blob.
        var c2 = Commit(work, gitDir, "new", ("model.bin", 'c'), ("copy.bin", 'c'));
        var (git, log) = LoggedGit();
        var scanner = new StorageServer.Indexing.PointerScanner(git, Microsoft.Extensions.Logging.Abstractions.NullLogger<StorageServer.Indexing.PointerScanner>.Instance);

        var scan = await scanner.ScanAsync(gitDir, [c2], ["--not", c1], null, CancellationToken.None);
        var before = Lines(log).Length;
        var withScan = (await new RepositoryGraph(git, Cache(1000)).ReadTipPointersAsync(0, gitDir, [c2], null, scan, CancellationToken.None))[c2];
        var reads = Lines(log).Skip(before).Where(l => l.Contains("--batch ", StringComparison.Ordinal) || l.EndsWith("--batch", StringComparison.Ordinal)).Count();
        var scratch = (await new RepositoryGraph(git, Cache(1000)).ReadTipPointersAsync(0, gitDir, [c2], CancellationToken.None))[c2];

        Assert.Equal(scratch, withScan);
        Assert.Equal([("copy.bin", 'c'), ("model.bin", 'c'), ("same.bin", 'b')], withScan.Select(p => (p.Path, p.Oid[0])).Order());
        // Only the blob the new commit did not bring (same.bin's) is read again.
        Assert.Equal(1, reads);
        var all = await scanner.ScanAsync(gitDir, [c2], [], null, CancellationToken.None);
        before = Lines(log).Length;
        Assert.Equal(scratch, (await new RepositoryGraph(git, Cache(1000)).ReadTipPointersAsync(0, gitDir, [c2], null, all, CancellationToken.None))[c2]);
        Assert.DoesNotContain(Lines(log).Skip(before), l => l.Contains("cat-file", StringComparison.Ordinal));
    }

    private (string Work, string GitDir) NewRepository()
    {
        var work = Path.Combine(_dir, "work");
        Directory.CreateDirectory(work);
        GitCommand.Run(null, "init", "-q", "-b", "main", work);
        return (work, Path.Combine(work, ".git"));
    }

    /// <summary>git behind a shim that logs each command line, to count what was read.</summary>
    private (GitProcess Git, string Log) LoggedGit()
    {
        var log = Path.Combine(_dir, "git.log");
        var shim = Path.Combine(_dir, "git-shim.sh");
        File.WriteAllText(shim, $"#!/bin/sh\necho \"$*\" >> '{log}'\nexec git \"$@\"\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (new GitProcess(Options.Create(new GitOptions { Executable = shim })), log);
    }

    private static string[] Lines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];

    private static string Commit(string work, string gitDir, string message, params (string Path, char Fill)[] files)
    {
        foreach (var (path, fill) in files)
        {
            File.WriteAllText(Path.Combine(work, path), $"version https://git-lfs.github.com/spec/v1\noid sha256:{new string(fill, 64)}\nsize 10\n");
        }
        GitCommand.Run(gitDir, "--work-tree", work, "add", ".");
        GitCommand.Run(gitDir, "--work-tree", work, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", message);
        return GitCommand.Run(gitDir, "rev-parse", "HEAD");
    }
}
