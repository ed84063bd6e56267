using System.Text.Json;
using System.Text.Json.Nodes;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Erasure;

/// <summary><c>storageserver-admin erasure …</c> as a process against the real server.</summary>
public sealed class ErasureCliTests
{
    [Fact]
    public async Task A_request_filed_from_the_command_line_completes_and_its_receipt_verifies_there_unless_tampered()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateRepoAsync("team/cli");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/cli"] = "write" });
        var work = Directory.CreateTempSubdirectory("erasure-cli-").FullName;
        try
        {
            var holder = Path.Combine(work, "holder.txt");
            await File.WriteAllTextAsync(holder, "ticket 1: written by zed.zulu@example.net\n");
            var holderOid = await LfsApiClient.UploadAsync(server, "team/cli", token, holder);
            var clean = TestFiles.Write(Path.Combine(work, "clean.bin"), 3000, seed: 5);
            var cleanOid = await LfsApiClient.UploadAsync(server, "team/cli", token, clean);
            var tagged = TestFiles.Write(Path.Combine(work, "tagged.bin"), 3100, seed: 6);
            var taggedOid = await LfsApiClient.UploadAsync(server, "team/cli", token, tagged);

            await Ok(server, "erasure", "subject", "tag", "--subject", "z-1", "--oid", taggedOid);
            var lookup = await Ok(server, "erasure", "subject", "lookup", "--subject", "z-1");
            Assert.Equal([taggedOid], lookup.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("oid").GetString()));
            var identifiers = Path.Combine(work, "identifiers.txt");
            await File.WriteAllTextAsync(identifiers, "zed.zulu@example.net\n\nZed Zulu\n");
            var created = await Ok(server, "erasure", "request", "create", "--subject", "z-1", "--legal-basis", "GDPR Art. 17(1)(b)", "--identifiers-file", identifiers);
            var id = created.GetProperty("id").GetString()!;
            await ErasureServerApi.WaitForStateAsync(server, id, "previewed");
            var preview = await Ok(server, "erasure", "request", "preview", id);
            Assert.Equal(2, preview.GetProperty("summary").GetProperty("objects").GetInt32());
            Assert.Equal(new[] { holderOid, taggedOid }.Order(StringComparer.Ordinal), preview.GetProperty("objects").GetProperty("items").EnumerateArray().Select(o => o.GetProperty("oid").GetString()));
            Assert.Equal(200, (await ErasureServerApi.DownloadAsync(server, "team/cli", token, holderOid, new FileInfo(holder).Length)).Code); // nothing changes before approval
            await Ok(server, "erasure", "request", "approve", id);
            await ErasureServerApi.WaitForStateAsync(server, id, "completed");
            var shown = await Ok(server, "erasure", "request", "show", id);
            Assert.Equal(2, shown.GetProperty("objectsErased").GetInt32());
            Assert.Empty((await Ok(server, "erasure", "request", "list", "--overdue")).EnumerateArray());
            Assert.Equal(410, (await ErasureServerApi.DownloadAsync(server, "team/cli", token, holderOid, 0)).Code);
            Assert.Equal(200, (await ErasureServerApi.DownloadAsync(server, "team/cli", token, cleanOid, 3000)).Code);

            var receiptFile = Path.Combine(work, "receipt.json");
            var show = await AdminCli.RunAsync(server, "erasure", "receipt", "show", id);
            Assert.Equal(0, show.ExitCode);
            await File.WriteAllTextAsync(receiptFile, show.Output);
            var verified = await AdminCli.RunAsync(server, "erasure", "receipt", "verify", receiptFile, "--json");
            Assert.True(verified.ExitCode == 0, verified.Error);
            Assert.True(JsonDocument.Parse(verified.Output).RootElement.GetProperty("auditChainValid").GetBoolean());

