using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Tests.Lfs;

namespace StorageServer.Tests.Auth;

/// <summary>
/// A transfer token acts for the credential that asked the batch API for it, and only while that
/// credential stands: revoking a token, expiring it, or closing a repository to anonymous reads
/// also ends the transfers it was given (within <see cref="TransferTokenParents.CacheDuration"/>
/// on other nodes, at once on the node that revoked it).
/// </summary>
public sealed class TransferTokenRevocationTests : IAsyncLifetime
{
    private LfsTestContext _lfs = null!;

    public async Task InitializeAsync() => _lfs = await LfsTestContext.CreateAsync();

    public async Task DisposeAsync() => await _lfs.DisposeAsync();

    [Fact]
    public async Task Revoking_a_token_through_the_api_ends_its_transfer_tokens_at_once()
    {
        var token = await _lfs.Factory.CreateTokenAsync("dave", new Dictionary<string, string> { [LfsTestContext.Repo] = "write" });
        var (bytes, oid) = LfsTestContext.Content(1000, 7);
        var (other, otherOid) = LfsTestContext.Content(1000, 12);
        using var dave = _lfs.Client(token);
        var batch = await LfsTestContext.BatchAsync(dave, "upload", (oid, bytes.Length), (otherOid, other.Length));
        using (var first = await LfsTestContext.SendActionAsync(_lfs.Client(), HttpMethod.Put, LfsTestContext.Action(batch, 0, "upload"), LfsTestContext.Bytes(bytes)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode); // and the node now remembers the token as valid
        }

        using var admin = _lfs.Factory.CreateAdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tokens/{await TokenIdAsync("dave")}")).StatusCode);

        using var put = await LfsTestContext.SendActionAsync(_lfs.Client(), HttpMethod.Put, LfsTestContext.Action(batch, 1, "upload"), LfsTestContext.Bytes(other));
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.Forbidden);
        Assert.Equal((0, 0), await CountRowsOfAsync(otherOid));
    }

    [Fact]
    public async Task A_token_revoked_elsewhere_ends_its_transfer_tokens_once_the_short_cache_expires()
    {
        var token = await _lfs.Factory.CreateTokenAsync("erin", new Dictionary<string, string> { [LfsTestContext.Repo] = "write" });
        var (bytes, oid) = LfsTestContext.Content(1000, 8);
        var (other, otherOid) = LfsTestContext.Content(1000, 9);
        using var erin = _lfs.Client(token);
        var batch = await LfsTestContext.BatchAsync(erin, "upload", (oid, bytes.Length), (otherOid, other.Length));
        using (var first = await LfsTestContext.SendActionAsync(_lfs.Client(), HttpMethod.Put, LfsTestContext.Action(batch, 0, "upload"), LfsTestContext.Bytes(bytes)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // Another node revokes it: this node's database row changes, its cache does not hear of it.
        await RevokeInDatabaseAsync(await TokenIdAsync("erin"));
        _lfs.Factory.Clock.Advance(TransferTokenParents.CacheDuration + TimeSpan.FromSeconds(1));

        using var second = await LfsTestContext.SendActionAsync(_lfs.Client(), HttpMethod.Put, LfsTestContext.Action(batch, 1, "upload"), LfsTestContext.Bytes(other));
        (await LfsReply.ReadAsync(second)).AssertLfsError(HttpStatusCode.Forbidden);
        Assert.Equal((0, 0), await CountRowsOfAsync(otherOid));
    }

    [Fact]
    public async Task Closing_a_repository_to_anonymous_reads_ends_anonymous_downloads()
    {
        var (bytes, oid) = LfsTestContext.Content(1000, 11);
        await _lfs.UploadAsync(bytes, oid);
        using var admin = _lfs.Factory.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/repos/team/data", new { allowAnonymousRead = true })).StatusCode);
        using var anonymous = _lfs.Client();
        var download = LfsTestContext.Action(await LfsTestContext.BatchAsync(anonymous, "download", (oid, bytes.Length)), 0, "download");
        using (var open = await LfsTestContext.SendActionAsync(anonymous, HttpMethod.Get, download))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/repos/team/data", new { allowAnonymousRead = false })).StatusCode);
        using var closed = await LfsTestContext.SendActionAsync(anonymous, HttpMethod.Get, download);
        (await LfsReply.ReadAsync(closed)).AssertLfsError(HttpStatusCode.Forbidden);
    }

    private async Task<long> TokenIdAsync(string user)
    {
        using var scope = _lfs.Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<StorageDbContext>().AccessTokens.Where(t => t.User == user).Select(t => t.Id).SingleAsync();
    }

    private async Task RevokeInDatabaseAsync(long id)
    {
        using var scope = _lfs.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var row = await db.AccessTokens.SingleAsync(t => t.Id == id);
        row.RevokedAt = _lfs.Factory.Clock.GetUtcNow();
        await db.SaveChangesAsync();
    }

    private async Task<(int Objects, int Claims)> CountRowsOfAsync(string oid)
    {
        using var scope = _lfs.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        return (await db.Objects.CountAsync(o => o.Oid == oid), await db.RepoObjects.CountAsync(c => c.Oid == oid));
    }
}
