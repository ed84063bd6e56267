using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using StorageServer.Protocol;
using StorageServer.Protocol.Batch;

namespace StorageServer.EndToEnd.Tests.Support;

/// <summary>
/// Uploads a file as a Git LFS object through the server's public API, as git-lfs's basic
/// transfer adapter does: batch <c>upload</c>, <c>PUT</c> to the returned href with the action's
/// headers (the transfer token), then <c>verify</c>. For tests whose pointers are committed as
/// plain text, without a git-lfs working copy to push from.
/// </summary>
public static class LfsApiClient
{
    private static readonly MediaTypeHeaderValue LfsJson = new(LfsMediaTypes.Json);

    /// <summary>
    /// Makes <paramref name="repository"/> hold <paramref name="file"/>, authenticated by a
    /// credential with Write on it; fails the test on any error. Nothing is sent after the batch
    /// when the repository already holds the object (the batch answer has no actions).
    /// </summary>
    /// <returns>The object's oid.</returns>
    public static async Task<string> UploadAsync(ServerProcess server, string repository, string token, string file)
    {
        var oid = TestFiles.Sha256(file);
        var size = new FileInfo(file).Length;
        using var client = server.CreateClient();

        var batch = new BatchRequest
        {
            Operation = BatchOperations.Upload,
            Transfers = [LfsMediaTypes.BasicTransfer],
            Objects = [new BatchRequestObject(oid, size)],
            HashAlgo = LfsMediaTypes.HashAlgorithm,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{repository}.git/info/lfs/objects/batch")
        {
            Content = JsonContent.Create(batch, LfsJsonContext.Default.BatchRequest, LfsJson),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd(LfsMediaTypes.Json);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"batch upload of {oid} to {repository}: {(int)response.StatusCode} {body}");
        var entry = Assert.Single(System.Text.Json.JsonSerializer.Deserialize(body, LfsJsonContext.Default.BatchResponse)!.Objects);
        Assert.True(entry.Error is null && entry.Oid == oid && entry.Size == size, $"batch upload of {oid} to {repository}: {body}");
        if (entry.Actions?.Upload is not { } upload)
        {
            return oid;
        }

        var bytes = new StreamContent(File.OpenRead(file));
        bytes.Headers.ContentLength = size;
        bytes.Headers.ContentType = new MediaTypeHeaderValue(LfsMediaTypes.OctetStream);
        await SendAsync(client, HttpMethod.Put, upload, bytes, $"PUT {oid} to {repository}");
        if (entry.Actions.Verify is { } verify)
        {
            await SendAsync(client, HttpMethod.Post, verify,
                JsonContent.Create(new VerifyRequest(oid, size), LfsJsonContext.Default.VerifyRequest, LfsJson), $"verify {oid} in {repository}");
        }
        return oid;
    }

    /// <summary>Sends <paramref name="content"/> to a transfer action: its href, with exactly its headers.</summary>
    private static async Task SendAsync(HttpClient client, HttpMethod method, BatchAction action, HttpContent content, string what)
    {
        using var request = new HttpRequestMessage(method, action.Href) { Content = content };
        foreach (var (name, value) in action.Header ?? new Dictionary<string, string>())
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                content.Headers.Remove(name);
                Assert.True(content.Headers.TryAddWithoutValidation(name, value), $"{what}: cannot send header {name}");
            }
        }
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
