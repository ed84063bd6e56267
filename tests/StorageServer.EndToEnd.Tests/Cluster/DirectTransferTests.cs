using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>
/// <c>ObjectStore:S3:DirectTransfers</c> on a cluster: git-lfs sends and fetches object bytes
/// straight to and from the bucket with pre-signed URLs, and an upload becomes an object only
/// through the verify action, after its SHA-256 was checked. s3rver does not check the
/// <c>x-amz-checksum-sha256</c> the PUT URL is bound to (AWS S3 does), so here every byte check
/// is the server's own, at verify.
/// </summary>
public sealed class DirectTransferTests : IAsyncLifetime
{
    private const string Repo = "team/data";

    private readonly GitSandbox _git = new();
    private ClusterFixture _cluster = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _cluster = await ClusterFixture.StartAsync(nodes: 2, new Dictionary<string, string> { ["ObjectStore__S3__DirectTransfers"] = "true" });
        await _cluster.CreateRepoAsync(Repo);
        _token = await _cluster.CreateTokenAsync("alice", Repo);
        _git.StoreCredentials(_cluster.BaseUrl, _token, "alice");
    }

    public async Task DisposeAsync()
    {
        _git.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public void Git_lfs_pushes_and_clones_object_bytes_directly_through_the_bucket()
    {
        var work = _git.PathOf("work");
        _git.Run(_git.Root, "clone", $"{_cluster.BaseUrl}/{Repo}.git", work);
        _git.Run(work, "lfs", "track", "*.bin");
        var hash = TestFiles.Sha256(TestFiles.Write(Path.Combine(work, "model.bin"), 24L * 1024 * 1024, 4));
        _git.Run(work, "add", "-A");
        _git.Run(work, "commit", "-m", "model");
        _git.Run(work, "push", "origin", "main");

        var clone = _git.PathOf("clone");
        _git.Run(_git.Root, "clone", $"{_cluster.BaseUrl}/{Repo}.git", clone);
        Assert.Equal(hash, TestFiles.Sha256(Path.Combine(clone, "model.bin")));
        _git.Run(clone, "lfs", "fsck");

        var logs = string.Concat(_cluster.Nodes.Select(n => n.Log));
        Assert.Matches($@"POST /team/data\.git/info/lfs/objects/{hash}/verify", logs);
        Assert.DoesNotMatch($@"(PUT|GET) /team/data\.git/info/lfs/objects/{hash}\b(?!/verify)", logs);
        Assert.DoesNotMatch($@"/info/lfs/objects/{hash}\b(?!/verify)", _cluster.Nginx.AccessLog);
    }

    [Fact]
    public async Task Other_bytes_put_to_the_presigned_url_are_refused_at_verify_and_never_downloadable()
    {
        var bytes = new byte[300_000];
        new Random(5).NextBytes(bytes);
        var oid = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        using var api = ClusterApi.Client(_cluster.BaseUrl, _token);
        using var plain = new HttpClient();

        var actions = await UploadActionsAsync(api, oid, bytes.Length);
        var upload = actions.GetProperty("upload");
        Assert.StartsWith(_cluster.S3.ServiceUrl + "/", upload.GetProperty("href").GetString(), StringComparison.Ordinal);
        Assert.Equal(["x-amz-checksum-sha256"], upload.GetProperty("header").EnumerateObject().Select(h => h.Name));
        var wrong = (byte[])bytes.Clone();
        wrong[^1] ^= 0xFF;
        using (var put = await PutAsync(plain, upload, wrong))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode); // s3rver stores them regardless of the checksum header
        }
        using (var verify = await VerifyAsync(plain, actions.GetProperty("verify"), oid, bytes.Length))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, verify.StatusCode);
            Assert.Contains("discarded", await verify.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await AssertDownloadableAsync(api, oid, bytes.Length, expected: false);

        actions = await UploadActionsAsync(api, oid, bytes.Length);
        using (var put = await PutAsync(plain, actions.GetProperty("upload"), bytes))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        await AssertDownloadableAsync(api, oid, bytes.Length, expected: false); // stored, not yet verified
        using (var verify = await VerifyAsync(plain, actions.GetProperty("verify"), oid, bytes.Length))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        }
        var download = await AssertDownloadableAsync(api, oid, bytes.Length, expected: true);
        Assert.False(download!.Value.TryGetProperty("header", out _), "a pre-signed download must not carry credentials");
        Assert.Equal(bytes, await plain.GetByteArrayAsync(download.Value.GetProperty("href").GetString()));
    }

    private static async Task<JsonElement> UploadActionsAsync(HttpClient api, string oid, long size)
    {
        using var batch = await api.BatchAsync(Repo, "upload", oid, size);
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        return (await batch.JsonAsync()).GetProperty("objects")[0].GetProperty("actions");
    }

    private static async Task<JsonElement?> AssertDownloadableAsync(HttpClient api, string oid, long size, bool expected)
    {
        using var batch = await api.BatchAsync(Repo, "download", oid, size);
        var entry = (await batch.JsonAsync()).GetProperty("objects")[0];
        Assert.Equal(expected, entry.TryGetProperty("actions", out var actions));
        return expected ? actions.GetProperty("download") : null;
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient http, JsonElement action, byte[] bytes)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, action.GetProperty("href").GetString()) { Content = new ByteArrayContent(bytes) };
        foreach (var header in action.GetProperty("header").EnumerateObject())
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        }
        return http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> VerifyAsync(HttpClient http, JsonElement action, string oid, long size)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, action.GetProperty("href").GetString())
        {
            Content = new StringContent(JsonSerializer.Serialize(new { oid, size }), new MediaTypeHeaderValue("application/vnd.git-lfs+json")),
        };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(action.GetProperty("header").GetProperty("Authorization").GetString()!);
        return http.SendAsync(request);
    }
}
