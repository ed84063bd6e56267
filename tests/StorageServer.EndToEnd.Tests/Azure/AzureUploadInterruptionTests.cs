using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace StorageServer.EndToEnd.Tests.Azure;

/// <summary>
/// A server killed (SIGKILL) while a large upload streams into Azure Blob storage: the blocks it
/// staged stay uncommitted, so no object is visible, and the client's retry stores it whole.
/// </summary>
public sealed class AzureUploadInterruptionTests : IAsyncLifetime
{
    private const string Repo = "team/data";
    private const int Size = 64 * 1024 * 1024;

    private readonly byte[] _bytes = new byte[Size];
    private AzureServerTarget _target = null!;
    private string _token = "";
    private string _oid = "";

    public async Task InitializeAsync()
    {
        new Random(7).NextBytes(_bytes);
        _oid = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_bytes));
        _target = await AzureServerTarget.StartAsync();
        await _target.CreateRepoAsync(Repo);
        _token = await _target.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });
    }

    public async Task DisposeAsync() => await _target.DisposeAsync();

    private BlockBlobClient ObjectBlob =>
        _target.Azurite.ContainerClient().GetBlockBlobClient($"{AzureServerTarget.Prefix}objects/{_oid[..2]}/{_oid[2..4]}/{_oid}");

    [Fact]
    public async Task A_server_killed_mid_upload_leaves_no_visible_object_and_a_retry_succeeds()
    {
        var body = new GatedStream(_bytes, half: Size / 2);
        using var client = _target.Server.CreateClient();
        var put = client.SendAsync(Put(await BatchAsync("upload"), new StreamContent(body) { Headers = { ContentLength = Size } }));
        await body.HalfRead.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await WaitForStagedBlocksAsync();

        await _target.Server.KillAsync();
        body.Release.SetResult();
        var failure = await Record.ExceptionAsync(() => put.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.NotNull(failure);
        Assert.IsNotType<TimeoutException>(failure);

        // Half the body reached azurite as staged blocks; none of it is an object.
        Assert.False(await ObjectBlob.ExistsAsync());
        Assert.Empty(await CommittedBlobsAsync());
        Assert.NotEmpty((await ObjectBlob.GetBlockListAsync(BlockListTypes.Uncommitted)).Value.UncommittedBlocks);

        await _target.Server.StartAsync();
        Assert.Equal(404, (await BatchAsync("download")).GetProperty("error").GetProperty("code").GetInt32());
        using (var retry = await client.SendAsync(Put(await BatchAsync("upload"), new ByteArrayContent(_bytes))))
        {
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        }
        using var download = await client.SendAsync(Action(await BatchAsync("download"), "download", HttpMethod.Get, null));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(_bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(Size, (await ObjectBlob.GetPropertiesAsync()).Value.ContentLength);
    }

    private async Task WaitForStagedBlocksAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await ObjectBlob.GetBlockListAsync(BlockListTypes.Uncommitted)).Value.UncommittedBlocks.Any())
                {
                    return;
                }
            }
            catch (global::Azure.RequestFailedException e) when (e.Status == 404)
            {
                // no block staged yet
            }
            await Task.Delay(100);
        }
        Assert.Fail("the upload never staged a block in azurite");
    }

    private async Task<List<string>> CommittedBlobsAsync()
    {
        var names = new List<string>();
        await foreach (var blob in _target.Azurite.ContainerClient().GetBlobsAsync(new GetBlobsOptions { Prefix = AzureServerTarget.Prefix }))
        {
            names.Add(blob.Name);
        }
        return names;
    }

    private async Task<JsonElement> BatchAsync(string operation)
    {
        using var client = _target.Server.CreateClient(_token);
        using var response = await client.PostAsJsonAsync($"/{Repo}.git/info/lfs/objects/batch",
            new { operation, objects = new[] { new { oid = _oid, size = Size } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("objects")[0];
    }

    private static HttpRequestMessage Put(JsonElement entry, HttpContent content) => Action(entry, "upload", HttpMethod.Put, content);

    private static HttpRequestMessage Action(JsonElement entry, string name, HttpMethod method, HttpContent? content)
    {
        var action = entry.GetProperty("actions").GetProperty(name);
        var request = new HttpRequestMessage(method, action.GetProperty("href").GetString()) { Content = content };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(action.GetProperty("header").GetProperty("Authorization").GetString()!);
        return request;
    }
}
