using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Erasure.Requests;
using StorageServer.Indexing;
using StorageServer.Objects;
using StorageServer.Protocol.Pointers;
using StorageServer.Retention.Sweeping;
using StorageServer.TestSupport;
using StorageServer.Tests.Lfs;
using StorageServer.Tests.Support;
using LfsOid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Erasure;

/// <summary>
/// An upload in flight cannot undo an erasure: the PUT of an object another repository already
/// stored starts before the request and lands after it started. It is refused, the object stays
/// erased, the uploading repository gains no claim, and neither the batch nor the push check
/// accepts the object afterwards.
/// </summary>
public sealed class ErasureUploadRaceTests
{
    [Fact]
    public async Task A_put_started_before_the_request_and_finished_after_it_is_refused_and_never_revives_the_erased_object()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var admin = lfs.Factory.CreateAdminClient();
        var (bytes, oid) = LfsTestContext.Content(40_000, seed: 61);
        await lfs.UploadAsync(bytes, oid);

        // The other repository pushes the same bytes; its body stalls halfway. (Driven at the upload
        // service: the in-process test server sends a request body whole.)
        using var scope = lfs.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var other = await db.Repositories.AsNoTracking().SingleAsync(r => r.Name == LfsTestContext.OtherRepo);
        var body = new GatedStream(bytes, half: bytes.Length / 2);
        var upload = scope.ServiceProvider.GetRequiredService<ObjectUploadService>()
            .UploadAsync(other.Id, LfsOid.Parse(oid), bytes.Length, body, "bob", "refs/heads/main", CancellationToken.None);
        await body.HalfRead.Task.WaitAsync(TimeSpan.FromSeconds(10));

        using (var tag = await admin.PostAsJsonAsync("/api/erasure/subjects/tags", new { subject = "race-1", oids = new[] { oid } }))
        {
            Assert.Equal(HttpStatusCode.OK, tag.StatusCode);
        }
        var id = await ErasureApi.CreateRequestAsync(admin, new { subject = "race-1", legalBasis = "Art. 17(1)(a)" });
        await ErasureApi.ApproveAsync(admin, id);
        await ErasureApi.WaitForAnyStateAsync(admin, id, "restricted", "erasing", "completed");

        body.Release.SetResult();
        var landed = await upload.WaitAsync(TimeSpan.FromSeconds(30));
        await ErasureApi.WaitForStateAsync(admin, id, "completed");

        Assert.Equal(UploadOutcome.Erased, landed.Outcome);
        await using var check = lfs.Factory.Services.CreateAsyncScope();
        var read = check.ServiceProvider.GetRequiredService<StorageDbContext>();
        Assert.Equal(ObjectState.Purged, await read.Objects.Where(o => o.Oid == oid).Select(o => o.State).SingleAsync());
        Assert.False(await read.RepoObjects.AnyAsync(c => c.Oid == oid && c.RepositoryId == other.Id), "the racing upload gained a claim");
        Assert.DoesNotContain(oid, lfs.StoreFiles().Select(Path.GetFileName));

        // The batch neither offers a download nor accepts the upload; the push check refuses a pointer to it.
        using var writer = lfs.Client(lfs.OtherWriteToken);
        var download = await LfsTestContext.PostBatchAsync(writer, LfsTestContext.BatchJson("download", (oid, bytes.Length)), LfsTestContext.OtherLfsBase);
        Assert.False(download.Json.GetProperty("objects")[0].TryGetProperty("actions", out _), download.Body);
        var again = await LfsTestContext.PostBatchAsync(writer, LfsTestContext.BatchJson("upload", (oid, bytes.Length)), LfsTestContext.OtherLfsBase);
        Assert.Equal(410, again.Json.GetProperty("objects")[0].GetProperty("error").GetProperty("code").GetInt32());
        var pointer = new PointerEntry(new string('a', 40), "data/race.bin", new LfsPointer(LfsOid.Parse(oid), bytes.Length));
        var missing = await check.ServiceProvider.GetRequiredService<LfsObjectCheck>().FindMissingAsync(other.Id, [pointer], CancellationToken.None);
        Assert.Single(missing);
        var erased = await check.ServiceProvider.GetRequiredService<ObjectClaims>().FindErasedAsync([oid], CancellationToken.None);
        Assert.Contains("erased under a data-protection request", StorageServer.Git.HookEndpoints.RejectionMessage(missing, erased), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_erasure_waits_for_an_uploads_lease_before_it_deletes_the_bytes()
    {
        // On SQLite the lease lives in the server's memory: the restriction's wait must ask for it
        // there (the test above passes without the wait too: the upload's record meets the purge and
        // deletes its own bytes).
        using var server = new StorageServerFactory();
        var oid = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));
        var acquisition = await server.Services.GetRequiredService<UploadLeases>().AcquireForUploadAsync(oid, CancellationToken.None);
        using var scope = server.Services.CreateScope();

        var waiting = scope.ServiceProvider.GetRequiredService<ObjectRestriction>().WaitForUploadsAsync(oid, CancellationToken.None);
        await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.False(waiting.IsCompleted, "the erasure went on while an upload held its lease");

        await acquisition.Lease!.DisposeAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
