using GitHooks.Git;
using GitHooks.Tests.Support;

namespace GitHooks.Tests.Unit;

/// <summary>Finding pointers in trees and history with a real git repository (no filter involved).</summary>
public sealed class PointerScannerTests : IDisposable
{
    private readonly GitSandbox _sandbox = ClientSandbox.Create();

    public void Dispose() => _sandbox.Dispose();

    private static string Pointer(char c, int size) => $"version https://git-lfs.github.com/spec/v1\noid sha256:{new string(c, 64)}\nsize {size}\n";

    [Fact]
    public async Task Finds_pointers_in_a_tree_and_only_new_ones_in_a_history_range()
    {
        var repo = _sandbox.PathOf("r");
        _sandbox.TryRun(_sandbox.Root, "init", "-q", repo).EnsureSuccess();
        File.WriteAllText(Path.Combine(repo, "a.bin"), Pointer('a', 10));
        File.WriteAllText(Path.Combine(repo, "text.txt"), "not a pointer\n");
        TestFiles.WriteRandom(Path.Combine(repo, "big.dat"), 5000, 1);
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "1").EnsureSuccess();
        var first = _sandbox.TryRun(repo, "rev-parse", "HEAD").EnsureSuccess().Output.Trim();
        Directory.CreateDirectory(Path.Combine(repo, "dir with space"));
        File.WriteAllText(Path.Combine(repo, "dir with space", "b.bin"), Pointer('b', 20));
        _sandbox.TryRun(repo, "add", ".").EnsureSuccess();
        _sandbox.TryRun(repo, "commit", "-qm", "2").EnsureSuccess();

        var scanner = new PointerScanner(new GitRunner(repo, _sandbox.Environment));
        var tree = await scanner.ScanTreeAsync("HEAD", CancellationToken.None).ToListAsync();
        Assert.Equal(["a.bin", "dir with space/b.bin"], tree.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Equal(20, tree.Single(p => p.Path.EndsWith("b.bin", StringComparison.Ordinal)).Pointer.Size);

        var fresh = await scanner.ScanHistoryAsync(["HEAD"], [first], CancellationToken.None).ToListAsync();
        Assert.Equal("dir with space/b.bin", Assert.Single(fresh).Path);

        var all = await scanner.ScanHistoryAsync(["--all"], [], CancellationToken.None).ToListAsync();
        Assert.Equal(2, all.Count);
    }
}
