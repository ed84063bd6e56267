using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Git;
using StorageServer.Indexing;
using StorageServer.Protocol.Pointers;
using LfsOid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Git;

/// <summary>The rev-list → diff-tree → cat-file pipeline against real repositories built with git.</summary>
public sealed class PointerScannerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pointer-scanner-").FullName;
    private readonly PointerScanner _scanner = new(new GitProcess(Options.Create(new GitOptions())), NullLogger<PointerScanner>.Instance);

    private string GitDir => Path.Combine(_dir, ".git");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Finds_each_pointer_once_at_the_commit_that_introduced_it()
    {
        Git("init", "-q", "-b", "main");
        var p1 = Pointer('1', 10);
        var p2 = Pointer('2', 20);
        var p3 = Pointer('3', 30);
        var p4 = Pointer('4', 40);
        var p5 = Pointer('5', 0);
        Write("model.bin", p1.Format());
        Write("dir with space/ünïcode name.bin", p2.Format());
        Write("readme.txt", "just text\n");
        // Pointer-looking text that is 1024 bytes or more is not a pointer.
        Write("big.txt", p4.Format() + new string('x', 1100));
        Write("empty.bin", p5.Format());
        var c1 = Commit("root");

        Write("model.bin", p3.Format());
        Git("mv", "dir with space/ünïcode name.bin", "moved.bin");
        File.Delete(Path.Combine(_dir, "readme.txt"));
        var c2 = Commit("change, move, delete");

        Git("checkout", "-q", "-b", "side", c1);
        Write("side.bin", p4.Format());
        var c3 = Commit("side");
        Git("checkout", "-q", "main");
        Git("merge", "-q", "--no-edit", "side");
        var cleanMerge = Head();
        // A submodule entry (gitlink) is never read as a blob.
        Git("update-index", "--add", "--cacheinfo", $"160000,{c1},sub");
        Git("commit", "-q", "-m", "gitlink");
        var withGitlink = Head();

        var scan = await _scanner.ScanAsync(GitDir, [], ["--all"], null, default);

        Assert.Equal(new HashSet<string> { c1, c2, c3, cleanMerge, withGitlink }, scan.Commits.ToHashSet());
        Assert.Equal(
            new HashSet<(string, string, LfsOid, long)>
            {
                (c1, "model.bin", p1.Oid, 10),
                (c1, "dir with space/ünïcode name.bin", p2.Oid, 20),
                (c1, "empty.bin", p5.Oid, 0),
                (c2, "model.bin", p3.Oid, 30),
                (c2, "moved.bin", p2.Oid, 20),
                (c3, "side.bin", p4.Oid, 40),
            },
            scan.Pointers.Select(p => (p.Commit, p.Path, p.Pointer.Oid, p.Pointer.Size)).ToHashSet());
    }

    [Fact]
    public async Task A_merge_introduces_only_what_differs_from_every_parent()
    {
        Git("init", "-q", "-b", "main");
        Write("model.bin", Pointer('1', 1).Format());
        var root = Commit("root");
        Write("model.bin", Pointer('2', 2).Format());
        Commit("main");
        Git("checkout", "-q", "-b", "side", root);
        Write("model.bin", Pointer('3', 3).Format());
        Commit("side");
        Git("checkout", "-q", "main");
        Assert.NotEqual(0, TryGit("merge", "-q", "--no-edit", "side"));
        var resolved = Pointer('4', 4);
        Write("model.bin", resolved.Format());
        var merge = Commit("resolved");

        var scan = await _scanner.ScanAsync(GitDir, [merge], ["--not", root], null, default);

        Assert.Equal(3, scan.Commits.Count);
        var fromMerge = Assert.Single(scan.Pointers, p => p.Commit == merge);
        Assert.Equal(("model.bin", resolved.Oid), (fromMerge.Path, fromMerge.Pointer.Oid));
        Assert.Equal(3, scan.Pointers.Count);
    }

    [Fact]
    public async Task Walks_ten_thousand_commits_with_a_fixed_number_of_processes()
    {
        Git("init", "-q", "-b", "main");
        const int commits = 10_000;
        var import = new StringBuilder();
        for (var i = 1; i <= commits; i++)
        {
            var content = Pointer('a', i).Format();
            import.Append($"commit refs/heads/main\nmark :{i}\ncommitter T <t@example.com> {1_700_000_000 + i} +0000\ndata 1\nc\n");
            if (i > 1)
            {
                import.Append($"from :{i - 1}\n");
            }
            import.Append($"M 100644 inline f{i % 50}/file.bin\ndata {Encoding.UTF8.GetByteCount(content)}\n{content}\n");
        }
        GitWithInput(import.ToString(), "fast-import", "--quiet");

        // Count the git processes the scan starts through a shim that logs each one, then runs git.
        var log = Path.Combine(_dir, "git-invocations.log");
        var shim = Path.Combine(_dir, "git-shim.sh");
        File.WriteAllText(shim, $"#!/bin/sh\necho \"$1\" >> '{log}'\nexec git \"$@\"\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var scanner = new PointerScanner(new GitProcess(Options.Create(new GitOptions { Executable = shim })), NullLogger<PointerScanner>.Instance);

        var scan = await scanner.ScanAsync(GitDir, [], ["--all"], null, default);

        Assert.Equal(commits, scan.Commits.Count);
        Assert.Equal(commits, scan.Pointers.Count);
        // A pipeline: a handful of long-lived processes, never one per commit or per blob.
        var invocations = File.ReadAllLines(log);
        Assert.InRange(invocations.Length, 1, 5);
    }

    [Fact]
    public async Task Sees_nothing_for_revisions_already_excluded()
    {
        Git("init", "-q", "-b", "main");
        Write("a.bin", Pointer('1', 1).Format());
        var c1 = Commit("one");
        var scan = await _scanner.ScanAsync(GitDir, [c1], ["--not", "--all"], null, default);
        Assert.Empty(scan.Commits);
        Assert.Empty(scan.Pointers);
    }

    [Fact]
    public async Task A_tip_tree_scan_lists_every_pointer_of_the_tip_reading_only_blobs_the_commit_scan_did_not()
    {
        Git("init", "-q", "-b", "main");
        var old = Pointer('1', 10);
        var kept = Pointer('2', 20);
        var added = Pointer('3', 30);
        Write("old/model.bin", old.Format());
        Write("kept.bin", kept.Format());
        // Pointer-looking text of 1024 bytes or more is not a pointer, nor is a small text file.
        Write("big.txt", Pointer('4', 40).Format() + new string('x', 1100));
        Write("readme.txt", "just text\n");
        var c1 = Commit("old");
        Git("update-ref", "refs/heads/base", c1);
        Write("new/added.bin", added.Format());
        var c2 = Commit("new");

        // As the pre-receive check does: the new commits first, then the tip's whole tree.
        var scan = await _scanner.ScanAsync(GitDir, [c2], ["--not", "refs/heads/base"], null, default);
        Assert.Equal([("new/added.bin", added.Oid)], scan.Pointers.Select(p => (p.Path, p.Pointer.Oid)));
        var atTip = await _scanner.ScanTipTreesAsync(GitDir, [c2], null, scan, default);

        Assert.Equal(
            new HashSet<(string, string, LfsOid)> { (c2, "old/model.bin", old.Oid), (c2, "kept.bin", kept.Oid), (c2, "new/added.bin", added.Oid) },
            atTip.Select(p => (p.Commit, p.Path, p.Pointer.Oid)).ToHashSet());
        // Without the commit scan's blobs the tree reads the same.
        Assert.Equal(
            atTip.Select(p => (p.Path, p.Pointer.Oid)).ToHashSet(),
            (await _scanner.ScanTipTreesAsync(GitDir, [c2], null, null, default)).Select(p => (p.Path, p.Pointer.Oid)).ToHashSet());
    }

    private static LfsPointer Pointer(char fill, long size) =>
        new(LfsOid.Parse(new string(fill, 64 - size.ToString(System.Globalization.CultureInfo.InvariantCulture).Length) + size.ToString(System.Globalization.CultureInfo.InvariantCulture)), size);

    private void Write(string path, string content)
    {
        var full = Path.Combine(_dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    private string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
        return Head();
    }

    private string Head() => Git("rev-parse", "HEAD").Trim();

    private string Git(params string[] arguments) => GitWithInput(null, arguments);

    private int TryGit(params string[] arguments) => RunGit(null, arguments).ExitCode;

    private string GitWithInput(string? input, params string[] arguments)
    {
        var (exitCode, output, error) = RunGit(input, arguments);
        Assert.True(exitCode == 0, $"git {string.Join(' ', arguments)}: {error}");
        return output;
    }

    private (int ExitCode, string Output, string Error) RunGit(string? input, string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = _dir, RedirectStandardInput = input is not null, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["HOME"] = _dir;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "T";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "t@example.com";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        process.WaitForExit();
        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
