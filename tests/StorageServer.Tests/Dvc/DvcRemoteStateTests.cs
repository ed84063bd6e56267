using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Dvc.Manifests;
using StorageServer.Tests.Lfs;

namespace StorageServer.Tests.Dvc;

/// <summary>
/// What the DVC remote answers as objects change state behind it (trash, retention deletion,
/// erasure), and the upload path of a store without staging files (S3-like): in process, with
/// the object states set directly in the database.
/// </summary>
public sealed class DvcRemoteStateTests
{
    private const string Remote = "/team/data.git/info/dvc";

    [Fact]
    public async Task A_manifest_is_not_served_while_any_entry_is_unavailable_and_is_again_once_it_is_back()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var client = lfs.Client(lfs.WriteToken);
        var files = new[] { "one\n"u8.ToArray(), "two\n"u8.ToArray() };
        foreach (var file in files)
        {
            Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, Path(Md5(file)), file)).StatusCode);
        }
        var manifest = ManifestWriter.Write([new DirEntry("a/one.txt", Md5(files[0])), new DirEntry("two.txt", Md5(files[1]))]);
        var dir = Path(Md5(manifest)) + ".dir";
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, dir, manifest)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Remote + dir)).StatusCode);

        foreach (var state in new[] { ObjectState.Trashed, ObjectState.Restricted, ObjectState.Deleted, ObjectState.Purged })
        {
            await SetStateAsync(lfs, Sha256(files[1]), state);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Remote + dir)).StatusCode);
            using var head = new HttpRequestMessage(HttpMethod.Head, Remote + dir);
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(head)).StatusCode);
        }
        await SetStateAsync(lfs, Sha256(files[1]), ObjectState.Live);
        Assert.Equal(manifest, await client.GetByteArrayAsync(Remote + dir));
    }

    [Fact]
    public async Task Erased_objects_answer_410_and_their_upload_is_refused_in_every_repository_without_storing_a_byte()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var client = lfs.Client(lfs.WriteToken);
        using var other = lfs.Client(lfs.OtherWriteToken);
        var data = Encoding.ASCII.GetBytes("id,email\n1,alice@example.com\n");
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, Path(Md5(data)), data)).StatusCode);
        await SetStateAsync(lfs, Sha256(data), ObjectState.Purged);
        File.Delete(lfs.StoreFiles().Single(f => f.EndsWith(Sha256(data), StringComparison.Ordinal)));
        var files = lfs.StoreFiles().Length;

        var get = await client.GetAsync(Remote + Path(Md5(data)));
        Assert.Equal(HttpStatusCode.Gone, get.StatusCode);
        Assert.Contains("erased", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await PostAsync(client, Path(Md5(data)), data)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await PostAsync(other, Path(Md5(data)), data, "/team/other.git/info/dvc")).StatusCode);
        Assert.Equal(files, lfs.StoreFiles().Length);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/team/other.git/info/dvc" + Path(Md5(data)))).StatusCode);
    }

    [Fact]
    public async Task An_object_retention_deleted_answers_410_until_it_is_uploaded_again()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var client = lfs.Client(lfs.WriteToken);
        var data = "model v1\n"u8.ToArray();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, Path(Md5(data)), data)).StatusCode);
        await SetStateAsync(lfs, Sha256(data), ObjectState.Deleted);
        File.Delete(lfs.StoreFiles().Single(f => f.EndsWith(Sha256(data), StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync(Remote + Path(Md5(data)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, Path(Md5(data)), data)).StatusCode);
        Assert.Equal(data, await client.GetByteArrayAsync(Remote + Path(Md5(data))));
    }

    [Fact]
    public async Task A_store_without_staging_files_gets_the_bytes_from_a_spool_that_is_removed_afterwards()
    {
        await using var lfs = await LfsTestContext.CreateAsync(services: s => NonLocalObjectStore.Register(s, throwOnPut: false));
        using var client = lfs.Client(lfs.WriteToken);
        var data = new byte[3 * 1024 * 1024 + 5];
        new Random(5).NextBytes(data);

        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, Path(Md5(data)), data)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, Path(Md5(data[1..])), data)).StatusCode);

        Assert.Equal(data, await client.GetByteArrayAsync(Remote + Path(Md5(data))));
        using var range = new HttpRequestMessage(HttpMethod.Get, Remote + Path(Md5(data)));
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(10, 19);
        var partial = await client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(data[10..20], await partial.Content.ReadAsByteArrayAsync());
        var spool = System.IO.Path.Combine(lfs.Factory.DataDir, "tmp", "dvc");
        Assert.Empty(Directory.Exists(spool) ? Directory.GetFiles(spool, "*", SearchOption.AllDirectories) : []);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, byte[] body, string remote = Remote)
    {
        using var content = new ByteArrayContent(body);
        return await client.PostAsync(remote + path, content);
    }

    private static async Task SetStateAsync(LfsTestContext lfs, string oid, ObjectState state)
    {
        using var scope = lfs.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        Assert.Equal(1, await db.Objects.Where(o => o.Oid == oid).ExecuteUpdateAsync(s => s.SetProperty(o => o.State, state)));
    }

    private static string Path(string md5) => $"/files/md5/{md5[..2]}/{md5[2..]}";

    private static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

#pragma warning disable CA5351 // DVC's object ids are MD5s.
    private static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));
#pragma warning restore CA5351
}
