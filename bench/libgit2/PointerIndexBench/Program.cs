using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PointerIndexBench;
using StorageServer.Configuration;
using StorageServer.Git;
using StorageServer.Indexing;

// The pointer index of one repository's whole history, built twice per round in the same process:
// the server's PointerScanner (git rev-list | diff-tree | cat-file --batch-check / --batch) and
// LibGit2Sharp in process. Both must find the same (commit, path, oid) set; the times are compared.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: PointerIndexBench <bare-repository> [rounds]");
    return 2;
}
var gitDir = args[0];
var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
var scanner = new PointerScanner(new GitProcess(Options.Create(new GitOptions())), NullLogger<PointerScanner>.Instance);

async Task<(TimeSpan, HashSet<(string, string, string)>, int)> CliAsync()
{
    var clock = Stopwatch.StartNew();
    var scan = await scanner.ScanAsync(gitDir, [], ["--all"], null, CancellationToken.None);
    clock.Stop();
    return (clock.Elapsed, scan.Pointers.Select(p => (p.Commit, p.Path, p.Pointer.Oid.Value)).ToHashSet(), scan.Commits.Count);
}

(TimeSpan, HashSet<(string, string, string)>) InProcess()
{
    var clock = Stopwatch.StartNew();
    var found = LibGit2PointerScan.Run(gitDir);
    clock.Stop();
    return (clock.Elapsed, found.ToHashSet());
}

var cliTimes = new List<TimeSpan>();
var libTimes = new List<TimeSpan>();
for (var round = 0; round <= rounds; round++)
{
    // Alternate the order, and let round 0 warm both (JIT, page cache) without counting it.
    var (cli, cliSet, commits) = await CliAsync();
    var (lib, libSet) = InProcess();
    if (!cliSet.SetEquals(libSet))
    {
        Console.Error.WriteLine($"the two scans disagree: git {cliSet.Count} entries, LibGit2Sharp {libSet.Count}; "
            + $"only git: {cliSet.Except(libSet).Count()}, only LibGit2Sharp: {libSet.Except(cliSet).Count()}");
        return 1;
    }
    if (round == 0)
    {
        Console.WriteLine($"{commits} commits, {cliSet.Count} pointer entries, both scans agree");
        continue;
    }
    cliTimes.Add(cli);
    libTimes.Add(lib);
    Console.WriteLine($"round {round}: git CLI {cli.TotalSeconds,7:F2} s   LibGit2Sharp {lib.TotalSeconds,7:F2} s");
}
var cliBest = cliTimes.Min();
var libBest = libTimes.Min();
Console.WriteLine($"best of {rounds}: git CLI (PointerScanner) {cliBest.TotalSeconds:F2} s, LibGit2Sharp 0.32.0 {libBest.TotalSeconds:F2} s");
Console.WriteLine($"ratio LibGit2Sharp / git CLI: {libBest / cliBest:F2}");
Console.WriteLine($"peak working set of this process (both scans): {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
return 0;
