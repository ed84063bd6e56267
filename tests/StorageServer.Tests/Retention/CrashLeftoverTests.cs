using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Storage;
using LfsOid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Retention;

/// <summary>
/// What a crash leaves between the store and the database is reclaimed once older than the orphan
/// grace, through the fence and a re-check; nothing younger, held or claimed is touched.
/// </summary>
public sealed class CrashLeftoverTests
{
    private const string Repo = "team/data";

    [Fact]
    public async Task Old_files_without_a_row_and_rows_without_a_claim_are_reclaimed_and_nothing_else()
    {
        await using var s = await RetentionScenario.CreateAsync();
        var store = s.Factory.Services.GetRequiredService<IObjectStore>();
        // A crash after the upload's rename, before its row: bytes only.
        var fileOnly = RetentionScenario.Content(1);
        await PutBytesOnlyAsync(store, fileOnly);
        var youngFile = RetentionScenario.Content(2);
        await PutBytesOnlyAsync(store, youngFile);
        // A crash between the object's row and the repository's claim.
        var unclaimed = RetentionScenario.Content(3);
        await s.UploadAsync(Repo, unclaimed);
        var heldUnclaimed = RetentionScenario.Content(4);
        await s.UploadAsync(Repo, heldUnclaimed);
        await DropClaimsAsync(s, unclaimed.Oid, heldUnclaimed.Oid);
        using (var hold = await s.Admin.PostAsJsonAsync("/api/holds", new { caseReference = "C-1", oid = heldUnclaimed.Oid, reason = "kept" }))
        {
            Assert.True(hold.IsSuccessStatusCode);
        }
        var claimed = RetentionScenario.Content(5);
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, claimed)));

        s.Clock.Advance(TimeSpan.FromHours(25));
        Touch(store, fileOnly, s.Clock.GetUtcNow() - TimeSpan.FromHours(25));
        Touch(store, youngFile, s.Clock.GetUtcNow() - TimeSpan.FromHours(23));
        var run = await s.RunAsync("reconcile");

        var stored = await s.StoredOidsAsync();
        Assert.DoesNotContain(fileOnly.Oid, stored);
        Assert.DoesNotContain(unclaimed.Oid, stored);
        Assert.Equal(ObjectState.Deleted, await s.StateAsync(unclaimed.Oid));
        Assert.Contains(youngFile.Oid, stored);
        Assert.Contains(heldUnclaimed.Oid, stored);
        Assert.Equal(ObjectState.Live, await s.StateAsync(heldUnclaimed.Oid));
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, claimed));
        Assert.Equal("reconcile", run.GetProperty("kind").GetString());
        Assert.Equal(3, run.GetProperty("candidates").GetInt64());
        Assert.Equal(2, run.GetProperty("swept").GetInt64());
        var kept = run.GetProperty("summary").GetProperty("kept");
        Assert.Equal(1, kept.GetProperty("held").GetInt64());
        Assert.Equal(1, kept.GetProperty("orphan-grace").GetInt64());
        Assert.Contains("retention.reconcile", await s.Admin.GetStringAsync("/api/audit?limit=100"), StringComparison.Ordinal);
    }

    private static async Task PutBytesOnlyAsync(IObjectStore store, (byte[] Bytes, string Oid) content)
    {
        using var bytes = new MemoryStream(content.Bytes);
        Assert.True((await store.PutAsync(LfsOid.Parse(content.Oid), content.Bytes.Length, bytes, CancellationToken.None)).Succeeded);
    }

    /// <summary>Files are dated by the real clock; the test's clock is manual, so the age is set by hand.</summary>
    private static void Touch(IObjectStore store, (byte[] Bytes, string Oid) content, DateTimeOffset at) =>
        File.SetLastWriteTimeUtc(((ILocalFileObjectStore)store).GetLocalPath(LfsOid.Parse(content.Oid))!, at.UtcDateTime);

    private static async Task DropClaimsAsync(RetentionScenario s, params string[] oids)
    {
        using var scope = s.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        Assert.Equal(oids.Length, await db.RepoObjects.Where(c => oids.Contains(c.Oid)).ExecuteDeleteAsync());
    }
}
