using StorageServer.Retention.Sweeping.LeaseStores;

namespace StorageServer.Tests.Retention;

/// <summary>The single-node lease registry answers per object, from that object's own leases.</summary>
public sealed class InProcessUploadLeaseStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Oid = new('a', 64);
    private static readonly string OtherOid = new('b', 64);

    [Fact]
    public async Task An_oid_is_leased_while_one_of_its_own_unexpired_leases_is_held()
    {
        var store = new InProcessUploadLeaseStore();
        var expired = await store.TakeAsync(null!, Oid, Now.AddHours(-2), Now.AddHours(-1), CancellationToken.None);
        await store.TakeAsync(null!, OtherOid, Now, Now.AddHours(1), CancellationToken.None);

        Assert.False(await store.IsLeasedAsync(null!, Oid, Now, CancellationToken.None)); // expired; another oid's lease does not count

        var first = await store.TakeAsync(null!, Oid, Now, Now.AddHours(1), CancellationToken.None);
        var second = await store.TakeAsync(null!, Oid, Now, Now.AddHours(1), CancellationToken.None);
        Assert.True(await store.IsLeasedAsync(null!, Oid, Now, CancellationToken.None));

        await store.ReleaseAsync(first);
        Assert.True(await store.IsLeasedAsync(null!, Oid, Now, CancellationToken.None)); // the second upload still holds one
        store.ReleaseCommitted(second);
        Assert.False(await store.IsLeasedAsync(null!, Oid, Now, CancellationToken.None));
        Assert.True(await store.IsLeasedAsync(null!, OtherOid, Now, CancellationToken.None));

        await store.DeleteExpiredAsync(null!, Now, CancellationToken.None);
        await store.ReleaseAsync(expired); // already forgotten: nothing happens
        Assert.Equal([OtherOid], await store.FindLeasedAsync(null!, Now, CancellationToken.None));
    }
}
