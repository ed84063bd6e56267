using System.Threading.Channels;
using GitHooks.Git;
using GitHooks.LocalStorage;
using GitHooks.Progress;
using GitHooks.Transfer;
using StorageServer.Protocol;
using StorageServer.Protocol.Pointers;

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
        using var fetcher = new DelayedFetcher(context, repository.Objects, cancellationToken);
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
            // git-lfs's hooks are replaced only where they could not run anyway (no git-lfs on PATH).
            var takeOver = !GitLfsHooks.IsInstalled(context.GetEnvironmentVariable("PATH") ?? Environment.GetEnvironmentVariable("PATH"));
            new HookInstaller(await InstallCommand.HooksDirectoryAsync(git, cancellationToken)).InstallAll(onlyIfAbsent: true, takeOverGitLfs: takeOver);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or GitException)
        {
            // Hooks are a convenience here; the filter must work regardless.
        }
    }
}

/// <summary>
/// Downloads the objects of delayed smudges through the normal transfer queue, fed while git is
/// still sending smudges (the session, with its endpoint and credentials, is opened on first use).
/// Paths <c>lfs.fetchinclude</c>/<c>lfs.fetchexclude</c> leave out are not downloaded (they stay
/// pointers). Every failure is reported here, once, with the same words the hooks use, and recorded
/// for the hook that runs after this checkout. A 410 (erased) is a warning like everywhere else; no
/// failure makes the filter fail.
/// </summary>
internal sealed class DelayedFetcher(ICommandContext context, LfsObjectStore store, CancellationToken cancellationToken) : IDelayedFetcher, IDisposable
{
    private LfsSession? _session;
    private bool _recorded;
    private Channel<LfsPointer>? _input;
    private Task<TransferResult>? _run;
    private TransferProgress? _progress;
    private Trace? _trace;
    private Filtering.PathFilter? _filter;
    private readonly Dictionary<Oid, string> _names = [];
    private readonly Dictionary<Oid, LfsPointer> _wanted = [];
    private int _paths;

    public async Task<bool> WantsAsync(string path, CancellationToken cancellationToken)
    {
        if (_filter is null)
        {
            _session ??= await LfsSession.OpenAsync(context, cancellationToken);
            _filter = Filtering.PathFilter.FromConfig(_session.Config);
        }
        return _filter.Allows(path);
    }

    public void Enqueue(string path, LfsPointer pointer)
    {
        if (_input is null)
        {
            _trace = Trace.Start(context);
            _input = Channel.CreateUnbounded<LfsPointer>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            _progress = new TransferProgress(context.Error, context.ErrorIsTerminal, "Downloading LFS objects", 0, 0, context.Time, open: true);
            var reader = _input.Reader;
            var progress = _progress;
            _run = Task.Run(() => RunAsync(reader, progress), cancellationToken);
        }
        _paths++;
        if (_names.TryAdd(pointer.Oid, path))
        {
            _wanted[pointer.Oid] = pointer;
            _progress!.AddWork(1, pointer.Size);
            _input.Writer.TryWrite(pointer);
        }
    }

    private async Task<TransferResult> RunAsync(ChannelReader<LfsPointer> reader, TransferProgress progress)
    {
        _session ??= await LfsSession.OpenAsync(context, cancellationToken);
        var remote = await _session.DefaultRemoteAsync(cancellationToken);
        return await _session.DownloadStreamingAsync(reader, remote, progress, cancellationToken);
    }

    public async Task<IReadOnlyCollection<LfsPointer>> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_input is null || _run is null || _progress is null)
        {
            return [];
        }
        _input.Writer.Complete();
        var wanted = _wanted.Values.ToList();
        List<(Oid Oid, int? Code)> failures;
        try
        {
            var result = await _run;
            await _progress.DisposeAsync();
            await TransferReport.PrintAsync(context, result, _names, upload: false);
            failures = [.. result.Failed.Select(f => (f.Pointer.Oid, f.Code))];
            await _trace!.StepAsync($"delayed checkout: downloaded {result.Transferred.Count} objects for {_paths} paths, {failures.Count} failed");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever went wrong, git must get its answer: the files stay pointers.
            await _progress.DisposeAsync();
            await context.Error.WriteLineAsync($"error: could not download LFS objects: {ex.Message}");
            await context.Error.WriteLineAsync("The files are left as pointers; run 'git storage pull' to try again.");
            failures = [.. wanted.Where(p => !store.Contains(p)).Select(p => (p.Oid, (int?)null))];
        }
        finally
        {
            _input = null;
            _run = null;
            _progress = null;
            _names.Clear();
            _wanted.Clear();
            _paths = 0;
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
        var failed = failures.Select(f => f.Oid).ToHashSet();
        return [.. wanted.Where(p => failed.Contains(p.Oid))];
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
