using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Sweeping;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Data;

/// <summary>
/// The upload path's SQLite writes queue on one in-process gate (issue 17) rather than meeting the
/// write lock in SQLite's busy handler, which sleeps a thread per waiting writer.
/// </summary>
public sealed class SqliteWriteGateTests
{
    [Fact]
    public async Task An_upload_lease_commits_only_once_the_write_gate_is_free()
    {
        using var server = new StorageServerFactory();
        var gate = server.Services.GetRequiredService<SqliteWriteGate>();
        var leases = server.Services.GetRequiredService<UploadLeases>();
        var oid = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));
        UploadLeaseAcquisition acquisition;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
            var held = await gate.EnterAsync(db, CancellationToken.None);
            var acquiring = leases.AcquireForUploadAsync(oid, CancellationToken.None);

            // Waits in the gate: nothing committed while another upload-path writer holds it.
            await Task.WhenAny(acquiring, Task.Delay(TimeSpan.FromMilliseconds(300)));
            Assert.False(acquiring.IsCompleted, "the lease committed while the write gate was held");
            Assert.False(await db.Set<UploadLease>().AnyAsync(l => l.Oid == oid));

            await held.DisposeAsync();
            acquisition = await acquiring;
        }
        await using (acquisition.Lease)
        {
            await using var check = server.Services.CreateAsyncScope();
            Assert.True(await UploadLeases.IsLeasedAsync(check.ServiceProvider.GetRequiredService<StorageDbContext>(), oid, server.Clock.GetUtcNow(), CancellationToken.None));
        }
    }
}
