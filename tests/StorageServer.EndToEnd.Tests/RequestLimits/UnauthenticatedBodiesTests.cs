using System.Net;
using System.Net.Http.Headers;
using System.Text;
using StorageServer.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace StorageServer.EndToEnd.Tests.RequestLimits;

/// <summary>
/// Strangers cannot cost the server memory: 64 unauthenticated 256 MiB bodies sent at once to
/// the admin API and the LFS batch endpoint are answered 401 before a byte of them is read, and
/// the server's peak resident memory stays under 300 MB while its users' requests go on.
/// </summary>
public sealed class UnauthenticatedBodiesTests(ITestOutputHelper output)
{
    private const int Attackers = 64;
    private const long BodyBytes = 256L * 1024 * 1024;
    private const long MaxPeakBytes = 300L * 1024 * 1024;

    [Fact]
    public async Task Sixty_four_unauthenticated_256_MiB_bodies_leave_peak_memory_under_300_MB_while_users_go_on()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateRepoAsync("team/data");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "write" });
        using var user = server.CreateClient();
        user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + token)));
        using var admin = server.CreateClient(ServerProcess.AdminToken);
        output.WriteLine($"peak before: {ProcessMemory.PeakResidentBytes(server.ProcessId!.Value) / (1024 * 1024)} MB");

        using var attack = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var attacks = Enumerable.Range(0, Attackers).Select(i => AttackAsync(server.Port, i, attack.Token)).ToList();
        var legitimate = 0;
        var failures = new List<string>();
        var everyAttackDone = Task.WhenAll(attacks);
        while (!everyAttackDone.IsCompleted || legitimate < 20)
        {
            using var batch = await user.SendAsync(BatchRequest());
            using var list = await admin.GetAsync("/api/repos");
            foreach (var response in new[] { batch, list })
            {
                legitimate++;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{response.RequestMessage!.RequestUri!.AbsolutePath}: {(int)response.StatusCode}");
                }
            }
        }
        var results = await everyAttackDone;

        var peak = ProcessMemory.PeakResidentBytes(server.ProcessId!.Value);
        output.WriteLine($"peak after: {peak / (1024 * 1024)} MB; {legitimate} legitimate requests; attackers' bytes accepted by the socket: {results.Sum(r => r.Sent) / (1024 * 1024)} MB");
        Assert.All(results, r => Assert.True(r.Status == 401, $"attacker {r.Index} got {r.Status}"));
        Assert.Empty(failures);
        Assert.True(legitimate > 0, "no legitimate request ran during the attack");
        Assert.True(peak < MaxPeakBytes, $"server peak RSS {peak / (1024 * 1024)} MB");
        // The server read none of it: each attack's request line says so (in:0).
        Assert.DoesNotMatch(@"POST /(api/repos|team/data\.git/info/lfs/objects/batch) 401 \d+ms in:[1-9]", server.Log);
    }

    private static HttpRequestMessage BatchRequest()
    {
        var json = """{"operation":"download","objects":[{"oid":"0000000000000000000000000000000000000000000000000000000000000000","size":1}]}""";
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.git-lfs+json");
        return new HttpRequestMessage(HttpMethod.Post, "/team/data.git/info/lfs/objects/batch") { Content = content };
    }

    /// <summary>Half to the admin API, half to the batch endpoint; every fourth without a declared length.</summary>
    private static async Task<(int Index, int Status, long Sent)> AttackAsync(int port, int index, CancellationToken cancellationToken)
    {
        var path = index % 2 == 0 ? "/api/repos" : "/team/data.git/info/lfs/objects/batch";
        var chunked = index % 4 == 3;
        await using var request = await RawHttpRequest.OpenAsync(port, "POST", path, "application/json", chunked ? null : BodyBytes);
        var status = request.ReadStatusAsync(cancellationToken);
        await request.SendBodyAsync(BodyBytes, chunked, cancellationToken);
        return (index, await status, request.BytesSent);
    }
}
