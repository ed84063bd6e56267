using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Objects;
using StorageServer.Retention.Sweeping;
using StorageServer.Tests.Support;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Data;

/// <summary>
/// The upload path's SQLite writes queue on one in-process gate (issue 17) rather than meeting the
/// write lock in SQLite's busy handler, which sleeps a thread per waiting writer. On SQLite the
/// upload's lease is no write at all (it lives in the server's memory): only its record queues.
/// </summary>
public sealed class SqliteWriteGateTests
{
    [Fact]
    public async Task An_upload_takes_its_lease_while_the_write_gate_is_held_and_records_only_once_it_is_free()
    {
        using var server = new StorageServerFactory();
        await server.CreateRepoAsync("team/gate");
        var gate = server.Services.GetRequiredService<SqliteWriteGate>();
        var leases = server.Services.GetRequiredService<UploadLeases>();
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var oid = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var repositoryId = await db.Repositories.Where(r => r.Name == "team/gate").Select(r => r.Id).SingleAsync();
        var held = await gate.EnterAsync(db, CancellationToken.None);
        var body = new GatedStream(bytes, half: bytes.Length / 2);
        var upload = scope.ServiceProvider.GetRequiredService<ObjectUploadService>()
            .UploadAsync(repositoryId, Oid.Parse(oid), bytes.Length, body, "alice", null, CancellationToken.None);

        // The lease was taken with the gate held (the body is being read), and it is seen.
        await body.HalfRead.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await leases.IsLeasedAsync(db, oid, server.Clock.GetUtcNow(), CancellationToken.None));
        body.Release.SetResult();

        // The record waits in the gate: nothing committed while another upload-path writer holds it.
        await Task.WhenAny(upload, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.False(upload.IsCompleted, "the upload's record committed while the write gate was held");
        Assert.False(await db.RepoObjects.AnyAsync(c => c.Oid == oid));

        await held.DisposeAsync();
        Assert.Equal(UploadOutcome.Stored, (await upload).Outcome);
        Assert.True(await db.RepoObjects.AnyAsync(c => c.Oid == oid && c.RepositoryId == repositoryId));
        Assert.False(await leases.IsLeasedAsync(db, oid, server.Clock.GetUtcNow(), CancellationToken.None));
    }
}
