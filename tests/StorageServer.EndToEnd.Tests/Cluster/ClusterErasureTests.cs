using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Erasure;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>
/// An erasure request on two nodes sharing PostgreSQL and S3: filed through one node, its job runs
/// on whichever node Quartz picks (the identifiers are sealed in the database, not in the memory of
/// the node that was given them), runs once, and both nodes then refuse the erased objects and
/// agree on the receipt (shared erasure keys).
/// </summary>
public sealed class ClusterErasureTests
{
    private const string Subject = "cust-7731";
    private const string Email = "carol.cluster@example.org";

    [Fact]
    public async Task A_request_filed_on_one_node_completes_once_and_every_node_refuses_the_erased_objects()
    {
        await using var cluster = await ClusterFixture.StartAsync(nodes: 2);
        await cluster.CreateRepoAsync("team/crm");
        var token = await cluster.CreateTokenAsync("alice", "team/crm");
        var files = Directory.CreateTempSubdirectory("cluster-erasure-").FullName;
        var oids = new List<string>();
        try
        {
            var csv = Path.Combine(files, "customers.jsonl.bin");
            await File.WriteAllTextAsync(csv, $"{{\"id\":1,\"email\":\"{Email}\"}}\n");
            oids.Add(await LfsApiClient.UploadAsync(cluster.Nodes[0], "team/crm", token, csv));
            oids.Add(await LfsApiClient.UploadAsync(cluster.Nodes[1], "team/crm", token, TestFiles.Write(Path.Combine(files, "b.bin"), 4096, seed: 7)));
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }

        // Tag one object through node 0, file the request with the e-mail through node 1.
        await ErasureServerApi.PostAsync(cluster.Nodes[0], "/api/erasure/subjects/tags", new { subject = Subject, oids = new[] { oids[1] } }, HttpStatusCode.OK);
        var id = (await ErasureServerApi.PostAsync(cluster.Nodes[1], "/api/erasure/requests",
            new { subject = Subject, legalBasis = "GDPR Art. 17(1)(b)", identifiers = new[] { Email } }, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await ErasureServerApi.ApproveAsync(cluster.Nodes[0], id);
        var done = await ErasureServerApi.WaitForStateAsync(cluster.Nodes[0], id, "completed");
        Assert.Equal(2, done.GetProperty("objectsErased").GetInt32());

        // Each object was erased exactly once, by one firing of the job.
        Assert.Equal("2", await cluster.QueryAsync($"SELECT count(*) FROM audit_events WHERE \"Action\" = 'erasure.erase' AND \"Target\" = '{id}'"));
        var runs = await cluster.QueryAsync("SELECT count(*) = count(DISTINCT \"FireInstanceId\") FROM job_runs WHERE \"Job\" = 'Erasure'");
        Assert.Equal("t", runs);
        Assert.Equal("0", await cluster.QueryAsync($"SELECT count(*) FROM erasure_sealed_identifiers WHERE \"Id\" = '{id}'"));

        foreach (var node in cluster.Nodes)
        {
            foreach (var oid in oids)
            {
                Assert.Equal(410, (await ErasureServerApi.DownloadAsync(node, "team/crm", token, oid, 0)).Code);
                Assert.Equal(410, await UploadErrorAsync(node, token, oid));
            }
        }
        var receipt = await ErasureServerApi.GetAsync(cluster.Nodes[0], $"/api/erasure/receipts/{id}");
        var verified = await ErasureServerApi.PostAsync(cluster.Nodes[1], "/api/erasure/receipts/verify", receipt, HttpStatusCode.OK);
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
        using var anonymous0 = cluster.Nodes[0].CreateClient();
        using var anonymous1 = cluster.Nodes[1].CreateClient();
        Assert.Equal(await anonymous0.GetStringAsync("/api/erasure/public-key"), await anonymous1.GetStringAsync("/api/erasure/public-key"));
    }

    /// <summary>The per-object error code of a batch upload of <paramref name="oid"/>, or 200.</summary>
    private static async Task<int> UploadErrorAsync(ServerProcess node, string token, string oid)
    {
        using var client = node.CreateClient(token);
        var body = JsonSerializer.Serialize(new { operation = "upload", transfers = new[] { "basic" }, objects = new[] { new { oid, size = 10 } } });
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.git-lfs+json");
        using var response = await client.PostAsync("/team/crm.git/info/lfs/objects/batch", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("objects")[0];
        return entry.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : 200;
    }
}
