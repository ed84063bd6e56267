using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Deploy;

/// <summary>
/// The Kubernetes overlay for Azure Blob Storage (<c>deploy/kubernetes/azure-blob</c>): its patch
/// keeps no S3 key, names only configuration keys of the server, and those settings start a server
/// that serves objects from a real azurite (with the account key azurite needs in place of the
/// Entra workload identity the overlay uses).
/// </summary>
public sealed class AzureOverlayTests
{
    private static readonly string Overlay = Path.Combine(RepoRoot.Path, "deploy", "kubernetes", "azure-blob");

    private static IReadOnlyList<JsonElement> Patches => YamlFile.LoadAll(Path.Combine(Overlay, "objectstore-patch.yaml"));

    private static JsonElement Patch(string kind) => Patches.Single(d => d.GetProperty("kind").GetString() == kind);

    /// <summary>The ConfigMap and Secret keys the patch sets (null values remove a base key).</summary>
    private static Dictionary<string, string?> PatchedSettings() =>
        Patch("ConfigMap").GetProperty("data").EnumerateObject()
            .Concat(Patch("Secret").GetProperty("stringData").EnumerateObject())
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString());

    [Fact]
    public void The_patch_replaces_every_s3_key_with_configuration_keys_of_the_server()
    {
        var keys = ConfigurationKeys.FromServerAssembly();
        var settings = PatchedSettings();
        var baseKeys = YamlFile.Load(Path.Combine(Overlay, "..", "configmap.yaml")).GetProperty("data").EnumerateObject()
            .Concat(YamlFile.Load(Path.Combine(Overlay, "..", "secret.yaml")).GetProperty("stringData").EnumerateObject())
            .Select(p => p.Name);

        Assert.All(baseKeys.Where(k => k.StartsWith("ObjectStore__S3__", StringComparison.Ordinal)), k => Assert.Null(settings[k]));
        Assert.Equal("AzureBlob", settings["ObjectStore__Type"]);
        Assert.All(settings.Keys, k => Assert.True(keys.IsKnown(k), $"{k} is not a configuration key of the server"));
        var kustomization = YamlFile.Load(Path.Combine(Overlay, "kustomization.yaml"));
        Assert.All(kustomization.GetProperty("resources").EnumerateArray().Select(r => r.GetString()!).Where(r => r != "../"),
            r => Assert.True(File.Exists(Path.Combine(Overlay, r)), r));
        var pod = Patch("Deployment").GetProperty("spec").GetProperty("template").GetProperty("spec");
        Assert.Equal(YamlFile.Load(Path.Combine(Overlay, "serviceaccount.yaml")).GetProperty("metadata").GetProperty("name").GetString(),
            pod.GetProperty("serviceAccountName").GetString());
    }

    [Fact]
    public async Task The_overlay_settings_start_a_server_that_stores_objects_in_azurite()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var environment = PatchedSettings().Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!);
        environment["ObjectStore__AzureBlob__ServiceUrl"] = azurite.ServiceUri.ToString();
        environment["ObjectStore__AzureBlob__Container"] = AzuriteServer.Container;
        environment["ObjectStore__AzureBlob__AccountName"] = AzuriteServer.AccountName;
        environment["ObjectStore__AzureBlob__AccountKey"] = AzuriteServer.AccountKey;
        await using var server = await ServerProcess.StartAsync(environment);

        await server.CreateRepoAsync("team/data");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "write" });
        var file = TestFiles.Write(Path.Combine(server.DataDir, "object.bin"), 10_000, seed: 3);
        var oid = await LfsApiClient.UploadAsync(server, "team/data", token, file);

        var blob = azurite.ContainerClient().GetBlobClient($"objects/{oid[..2]}/{oid[2..4]}/{oid}");
        Assert.Equal(await File.ReadAllBytesAsync(file), (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }
}
