using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Dvc.Indexing;
using StorageServer.Indexing;
using StorageServer.Repos;
using StorageServer.RequestLimits;

namespace StorageServer.Git;

/// <summary>
/// <c>/internal/hooks/*</c>: what the hook scripts of <see cref="GitHooks"/> call. Only a request
/// carrying this process's hook secret is served; anyone else gets 404.
/// </summary>
public static class HookEndpoints
{
    /// <summary>Missing objects listed in a rejection; the rest are counted.</summary>
    private const int MaxListed = 50;

    public static void MapHookEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/internal/hooks").ExcludeFromDescription().WithRequestBody(RequestBodyKind.Streamed);
        group.MapPost("/pre-receive", PreReceiveAsync);
        group.MapPost("/post-receive", PostReceiveAsync);
    }

    /// <summary>
    /// Rejects the push when its new commits point at LFS objects this repository does not hold, or
    /// name DVC outputs it does not hold (unless the repository only warns about those), or when the
    /// tree of a pushed tip names objects it lost for good; trashed ones are put back first.
    /// </summary>
    private static async Task<Results<Ok, ContentHttpResult, NotFound>> PreReceiveAsync(
        HttpContext context, GitHooks hooks, StorageDbContext db, GitRepositoryLayout layout, PointerScanner scanner, PushTipTrees tipScanner, LfsObjectCheck check,
        DvcTipCheck dvcTips, DvcPushCheck dvcCheck, Objects.ObjectClaims claims, PushScanHandoff handoff, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var request = await HookRequestReader.ReadAsync(context, hooks, db, cancellationToken);
        if (request is null)
        {
            return TypedResults.NotFound();
        }
        var tips = request.Updates.Where(u => !u.IsDeletion).Select(u => u.New).Distinct().ToList();
        if (tips.Count == 0)
        {
            return TypedResults.Ok();
        }
        // The pushed objects are still in quarantine: only visible through git's variables.
        var environment = new Dictionary<string, string>();
        AddPath(environment, "GIT_OBJECT_DIRECTORY", request.ObjectDirectory, request.WorkingDirectory);
        AddPath(environment, "GIT_QUARANTINE_PATH", request.QuarantinePath, request.WorkingDirectory);
        if (!string.IsNullOrEmpty(request.AlternateObjectDirectories))
        {
            environment["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = string.Join(':',
                request.AlternateObjectDirectories.Split(':').Select(p => Path.GetFullPath(p, request.WorkingDirectory)));
        }
        var logger = loggers.CreateLogger(typeof(HookEndpoints));
        PointerScan scan;
        IReadOnlyList<PointerEntry> missing;
        DvcPushVerdict dvc;
        HashSet<string> erased;
        try
        {
            // The new commits, and the whole tree of every pushed tip: a clone of any pushed ref must
            // find all its objects, even when the ref points at a commit the repository already had.
            var gitDir = layout.PathOf(request.Repository.Name);
            scan = await scanner.ScanAsync(gitDir, tips, ["--not", "--all"], environment, cancellationToken);
            var tipTrees = await tipScanner.ScanAsync(request.Repository.Id, gitDir, tips, environment, scan, cancellationToken);
            missing = await check.FindMissingOrLostAsync(request.Repository.Id, scan.Pointers, tipTrees, cancellationToken);
            var dvcLost = await dvcTips.FindLostAsync(request.Repository.Id, gitDir, tips, environment, cancellationToken);
            dvc = await dvcCheck.CheckAsync(request.Repository.Id, scan.DvcOutputs, dvcLost, cancellationToken);
            erased = await claims.FindErasedAsync(missing.Select(m => m.Pointer.Oid.Value).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or FormatException or DbUpdateException or System.Data.Common.DbException)
        {
            // Fail closed: an unchecked push could reference objects nobody uploaded.
            logger.LogError(e, "Push check for {Repository} failed", request.Repository.Name);
            return TypedResults.Text("StorageServer: the push could not be checked for Git LFS objects and DVC outputs; please try again.\n",
                "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status500InternalServerError);
        }
        if (missing.Count == 0 && !dvc.Refused)
        {
            handoff.Remember(request.Repository.Id, request.PushId, request.Updates, scan);
            if (dvc.Missing.Count == 0)
            {
                return TypedResults.Ok();
            }
            // Accepted: the hook prints the body to the pusher as "remote: …".
            logger.LogInformation("Push to {Repository} accepted with {Missing} DVC outputs not uploaded yet", request.Repository.Name, dvc.Missing.Count);
            return TypedResults.Text(dvc.Message(), "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status200OK);
        }
        logger.LogWarning("Push to {Repository} rejected: {Missing} LFS objects and {DvcMissing} DVC outputs missing",
            request.Repository.Name, missing.Count, dvc.Missing.Count);
        var message = (missing.Count > 0 ? RejectionMessage(missing, erased) : string.Empty) + (dvc.Missing.Count > 0 ? dvc.Message() : string.Empty);
        return TypedResults.Text(message, "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status403Forbidden);
    }

    /// <summary>Indexes the pointers of the commits that landed.</summary>
    private static async Task<Results<Ok, ContentHttpResult, NotFound>> PostReceiveAsync(
        HttpContext context, GitHooks hooks, StorageDbContext db, PointerIndexer indexer, GitProcess git, GitRepositoryLayout layout,
        PushScanHandoff handoff, IHostApplicationLifetime lifetime, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var request = await HookRequestReader.ReadAsync(context, hooks, db, cancellationToken);
        if (request is null)
        {
            return TypedResults.NotFound();
        }
        var logger = loggers.CreateLogger(typeof(HookEndpoints));
        var updates = request.Updates;
        var revisions = updates.Where(u => !u.IsDeletion).Select(u => u.New)
            .Concat(updates.Where(u => !u.IsCreation).Select(u => "^" + u.Old)).Distinct().ToList();
        if (!updates.Any(u => !u.IsDeletion))
        {
            await NotifyListenersAsync(context, request.Repository, logger, lifetime.ApplicationStopping);
            return TypedResults.Ok();
        }
        // The push has landed: finish indexing even if the pusher hangs up.
        try
        {
            var gitDir = layout.PathOf(request.Repository.Name);
            // Every update the check saw landed: its scan of the commits no ref reached then (--not
            // --all) is this push's new commits, unless HEAD named a commit directly (--all has HEAD).
            if (handoff.Take(request.Repository.Id, request.PushId, updates) is { } scanned && HeadIsSymbolic(gitDir))
            {
                await indexer.IndexScanAsync(request.Repository, scanned, lifetime.ApplicationStopping);
            }
            else
            {
                // New commits: reachable from the new tips, not from the old tips nor from any ref this
                // push did not touch (the touched refs already point at the new tips). Not --all: it
                // includes HEAD, which may be one of the touched refs. All of it goes to rev-list's
                // stdin, never its command line, which a push of 50,000 refs would overflow.
                var touched = updates.Select(u => u.Ref).ToHashSet(StringComparer.Ordinal);
                var untouched = await RefTipsAsync(git, gitDir, lifetime.ApplicationStopping);
                revisions.AddRange(untouched.Where(r => !touched.Contains(r.Ref)).Select(r => "^" + r.Tip).Distinct(StringComparer.Ordinal));
                await indexer.IndexAsync(request.Repository, revisions, [], lifetime.ApplicationStopping);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or FormatException or DbUpdateException or System.Data.Common.DbException)
        {
            logger.LogError(e, "Indexing the push to {Repository} failed; a rescan will repair the index", request.Repository.Name);
            return TypedResults.Text("StorageServer: the push landed, but its Git LFS pointers were not indexed; an admin rescan will fix this.\n",
                "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status500InternalServerError);
        }
        await NotifyListenersAsync(context, request.Repository, logger, lifetime.ApplicationStopping);
        return TypedResults.Ok();
    }

    private static async Task NotifyListenersAsync(HttpContext context, Repository repository, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var listener in context.RequestServices.GetServices<IPushListener>())
        {
            try
            {
                await listener.OnPushedAsync(repository, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Push listener {Listener} failed for {Repository}", listener.GetType().Name, repository.Name);
            }
        }
    }

    /// <summary>Whether the bare repository's HEAD is a symbolic ref (<c>ref: refs/heads/…</c>), as the server creates it, not a commit.</summary>
    private static bool HeadIsSymbolic(string gitDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(gitDir, "HEAD")).StartsWith("ref: ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Every ref of the repository with the object it points at.</summary>
    private static async Task<List<(string Ref, string Tip)>> RefTipsAsync(GitProcess git, string gitDir, CancellationToken cancellationToken)
    {
        var listing = await git.RunAsync(gitDir, ["for-each-ref", "--format=%(objectname) %(refname)"], cancellationToken);
        listing.EnsureSuccess("for-each-ref");
        return listing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => (parts[1], parts[0]))
            .ToList();
    }

    internal static string RejectionMessage(IReadOnlyList<PointerEntry> missing, IReadOnlySet<string>? erased = null)
    {
        var text = new StringBuilder();
        var objects = missing.Select(m => m.Pointer.Oid).Distinct().Count();
        text.Append(CultureInfo.InvariantCulture, $"StorageServer: push rejected: {objects} Git LFS object(s) referenced by the pushed commits are not on the server.\n");
        foreach (var entry in missing.DistinctBy(m => (m.Path, m.Pointer.Oid)).Take(MaxListed))
        {
            var what = erased?.Contains(entry.Pointer.Oid.Value) == true ? "erased under a data-protection request, cannot be pushed again" : "missing";
            text.Append(CultureInfo.InvariantCulture, $"  {what}: {entry.Path} (sha256:{entry.Pointer.Oid.Value}, {entry.Pointer.Size} bytes) {(entry.Commit.Length == 0 ? "at a pushed tip" : $"in commit {entry.Commit[..Math.Min(12, entry.Commit.Length)]}")}\n");
        }
        if (missing.Count > MaxListed)
        {
            text.Append(CultureInfo.InvariantCulture, $"  … and {missing.Count - MaxListed} more\n");
        }
        text.Append(erased is { Count: > 0 }
            ? "Remove the erased files from these commits (a data-protection request erased them), upload any missing ones (`git lfs push --all <remote> <branch>`), then push again.\n"
            : "Upload them first (`git lfs push --all <remote> <branch>`), then push again.\n");
        return text.ToString();
    }

    private static void AddPath(Dictionary<string, string> environment, string name, string? value, string workingDirectory)
    {
        if (!string.IsNullOrEmpty(value))
        {
            environment[name] = Path.GetFullPath(value, workingDirectory);
        }
    }
}
