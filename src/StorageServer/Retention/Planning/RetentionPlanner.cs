using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Holds;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Keeping;
using StorageServer.Retention.Reachability;
using StorageServer.Retention.Sweeping;

namespace StorageServer.Retention.Planning;

/// <summary>
/// Plans a mark for one repository: every live claim is put to <see cref="ObjectKeepRules"/>
/// against the repository's state as the refresh left it; claims nothing keeps become candidates
/// (or "held" items when only a legal hold keeps them), and the rest are counted by reason for the
/// report's summary.
/// </summary>
public sealed class RetentionPlanner(StorageDbContext db, KeepStateBuilder states, LegalHoldQuery holds, UploadLeases leases, TimeProvider clock)
{
    public async Task<RetentionPlan> PlanAsync(RepositorySnapshot snapshot, CancellationToken cancellationToken)
    {
        var repository = snapshot.Repository;
        var now = clock.GetUtcNow();
        var state = await states.BuildAsync(snapshot, cancellationToken);
        var claims = await (
                from claim in db.RepoObjects
                join stored in db.Objects on claim.Oid equals stored.Oid
                where claim.RepositoryId == repository.Id && stored.State == ObjectState.Live
                select new { claim.Oid, claim.UploadedAt, stored.Size })
            .AsNoTracking().ToListAsync(cancellationToken);
        var uploading = await leases.FindLeasedAsync(db, now, cancellationToken);

        var plan = new RetentionPlan(repository);
        var verdicts = claims.Select(c => (Claim: c, Verdict: ObjectKeepRules.Decide(state, c.Oid, c.UploadedAt, uploading.Contains(c.Oid), null, now))).ToList();
        var held = await holds.FindHeldAsync(verdicts.Where(v => !v.Verdict.Keep).Select(v => v.Claim.Oid).ToList(), cancellationToken);
        foreach (var (claim, first) in verdicts)
        {
            var verdict = first.Keep ? first : ObjectKeepRules.Decide(state, claim.Oid, claim.UploadedAt, false, held.GetValueOrDefault(claim.Oid), now);
            plan.Count(verdict);
            if (!verdict.Keep || verdict.Reason == KeepReasons.Held)
            {
                var action = verdict.Keep ? RetentionActions.Held : RetentionActions.Trash;
                plan.Items.Add(new RetentionDecision(repository.Id, repository.Name, claim.Oid, claim.Size, verdict.Path ?? snapshot.Rows.GetValueOrDefault(claim.Oid)?.LastPath,
                    verdict.Ref ?? snapshot.Rows.GetValueOrDefault(claim.Oid)?.LastRef, verdict.Policy ?? KeepReasons.Held, verdict.Detail, action));
            }
        }
        plan.UnprotectedRefs.AddRange(state.Refs.Where(r => !state.Policies.IsProtected(r.Name)).Select(r => r.Name));
        return plan;
    }
}
