using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;
using StorageServer.Protocol;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>Git LFS API calls aimed at one chosen node (or nginx), as git-lfs sends them: Basic auth, LFS JSON.</summary>
internal static class ClusterApi
{
    public static HttpClient Client(string baseUrl, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + token)));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsMediaTypes.Json));
        return client;
    }

    public static HttpClient Client(ServerProcess node, string token) => Client(node.BaseUrl, token);

    public static Task<HttpResponseMessage> PostLfsAsync(this HttpClient client, string path, object body)
    {
        var content = JsonContent.Create(body, mediaType: new MediaTypeHeaderValue(LfsMediaTypes.Json));
        return client.PostAsync(path, content);
    }

    public static Task<HttpResponseMessage> BatchAsync(this HttpClient client, string repo, string operation, string oid, long size) =>
        client.PostLfsAsync($"/{repo}.git/info/lfs/objects/batch", new { operation, transfers = new[] { "basic" }, objects = new[] { new { oid, size } } });

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
