using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Erasure.Data;

namespace StorageServer.Erasure.Index;

/// <summary>One place a subject's data is stored: an object, and where the pointer index saw it (if anywhere).</summary>
public sealed record SubjectObject(string Oid, string? Repository, string? Path, string? Commit, SubjectSource Source);

/// <summary>
/// Which stored objects hold a subject's data, in every repository and every version: path rules
/// resolved over the whole pointer index (every commit of every ref ever indexed, not just the
/// tips) plus the tags a pipeline or a content scan recorded. Works from the subject's keyed
/// hash alone: a rule's <c>{subject}</c> segment is hashed and compared.
/// </summary>
public sealed class SubjectIndex(StorageDbContext db, SubjectHasher hasher)
{
    public async Task<List<SubjectObject>> FindAsync(string subjectHash, CancellationToken cancellationToken)
    {
        var found = new List<SubjectObject>();
        var rules = await (
                from rule in db.Set<SubjectPathRule>()
                join repository in db.Repositories on rule.RepositoryId equals repository.Id
                select new { rule.RepositoryId, repository.Name, rule.Pattern })
            .AsNoTracking().ToListAsync(cancellationToken);
        foreach (var repositoryRules in rules.GroupBy(r => (r.RepositoryId, r.Name)))
        {
            var patterns = repositoryRules
                .Select(r => SubjectPathPattern.TryParse(r.Pattern, out var parsed, out _) ? parsed : null)
                .OfType<SubjectPathPattern>().ToList();
            var pointers = db.PointerRefs.AsNoTracking()
                .Where(p => p.RepositoryId == repositoryRules.Key.RepositoryId)
                .Select(p => new { p.Path, p.Oid, p.CommitSha })
                .AsAsyncEnumerable();
            await foreach (var pointer in pointers.WithCancellation(cancellationToken))
            {
                if (patterns.Any(p => p.TryMatch(pointer.Path, out var subject) && hasher.Subject(subject) == subjectHash))
                {
                    found.Add(new SubjectObject(pointer.Oid, repositoryRules.Key.Name, pointer.Path, pointer.CommitSha, SubjectSource.PathRule));
                }
            }
        }

        var tagged = await db.Set<SubjectTag>().AsNoTracking().Where(t => t.SubjectHash == subjectHash).ToListAsync(cancellationToken);
        var taggedOids = tagged.Select(t => t.Oid).ToList();
        var claims = await (
                from claim in db.RepoObjects
                join repository in db.Repositories on claim.RepositoryId equals repository.Id
                where taggedOids.Contains(claim.Oid)
                select new { claim.Oid, repository.Name })
            .AsNoTracking().ToListAsync(cancellationToken);
        foreach (var tag in tagged)
        {
            var repositories = claims.Where(c => c.Oid == tag.Oid).Select(c => (string?)c.Name).DefaultIfEmpty(null);
            found.AddRange(repositories.Select(r => new SubjectObject(tag.Oid, r, null, null, tag.Source)));
        }
        return found;
    }
}
