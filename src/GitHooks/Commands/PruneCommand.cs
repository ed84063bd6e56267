using GitHooks.Api;
using GitHooks.Filtering;
using GitHooks.Git;
using GitHooks.Prune;
using StorageServer.Protocol;
using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Commands;

public sealed record PruneRequest(bool DryRun, bool VerifyRemote, bool NoVerifyRemote, bool Verbose);

/// <summary>
/// <c>git storage prune [--dry-run] [--verify-remote] [--verbose]</c>: deletes local copies of
/// objects nothing keeps (<see cref="RetainedObjects"/>). With <c>--verify-remote</c> (or
/// <c>lfs.pruneverifyremotealways</c>) every object still referenced by some commit must be
/// confirmed by the remote's batch API first; if the remote lacks any, nothing is deleted.
/// </summary>
public sealed class PruneCommand(ICommandContext context)
{
    public async Task<int> RunAsync(PruneRequest request, CancellationToken cancellationToken)
    {
        if (request.VerifyRemote && request.NoVerifyRemote)
        {
            throw new LocalStorage.UserException("--verify-remote and --no-verify-remote contradict each other; give one.");
        }
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        var settings = PruneSettings.FromConfig(session.Config);
        var verify = !request.NoVerifyRemote && (request.VerifyRemote || settings.VerifyRemoteAlways);
        var local = LocalObjects.List(session.Repository.Objects);
        var retained = await new RetainedObjects(session.Git, settings, PathFilter.ExcludesFromConfig(session.Config), context.Time).FindAsync(cancellationToken);
        var prunable = local.Where(p => !retained.Contains(p.Oid)).OrderBy(p => p.Oid.Value, StringComparer.Ordinal).ToList();
        await context.Out.WriteLineAsync($"prune: {local.Count} local objects, {local.Count - prunable.Count} retained, done.");
        if (prunable.Count > 0 && verify && !await RemoteHasAllAsync(session, settings.Remote, prunable, cancellationToken))
        {
            return 1;
        }
        if (prunable.Count == 0)
        {
            await context.Out.WriteLineAsync("prune: nothing to prune.");
            return 0;
        }
        var size = Progress.TransferProgress.FormatBytes(prunable.Sum(p => p.Size));
        await context.Out.WriteLineAsync(request.DryRun
            ? $"prune: {prunable.Count} files would be pruned ({size}), done."
            : $"prune: deleting {prunable.Count} files ({size}).");
        if (request.Verbose)
        {
            foreach (var pointer in prunable)
            {
                await context.Out.WriteLineAsync($" * {pointer.Oid.Value} ({Progress.TransferProgress.FormatBytes(pointer.Size)})");
            }
        }
        if (!request.DryRun)
        {
            foreach (var pointer in prunable)
            {
                File.Delete(session.Repository.Objects.ObjectPath(pointer.Oid));
            }
            await context.Out.WriteLineAsync($"prune: Deleting objects: 100% ({prunable.Count}/{prunable.Count}), done.");
        }
        return 0;
    }

    /// <summary>
    /// Asks the remote (a download batch, nothing transferred) whether it has each prunable object
    /// that some commit still references; unreferenced ones need no copy anywhere.
    /// </summary>
    private async Task<bool> RemoteHasAllAsync(LfsSession session, string remote, List<LfsPointer> prunable, CancellationToken cancellationToken)
    {
        var reachable = new HashSet<Oid>();
        await foreach (var found in new PointerScanner(session.Git).ScanHistoryAsync(["--all"], [], cancellationToken))
        {
            reachable.Add(found.Pointer.Oid);
        }
        var endpoint = session.Endpoint(remote, upload: false);
        var batch = new BatchClient(session.ApiClient(endpoint), endpoint.Url, session.Retry);
        var missing = new List<string>();
        foreach (var chunk in prunable.Where(p => reachable.Contains(p.Oid) && p.Size > 0).Chunk(100))
        {
            var response = await batch.RequestAsync(BatchOperations.Download, chunk, null, cancellationToken);
            var confirmed = response.Objects.Where(o => o.Error is null && o.Actions?.Download is not null).Select(o => o.Oid).ToHashSet(StringComparer.Ordinal);
            missing.AddRange(chunk.Where(p => !confirmed.Contains(p.Oid.Value)).Select(p => p.Oid.Value));
        }
        if (missing.Count == 0)
        {
            await context.Out.WriteLineAsync($"prune: {prunable.Count} objects verified with remote {remote}.");
            return true;
        }
        await context.Error.WriteLineAsync($"prune: aborted, nothing deleted: the remote '{remote}' does not have these objects, which commits still reference:");
        foreach (var oid in missing)
        {
            await context.Error.WriteLineAsync($" * {oid}");
        }
        await context.Error.WriteLineAsync("Upload them first with 'git storage push --all', then prune again.");
        return false;
    }
}