            // Outside .NET: openssl checks the JWS against the published PEM key (scripts/verify-erasure-receipt.sh, as the README says).
            var jws = await AdminCli.RunAsync(server, "erasure", "receipt", "jws", id);
            var key = await AdminCli.RunAsync(server, "erasure", "receipt", "public-key");
            await File.WriteAllTextAsync(Path.Combine(work, "receipt.jws"), jws.Output);
            await File.WriteAllTextAsync(Path.Combine(work, "key.pem"), key.Output);
            var openssl = await ErasureServerApi.RunScriptAsync("verify-erasure-receipt.sh", Path.Combine(work, "receipt.jws"), Path.Combine(work, "key.pem"), Path.Combine(work, "payload.json"));
            Assert.True(openssl.ExitCode == 0, openssl.Output);
            Assert.Contains("Verified OK", openssl.Output, StringComparison.Ordinal);
            var signed = await File.ReadAllTextAsync(Path.Combine(work, "payload.json"));
            Assert.Equal(id, JsonDocument.Parse(signed).RootElement.GetProperty("requestId").GetString());
            Assert.Equal(signed, JsonDocument.Parse(await ErasureServerApi.GetTextAsync(server, $"/api/erasure/receipts/{id}")).RootElement.GetProperty("payload").GetRawText());
            var parts = jws.Output.Trim().Split('.');
            var forged = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(signed.Replace("GDPR Art. 17(1)(b)", "GDPR Art. 17(1)(c)", StringComparison.Ordinal)))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
            await File.WriteAllTextAsync(Path.Combine(work, "forged.jws"), parts[0] + "." + forged + "." + parts[2]);
            var refused = await ErasureServerApi.RunScriptAsync("verify-erasure-receipt.sh", Path.Combine(work, "forged.jws"), Path.Combine(work, "key.pem"));
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("Verification failure", refused.Output, StringComparison.Ordinal);

            var tampered = JsonNode.Parse(show.Output)!;
            tampered["payload"]!["legalBasis"] = "none";
            await File.WriteAllTextAsync(receiptFile, tampered.ToJsonString());
            var rejected = await AdminCli.RunAsync(server, "erasure", "receipt", "verify", receiptFile);
            Assert.Equal(1, rejected.ExitCode);
            Assert.Contains("does NOT verify", rejected.Error, StringComparison.Ordinal);

            var badRule = await AdminCli.RunAsync(server, "erasure", "rule", "add", "--repo", "team/cli", "--pattern", "data/**");
            Assert.Equal(1, badRule.ExitCode);
            Assert.Contains("{subject}", badRule.Error, StringComparison.Ordinal);
            Assert.Empty((await Ok(server, "erasure", "rule", "list")).EnumerateArray());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task A_hold_placed_from_the_command_line_defers_the_request_and_its_release_completes_it()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateRepoAsync("team/held");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/held"] = "write" });
        var file = Path.Combine(Directory.CreateTempSubdirectory("erasure-hold-").FullName, "held.bin");
        var oid = await LfsApiClient.UploadAsync(server, "team/held", token, TestFiles.Write(file, 2048, seed: 9));
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);

        var hold = await Ok(server, "holds", "create", "--case", "LIT-1", "--oid", oid);
        await Ok(server, "erasure", "subject", "tag", "--subject", "h-1", "--oid", oid);
        var id = (await Ok(server, "erasure", "request", "create", "--subject", "h-1", "--legal-basis", "Art. 17(1)(a)")).GetProperty("id").GetString()!;
        await ErasureServerApi.WaitForStateAsync(server, id, "previewed");
        await Ok(server, "erasure", "request", "approve", id);
        var deferred = await ErasureServerApi.WaitForStateAsync(server, id, "deferred");
        Assert.Contains("LIT-1", deferred.GetProperty("stateReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(404, (await ErasureServerApi.DownloadAsync(server, "team/held", token, oid, 2048)).Code);
        Assert.Equal([id], (await Ok(server, "erasure", "request", "list", "--state", "deferred")).EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        await Ok(server, "holds", "release", hold.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--reason", "settled");
        await ErasureServerApi.WaitForStateAsync(server, id, "completed");
        Assert.Equal(410, (await ErasureServerApi.DownloadAsync(server, "team/held", token, oid, 2048)).Code);
    }

    private static async Task<JsonElement> Ok(ServerProcess server, params string[] arguments)
    {
        var result = await AdminCli.RunAsync(server, [.. arguments, "--json"]);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', arguments)}: exit {result.ExitCode}\n{result.Error}");
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }
}
