using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Data;
using StorageServer.Erasure.Api;
using StorageServer.Erasure.Data;

namespace StorageServer.Erasure.Preview;

/// <summary>The preview, or why there is none yet (<see cref="NotFound"/>: no such request).</summary>
public sealed record PreviewResult(PreviewResponse? Preview, string? Error, bool NotFound = false);

/// <summary>
/// What approving a request would do, as the API and the console show it: totals, flags,
/// approvals, the branch tips it changes, and its objects a page at a time with where they occur.
/// </summary>
public sealed class ErasurePreviewQuery(StorageDbContext db, IOptions<ErasureOptions> options)
{
    public const int MaxLocations = 100;
    public const int MaxLimit = 500;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<PreviewResult> GetAsync(string id, int offset, int limit, CancellationToken cancellationToken)
    {
        var request = await db.Set<ErasureRequest>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return new PreviewResult(null, $"Erasure request '{id}' not found.", NotFound: true);
        }
        if (request.PlannedAt is null)
        {
            return new PreviewResult(null, "The preview is not ready yet (the request is being received); follow GET /api/erasure/requests/" + id + ".");
        }
        var items = db.Set<ErasureItem>().AsNoTracking().Where(i => i.RequestId == id);
        var totals = await items.GroupBy(i => 1).Select(g => new
        {
            Objects = g.Count(),
            Erase = g.Count(i => i.Action == ErasureAction.Erase),
            Redact = g.Count(i => i.Action == ErasureAction.Redact),
            Removed = g.Sum(i => i.RecordsRemoved ?? 0),
        }).SingleOrDefaultAsync(cancellationToken);
        var occurrences = db.PointerRefs.AsNoTracking().Where(p => items.Select(i => i.Oid).Contains(p.Oid));
        var versions = await occurrences.CountAsync(cancellationToken);
        var repositories = await occurrences.Select(p => p.RepositoryId).Distinct().CountAsync(cancellationToken);

        var page = await items.OrderBy(i => i.Oid).Skip(offset).Take(limit).ToListAsync(cancellationToken);
        var oids = page.Select(i => i.Oid).ToList();
        var sizes = await db.Objects.AsNoTracking().Where(o => oids.Contains(o.Oid)).ToDictionaryAsync(o => o.Oid, o => o.Size, cancellationToken);
        var seen = await (
                from p in db.PointerRefs
                join r in db.Repositories on p.RepositoryId equals r.Id
                where oids.Contains(p.Oid)
                orderby r.Name, p.Path, p.CommitSha
                select new { p.Oid, Repository = r.Name, p.Path, p.CommitSha })
            .AsNoTracking().ToListAsync(cancellationToken);
        var byOid = seen.ToLookup(s => s.Oid, StringComparer.Ordinal);
        var objects = page.Select(i => new PreviewObject(
            i.Oid, sizes.TryGetValue(i.Oid, out var size) ? size : null, i.Action.ToString().ToLowerInvariant(), SourceNames(i.Source), i.Flag,
            i.Action == ErasureAction.Redact
                ? new PreviewRecords(i.RecordsTotal ?? 0, i.RecordsRemoved ?? 0, i.Examples is null ? [] : JsonSerializer.Deserialize<List<RecordExample>>(i.Examples, Json)!)
                : null,
            new PreviewLocations(byOid[i.Oid].Count(), byOid[i.Oid].Take(MaxLocations).Select(s => new PreviewLocation(s.Repository, s.Path, s.CommitSha)).ToList())))
            .ToList();

        var approvals = new List<ApprovalResponse>();
        if (request is { FirstApprover: { } first, FirstApprovedAt: { } firstAt })
        {
            approvals.Add(new ApprovalResponse(first, firstAt));
        }
        if (request is { SecondApprover: { } second, SecondApprovedAt: { } secondAt })
        {
            approvals.Add(new ApprovalResponse(second, secondAt));
        }
        var tips = request.TipsJson is null ? new TipEffects(0, []) : JsonSerializer.Deserialize<TipEffects>(request.TipsJson, Json)!;
        return new PreviewResult(new PreviewResponse(
            id, ErasureRequestResponse.StateName(request.State), request.PlannedAt, request.Flags?.Split(',') ?? [], options.Value.FlagRecordShare,
            options.Value.RequireSecondApprover ? 2 : 1, approvals,
            new PreviewSummary(totals?.Objects ?? 0, totals?.Erase ?? 0, totals?.Redact ?? 0, totals?.Removed ?? 0, repositories, versions),
            tips, new PreviewObjectPage(totals?.Objects ?? 0, offset, limit, objects)), null);
    }

    private static List<string> SourceNames(SubjectSource source)
    {
        var names = new List<string>();
        if (source.HasFlag(SubjectSource.PathRule))
        {
            names.Add("path-rule");
        }
        if (source.HasFlag(SubjectSource.Tag))
        {
            names.Add("tag");
        }
        if (source.HasFlag(SubjectSource.Scan))
        {
            names.Add("scan");
        }
        return names;
    }
}
