using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Dvc.Indexing;
using StorageServer.Indexing;
using StorageServer.Repos;

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
        var group = routes.MapGroup("/internal/hooks").ExcludeFromDescription();
        group.MapPost("/pre-receive", PreReceiveAsync);
        group.MapPost("/post-receive", PostReceiveAsync);
    }

    /// <summary>
    /// Rejects the push when its new commits point at LFS objects this repository does not hold, or
    /// name DVC outputs it does not hold (unless the repository only warns about those).
    /// </summary>
    private static async Task<Results<Ok, ContentHttpResult, NotFound>> PreReceiveAsync(
        HttpContext context, GitHooks hooks, StorageDbContext db, GitRepositoryLayout layout, PointerScanner scanner, LfsObjectCheck check,
        DvcPushCheck dvcCheck, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var request = await ReadAsync(context, hooks, db, cancellationToken);
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
        IReadOnlyList<PointerEntry> missing;
        DvcPushVerdict dvc;
        try
        {
            var scan = await scanner.ScanAsync(layout.PathOf(request.Repository.Name), tips, ["--not", "--all"], environment, cancellationToken);
            missing = await check.FindMissingAsync(request.Repository.Id, scan.Pointers, cancellationToken);
            dvc = await dvcCheck.CheckAsync(request.Repository.Id, scan.DvcOutputs, cancellationToken);
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
        var message = (missing.Count > 0 ? RejectionMessage(missing) : string.Empty) + (dvc.Missing.Count > 0 ? dvc.Message() : string.Empty);
        return TypedResults.Text(message, "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status403Forbidden);
    }

    /// <summary>Indexes the pointers of the commits that landed.</summary>
    private static async Task<Results<Ok, ContentHttpResult, NotFound>> PostReceiveAsync(
        HttpContext context, GitHooks hooks, StorageDbContext db, PointerIndexer indexer, IHostApplicationLifetime lifetime,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var request = await ReadAsync(context, hooks, db, cancellationToken);
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
        // New commits: reachable from the new tips, not from the old tips nor from any ref this
        // push did not touch (the touched refs already point at the new tips). Not --all: it
        // includes HEAD, which may be one of the touched refs. Ref names cannot hold glob characters.
        var arguments = new List<string> { "--not" };
        arguments.AddRange(updates.Select(u => "--exclude=" + u.Ref));
        arguments.Add("--glob=refs/*");
        // The push has landed: finish indexing even if the pusher hangs up.
        try
        {
            await indexer.IndexAsync(request.Repository, revisions, arguments, lifetime.ApplicationStopping);
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

    internal static string RejectionMessage(IReadOnlyList<PointerEntry> missing)
    {
        var text = new StringBuilder();
        var objects = missing.Select(m => m.Pointer.Oid).Distinct().Count();
        text.Append(CultureInfo.InvariantCulture, $"StorageServer: push rejected: {objects} Git LFS object(s) referenced by the pushed commits are not on the server.\n");
        foreach (var entry in missing.DistinctBy(m => (m.Path, m.Pointer.Oid)).Take(MaxListed))
        {
            text.Append(CultureInfo.InvariantCulture, $"  missing: {entry.Path} (sha256:{entry.Pointer.Oid.Value}, {entry.Pointer.Size} bytes) in commit {entry.Commit[..Math.Min(12, entry.Commit.Length)]}\n");
        }
        if (missing.Count > MaxListed)
        {
            text.Append(CultureInfo.InvariantCulture, $"  … and {missing.Count - MaxListed} more\n");
        }
        text.Append("Upload them first (`git lfs push --all <remote> <branch>`), then push again.\n");
        return text.ToString();
    }

    private static void AddPath(Dictionary<string, string> environment, string name, string? value, string workingDirectory)
    {
        if (!string.IsNullOrEmpty(value))
        {
            environment[name] = Path.GetFullPath(value, workingDirectory);
        }
    }

    private static async Task<HookRequest?> ReadAsync(HttpContext context, GitHooks hooks, StorageDbContext db, CancellationToken cancellationToken)
    {
        if (!hooks.IsSecret(context.Request.Headers[GitHooks.SecretHeader].ToString()) || !context.Request.HasFormContentType)
        {
            return null;
        }
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var name = form["repository"].ToString();
        if (!RepoNames.IsValid(name))
        {
            return null;
        }
        var repository = await db.Repositories.AsNoTracking().SingleOrDefaultAsync(r => r.Name == name, cancellationToken);
        if (repository is null)
        {
            return null;
        }
        var updates = new List<RefUpdate>();
        foreach (var line in form["refs"].ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length == 3 && IsObjectName(parts[0]) && IsObjectName(parts[1]) && parts[2].StartsWith("refs/", StringComparison.Ordinal))
            {
                updates.Add(new RefUpdate(parts[0], parts[1], parts[2]));
            }
        }
        var cwd = form["cwd"].ToString();
        return new HookRequest(repository, updates, cwd.Length > 0 ? cwd : Path.GetTempPath(),
            form["objectDirectory"].ToString(), form["alternateObjectDirectories"].ToString(), form["quarantinePath"].ToString());
    }

    private static bool IsObjectName(string value) => value.Length is 40 or 64 && value.All(char.IsAsciiHexDigitLower);

    private sealed record HookRequest(
        Repository Repository, IReadOnlyList<RefUpdate> Updates, string WorkingDirectory,
        string ObjectDirectory, string AlternateObjectDirectories, string QuarantinePath);

    private sealed record RefUpdate(string Old, string New, string Ref)
    {
        public bool IsDeletion => New.All(c => c == '0');

        public bool IsCreation => Old.All(c => c == '0');
    }
}
