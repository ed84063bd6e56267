using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Index;
using StorageServer.Erasure.Jobs;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Erasure.Api;

/// <summary>
/// <c>/api/erasure/subjects</c>: the subject index. A subject in plain text travels only in request
/// bodies (never in a URL, which access logs keep); the index answers by keyed hash.
/// </summary>
internal static class SubjectEndpoints
{
    public static void MapSubjects(this RouteGroupBuilder group)
    {
        group.MapPost("/subjects/lookup", LookupAsync);
        group.MapGet("/subjects/{hash}/objects", ObjectsAsync);
        group.MapPost("/subjects/tags", TagAsync);
        group.MapPost("/subjects/scan", ScanAsync);
    }

    private static async Task<Results<Ok<SubjectObjectsResponse>, BadRequest<ApiError>>> LookupAsync(
        SubjectRequest body, SubjectHasher hasher, SubjectIndex index, CancellationToken cancellationToken)
    {
        if (ErasureInput.CheckSubject(body.Subject) is { } error)
        {
            return TypedResults.BadRequest(new ApiError(error));
        }
        return TypedResults.Ok(await FindAsync(index, hasher.Subject(body.Subject!), cancellationToken));
    }

    private static async Task<Results<Ok<SubjectObjectsResponse>, BadRequest<ApiError>>> ObjectsAsync(string hash, SubjectIndex index, CancellationToken cancellationToken)
    {
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))
        {
            return TypedResults.BadRequest(new ApiError("Expected the subject's keyed hash: 64 lowercase hex characters (as returned by POST /api/erasure/subjects/lookup)."));
        }
        return TypedResults.Ok(await FindAsync(index, hash, cancellationToken));
    }

    private static async Task<SubjectObjectsResponse> FindAsync(SubjectIndex index, string hash, CancellationToken cancellationToken)
    {
        var found = await index.FindAsync(hash, cancellationToken);
        return new SubjectObjectsResponse(hash, found
            .Select(f => new SubjectObjectResponse(f.Oid, f.Repository, f.Path, f.Commit, f.Source.ToString().ToLowerInvariant()))
            .OrderBy(f => f.Oid, StringComparer.Ordinal).ThenBy(f => f.Repository, StringComparer.Ordinal).ThenBy(f => f.Path, StringComparer.Ordinal)
            .ToList());
    }

    /// <summary>A data pipeline records which objects hold a subject's data.</summary>
    private static async Task<Results<Ok<object>, BadRequest<ApiError>>> TagAsync(
        TagSubjectRequest body, StorageDbContext db, SubjectHasher hasher, AuditLog audit, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        if (ErasureInput.CheckSubject(body.Subject) is { } error)
        {
            return TypedResults.BadRequest(new ApiError(error));
        }
        if (body.Oids is not { Count: > 0 and <= 10_000 } || body.Oids.Any(o => !Oid.IsValid(o)))
        {
            return TypedResults.BadRequest(new ApiError("oids must list 1 to 10000 object ids (64 lowercase hex characters)."));
        }
        var subject = hasher.Subject(body.Subject!);
        var oids = body.Oids.Distinct(StringComparer.Ordinal).ToList();
        var known = await db.Set<SubjectTag>().Where(t => t.SubjectHash == subject && oids.Contains(t.Oid)).Select(t => t.Oid).ToListAsync(cancellationToken);
        var user = context.User.UserName();
        var now = clock.GetUtcNow();
        var added = oids.Except(known, StringComparer.Ordinal).ToList();
        db.Set<SubjectTag>().AddRange(added.Select(oid => new SubjectTag { SubjectHash = subject, Oid = oid, Source = SubjectSource.Tag, TaggedBy = user, TaggedAt = now }));
        await audit.AppendAsync(user, "erasure.tag", subject, new { added = added.Count }, cancellationToken);
        return TypedResults.Ok<object>(new { subject, tagged = oids.Count, added = added.Count });
    }

    /// <summary>Starts a content scan job; the identifiers stay in memory until it ends.</summary>
    private static async Task<Results<Accepted<object>, BadRequest<ApiError>>> ScanAsync(
        ScanSubjectRequest body, SubjectHasher hasher, ErasureSecretVault vault, ErasureLauncher launcher, HttpContext context, CancellationToken cancellationToken)
    {
        if ((ErasureInput.CheckSubject(body.Subject) ?? ErasureInput.CheckIdentifiers(body.Identifiers, required: true)) is { } error)
        {
            return TypedResults.BadRequest(new ApiError(error));
        }
        var scan = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        vault.Put(SubjectScanJob.VaultPrefix + scan, ScanSecrets.Create(body.Subject!, body.Identifiers!, body.CaseInsensitive));
        var run = await launcher.RunScanAsync(scan, context.User.UserName(), cancellationToken);
        return TypedResults.Accepted($"/api/jobs/runs/{run.Id}", (object)new { subject = hasher.Subject(body.Subject!), jobRunId = run.Id });
    }
}
