using System.Net;
using System.Security.Cryptography;
using StorageServer.Storage;
using StorageServer.Storage.Azure;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Storage.Azure;

/// <summary>Direct transfers with service SAS URLs, sent by a plain HTTP client as git-lfs sends them.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzurePresignedTests(AzuriteFixture azurite) : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly string _prefix = $"presign-{Guid.NewGuid():N}/";

    private AzureBlobObjectStore Store() => azurite.Store(_prefix, directTransfers: true);

    [Fact]
    public async Task A_sas_put_stays_invisible_until_completed_then_a_sas_get_reads_it()
    {
        var store = Store();
        var (oid, bytes) = Random(4096);

        var upload = await store.CreateUploadAsync(oid, bytes.Length, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(upload, bytes)).StatusCode);
        Assert.Null(await store.GetInfoAsync(oid, CancellationToken.None));

        var completed = await store.CompleteUploadAsync(oid, bytes.Length, upload.UploadId!, CancellationToken.None);
        Assert.Equal(new PutResult(PutStatus.Stored, bytes.Length), completed);
        Assert.Equal([$"{_prefix}objects/{oid.ShardedPath('/')}"], await azurite.BlobsAsync(_prefix)); // staging blob gone

        var download = await store.CreateDownloadAsync(oid, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Equal(bytes, await _http.GetByteArrayAsync(download.Url));
    }

    [Theory]
    [InlineData(false, PutStatus.HashMismatch)]
    [InlineData(true, PutStatus.SizeMismatch)]
    public async Task Completing_a_direct_upload_of_other_bytes_discards_them_and_publishes_nothing(bool shorter, PutStatus expected)
    {
        var store = Store();
        var (oid, bytes) = Random(4096);
        var other = shorter ? bytes[..4000] : RandomNumberGenerator.GetBytes(4096);

        var upload = await store.CreateUploadAsync(oid, bytes.Length, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(upload, other)).StatusCode);
        var completed = await store.CompleteUploadAsync(oid, bytes.Length, upload.UploadId!, CancellationToken.None);

        Assert.Equal(expected, completed!.Status);
        Assert.Empty(await azurite.BlobsAsync(_prefix));
    }

    [Fact]
    public async Task The_upload_url_writes_once_and_cannot_overwrite_what_was_staged()
    {
        var (oid, bytes) = Random(2048);
        var upload = await Store().CreateUploadAsync(oid, bytes.Length, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(upload, bytes)).StatusCode);

        using var second = await PutAsync(upload, RandomNumberGenerator.GetBytes(2048));
        Assert.False(second.IsSuccessStatusCode, second.StatusCode.ToString());
    }

    [Fact]
    public async Task A_sas_does_not_reach_another_blob_and_an_unknown_upload_id_completes_nothing()
    {
        var store = Store();
        var (oid, bytes) = Random(100);
        var (other, _) = Random(100);
        var upload = await store.CreateUploadAsync(oid, bytes.Length, TimeSpan.FromMinutes(5), CancellationToken.None);
        var elsewhere = new UriBuilder(upload.Url) { Path = upload.Url.AbsolutePath.Replace(oid.Value, other.Value, StringComparison.Ordinal) }.Uri;

        using var request = new HttpRequestMessage(HttpMethod.Put, elsewhere) { Content = new ByteArrayContent(bytes) };
        request.Headers.Add(AzureBlobObjectStore.BlobTypeHeader, "BlockBlob");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(await store.CompleteUploadAsync(oid, bytes.Length, Guid.NewGuid().ToString("N"), CancellationToken.None));
        Assert.Null(await store.CompleteUploadAsync(oid, bytes.Length, "../objects", CancellationToken.None));
    }

    private static (Oid Oid, byte[] Bytes) Random(int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        return (Oid.FromHash(SHA256.HashData(bytes)), bytes);
    }

    private async Task<HttpResponseMessage> PutAsync(PresignedRequest upload, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, upload.Url) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in upload.Headers)
        {
            request.Headers.Add(name, value);
        }
        return await _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();
}
