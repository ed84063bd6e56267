using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Tests.Lfs;

namespace StorageServer.Tests.Erasure;

/// <summary>What retention has trashed still holds bytes: the erasure finds and erases it too.</summary>
public sealed class TrashedObjectErasureTests
{
    [Fact]
    public async Task An_object_in_the_trash_that_contains_an_identifier_is_erased_like_a_live_one()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var admin = lfs.Factory.CreateAdminClient();
        var bytes = Encoding.UTF8.GetBytes("old export: fay.trash@example.com\n");
        var oid = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await lfs.UploadAsync(bytes, oid);
        using (var scope = lfs.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
            await db.Objects.Where(o => o.Oid == oid).ExecuteUpdateAsync(s => s.SetProperty(o => o.State, ObjectState.Trashed));
        }

        var id = await ErasureApi.CreateRequestAsync(admin, new { subject = "f-1", legalBasis = "Art. 17", identifiers = new[] { "fay.trash@example.com" } });
        await ErasureApi.ApproveAsync(admin, id);
        var done = await ErasureApi.WaitForStateAsync(admin, id, "completed");
        Assert.Equal(1, done.GetProperty("objectsErased").GetInt32());
        Assert.DoesNotContain(oid, lfs.StoreFiles().Select(Path.GetFileName));
        var upload = await LfsTestContext.PostBatchAsync(lfs.Client(lfs.WriteToken), LfsTestContext.BatchJson("upload", (oid, bytes.Length)));
        Assert.Equal(410, upload.Json.GetProperty("objects")[0].GetProperty("error").GetProperty("code").GetInt32());
    }
}
