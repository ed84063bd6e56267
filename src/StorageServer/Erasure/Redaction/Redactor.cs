using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Audit;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Requests;
using StorageServer.Git;
using StorageServer.Objects;
using StorageServer.Protocol.Pointers;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Erasure.Redaction;

/// <summary>
/// Replaces a shared line-oriented file by a successor without the subject's lines: stores the
/// successor (claimed by every repository that claimed the original), then, on every branch whose
/// tip still holds the original at some path, has the server commit the successor's pointer there.
/// Both steps are idempotent, so a request interrupted between them resumes cleanly.
/// </summary>
public sealed class Redactor(
    StorageDbContext db, IObjectStore store, ObjectUploadService uploads, IServiceProvider services, GitProcess git,
    GitRepositoryLayout layout, AuditLog audit, IOptions<StorageServerOptions> server, ILogger<Redactor> logger)
{
    public const string Actor = "system:erasure";
    private const int MaxCommitAttempts = 5;

    public async Task EnsureSuccessorAsync(ErasureItem item, CancellationToken cancellationToken)
    {
        if (item.SuccessorOid is not null)
        {
            return;
        }
        await using var original = await store.OpenReadAsync(Oid.Parse(item.Oid), 0, cancellationToken)
            ?? throw new InvalidOperationException($"Object {item.Oid} to redact is missing from the {store.Name} store.");
        using var successor = await SuccessorWriter.WriteAsync(original, ErasurePlanner.ParseLines(item.DropLines),
            Path.Combine(server.Value.FullDataDir, "tmp", "erasure"), cancellationToken);
        var claimants = await db.RepoObjects.AsNoTracking().Where(c => c.Oid == item.Oid).Select(c => c.RepositoryId).ToListAsync(cancellationToken);
        foreach (var repositoryId in claimants)
        {
            await using var content = File.OpenRead(successor.Path);
            var result = await uploads.UploadAsync(repositoryId, Oid.Parse(successor.Oid), successor.Size, content, Actor, null, cancellationToken);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Storing the redacted successor of {item.Oid} failed: {result.Outcome}.");
            }
        }
        item.SuccessorOid = successor.Oid;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Erasure request {ErasureRequest}: stored redacted successor {Successor} ({Size} bytes)", item.RequestId, successor.Oid, successor.Size);
    }

    public async Task CommitSuccessorAsync(ErasureItem item, CancellationToken cancellationToken)
    {
        if (item.SuccessorCommitted || item.SuccessorOid is null)
        {
            return;
        }
        var commits = services.GetService<ServerCommits>() ?? throw new InvalidOperationException("Git hosting is disabled: cannot commit redacted successors.");
        var successorSize = await db.Objects.AsNoTracking().Where(o => o.Oid == item.SuccessorOid).Select(o => o.Size).SingleAsync(cancellationToken);
        var pointer = new LfsPointer(Oid.Parse(item.SuccessorOid), successorSize).ToBytes();
        var locations = await (
                from p in db.PointerRefs
                join r in db.Repositories on p.RepositoryId equals r.Id
                where p.Oid == item.Oid
                select new { Repository = r, p.Path })
            .AsNoTracking().ToListAsync(cancellationToken);
        foreach (var group in locations.GroupBy(l => l.Repository.Id))
        {
            var repository = group.First().Repository;
            var paths = group.Select(l => l.Path).Distinct(StringComparer.Ordinal).ToList();
            var gitDir = layout.PathOf(repository.Name);
            foreach (var branch in await BranchesAsync(gitDir, cancellationToken))
            {
                for (var attempt = 1; ; attempt++)
                {
                    var tip = await TipAsync(gitDir, branch, cancellationToken);
                    if (tip is null)
                    {
                        break;
                    }
                    var edits = new List<TreeEdit>();
                    foreach (var path in paths)
                    {
                        if (await PointerAtAsync(gitDir, tip, path, cancellationToken) == item.Oid)
                        {
                            edits.Add(new TreeEdit(path, pointer));
                        }
                    }
                    if (edits.Count == 0)
                    {
                        break;
                    }
                    var message = $"Erasure request {item.RequestId}: redact {edits.Count} file(s) under a data-protection request\n";
                    var result = await commits.CommitAsync(repository, branch, tip, edits, message, cancellationToken);
                    if (result.Committed)
                    {
                        await audit.AppendAsync(Actor, "erasure.commit", item.RequestId,
                            new { repository = repository.Name, branch, commit = result.CommitSha, files = edits.Count }, cancellationToken);
                        break;
                    }
                    if (attempt >= MaxCommitAttempts)
                    {
                        throw new InvalidOperationException($"Could not commit the redacted successor on {repository.Name} {branch}: {MaxCommitAttempts} races with pushes.");
                    }
                }
            }
        }
        item.SuccessorCommitted = true;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<List<string>> BranchesAsync(string gitDir, CancellationToken cancellationToken)
    {
        var result = (await git.RunAsync(gitDir, ["for-each-ref", "--format=%(refname)", "refs/heads/"], cancellationToken)).EnsureSuccess("for-each-ref");
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private async Task<string?> TipAsync(string gitDir, string branch, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(gitDir, ["rev-parse", "--verify", "--quiet", branch + "^{commit}"], cancellationToken);
        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>The oid of the LFS pointer at <paramref name="path"/> in <paramref name="commit"/>, or null.</summary>
    private async Task<string?> PointerAtAsync(string gitDir, string commit, string path, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(gitDir, ["cat-file", "blob", $"{commit}:{path}"], cancellationToken);
        return result.Succeeded && result.Output.Length <= LfsPointer.MaxSize
            && LfsPointer.TryParse(System.Text.Encoding.UTF8.GetBytes(result.Output), out var parsed)
            ? parsed.Oid.Value
            : null;
    }
}
