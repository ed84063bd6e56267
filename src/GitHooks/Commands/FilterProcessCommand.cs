using GitHooks.Git;
using GitHooks.LocalStorage;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage filter-process</c>: the long-running filter git starts once per command.
/// Like git-lfs, it also puts the hooks in place when none exist yet, which is how a fresh clone
/// of a repository gets its post-checkout hook in time to download the data.
/// </summary>
public sealed class FilterProcessCommand(ICommandContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var git = new GitRunner(context.WorkingDirectory, context.GitEnvironment);
        var repository = await Repository.RequireAsync(git, cancellationToken);
        await EnsureHooksAsync(git, context, cancellationToken);
        using var fetcher = new DelayedFetcher(context, repository.Objects);
        var server = new FilterProcessServer(context.StdIn, context.StdOut, new FileFilter(repository.Objects), repository.Objects)
        {
            // GIT_LFS_SKIP_SMUDGE=1: files stay pointers, so there is nothing to delay for.
            Fetcher = context.GetEnvironmentVariable("GIT_LFS_SKIP_SMUDGE") == "1" ? null : fetcher,
        };
        await server.RunAsync(cancellationToken);
        return 0;
    }

    internal static async Task EnsureHooksAsync(GitRunner git, ICommandContext context, CancellationToken cancellationToken)
    {
        if (context.GetEnvironmentVariable("GIT_STORAGE_SKIP_HOOKS") == "1")
        {
            return;
        }
        try
        {
            new HookInstaller(await InstallCommand.HooksDirectoryAsync(git, cancellationToken)).InstallAll(onlyIfAbsent: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or GitException)
        {
            // Hooks are a convenience here; the filter must work regardless.
        }
    }
}

/// <summary>
/// Downloads the objects of delayed smudges through the normal transfer queue (the session, with
/// its endpoint and credentials, is opened on first use). Every failure is reported here, once,
/// with the same words the hooks use, and recorded for the hook that runs after this checkout.
/// A 410 (erased) is a warning like everywhere else; no failure makes the filter fail.
/// </summary>
internal sealed class DelayedFetcher(ICommandContext context, LfsObjectStore store) : IDelayedFetcher, IDisposable
{
    private LfsSession? _session;
    private bool _recorded;

    public async Task<IReadOnlyCollection<StorageServer.Protocol.Pointers.LfsPointer>> FetchAsync(
        IReadOnlyList<(string Path, StorageServer.Protocol.Pointers.LfsPointer Pointer)> objects, CancellationToken cancellationToken)
    {
        var trace = Trace.Start(context);
        var pointers = objects.Select(o => o.Pointer).ToList();
        var names = objects.GroupBy(o => o.Pointer.Oid).ToDictionary(g => g.Key, g => g.First().Path);
        List<(StorageServer.Protocol.Oid, int?)> failures;
        try
        {
            _session ??= await LfsSession.OpenAsync(context, cancellationToken);
            var remote = await _session.DefaultRemoteAsync(cancellationToken);
            var result = await _session.DownloadAsync(pointers, remote, null, cancellationToken);
            await TransferReport.PrintAsync(context, result, names, upload: false);
            failures = [.. result.Failed.Select(f => (f.Pointer.Oid, f.Code))];
            await trace.StepAsync($"delayed checkout: downloaded {result.Transferred.Count} objects for {objects.Count} paths, {failures.Count} failed");
        }
        catch (Exception ex) when (ex is UserException or GitException or IOException or HttpRequestException)
        {
            await context.Error.WriteLineAsync($"error: could not download LFS objects: {ex.Message}");
            await context.Error.WriteLineAsync("The files are left as pointers; run 'git storage pull' to try again.");
            failures = [.. pointers.Where(p => !store.Contains(p)).DistinctBy(p => p.Oid).Select(p => (p.Oid, (int?)null))];
        }
        if (failures.Count > 0)
        {
            try
            {
                DelayFailures.Record(store, failures, fresh: !_recorded);
                _recorded = true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Without the record the hook tries those objects once more; no harm beyond a repeated warning.
            }
        }
        var failed = failures.Select(f => f.Item1).ToHashSet();
        return [.. pointers.Where(p => failed.Contains(p.Oid))];
    }

    public void Dispose() => _session?.Dispose();
}

/// <summary><c>git storage clean -- &lt;path&gt;</c>: single-file fallback of the filter, stdin to stdout.</summary>
public sealed class CleanCommand(ICommandContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repository = await Repository.RequireAsync(new GitRunner(context.WorkingDirectory, context.GitEnvironment), cancellationToken);
        await new FileFilter(repository.Objects).CleanAsync(context.StdIn, context.StdOut, cancellationToken);
        await context.StdOut.FlushAsync(cancellationToken);
        return 0;
    }
}

/// <summary><c>git storage smudge -- &lt;path&gt;</c>: single-file fallback; data from the cache, else the pointer.</summary>
public sealed class SmudgeCommand(ICommandContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repository = await Repository.RequireAsync(new GitRunner(context.WorkingDirectory, context.GitEnvironment), cancellationToken);
        await new FileFilter(repository.Objects).SmudgeAsync(context.StdIn, context.StdOut, cancellationToken);
        await context.StdOut.FlushAsync(cancellationToken);
        return 0;
    }
}
