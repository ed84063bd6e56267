using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using StorageServer.EndToEnd.Tests.Cluster;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Deploy;

/// <summary>
/// The container files (Dockerfile, compose.yaml, Kubernetes manifests) cannot run here: there is
/// no container engine or Kubernetes on the test machines. What can be checked without them is:
/// every setting they give the server is a configuration key it binds, the server starts with the
/// Kubernetes settings as written, the probe and healthcheck paths answer, the names that tie the
/// manifests together match, and compose's nginx site is the shipped one.
/// </summary>
public sealed partial class DeployManifestTests
{
    private static readonly string Deploy = Path.Combine(RepoRoot.Path, "deploy");
    private static readonly ConfigurationKeys Keys = ConfigurationKeys.FromServerAssembly();

    [Fact]
    public void Every_setting_in_compose_kubernetes_and_the_dockerfile_is_a_configuration_key_of_the_server()
    {
        var settings = ComposeServers().SelectMany(s => s.GetProperty("environment").EnumerateObject().Select(p => ("compose", p.Name)))
            .Concat(KubernetesEnvironment().Keys.Select(k => ("kubernetes", k)))
            .Concat(DeployEnvironments.Dockerfile().Keys.Select(k => ("Dockerfile", k)))
            .ToList();
        Assert.True(settings.Count > 20, $"only {settings.Count} settings found");
        var unknown = settings.Where(s => !Keys.IsKnown(s.Item2)).ToList();
        Assert.True(unknown.Count == 0, "not configuration keys of the server: " + string.Join(", ", unknown));
        // The check can fail: a misspelt key is caught.
        Assert.False(Keys.IsKnown("ObjectStore__S3__Buckett"));
        Assert.False(Keys.IsKnown("Jobs__Schedules__RescanAll__Extra"));
    }

    [Fact]
    public async Task The_server_starts_with_the_kubernetes_settings_and_its_probe_paths_answer()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var s3 = await S3rverServer.StartAsync();
        await postgres.CreateDatabaseAsync("storageserver");
        var repos = Directory.CreateTempSubdirectory("k8s-repos-").FullName;
        var environment = KubernetesEnvironment();
        // Only the addresses of the outside world change: database, bucket, shared volume.
        environment["Database__ConnectionString"] = postgres.ConnectionString("storageserver");
        environment["ObjectStore__S3__ServiceUrl"] = s3.ServiceUrl;
        environment["ObjectStore__S3__Bucket"] = S3rverServer.Bucket;
        environment["ObjectStore__S3__AccessKey"] = S3rverServer.AccessKey;
        environment["ObjectStore__S3__SecretKey"] = S3rverServer.SecretKey;
        environment["Git__RepositoriesPath"] = repos;
        environment["Auth__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        environment["Erasure__SubjectKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using (var receiptKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            environment["Erasure__ReceiptSigningKey"] = Convert.ToBase64String(receiptKey.ExportPkcs8PrivateKey());
        }
        environment["STORAGESERVER_ADMIN_TOKEN"] = ServerProcess.AdminToken;
        environment["StorageServer__NodeId"] = "storageserver-7d9f-abcde";
        await using var server = await ServerProcess.StartAsync(environment);

        using var client = server.CreateClient();
        var paths = Probes().Select(p => p.Path).Append(DockerHealthcheckPath()).Distinct().ToList();
        Assert.Equal(["/healthz/live", "/healthz/ready"], paths.Order());
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        }
        Directory.Delete(repos, recursive: true);
    }

    [Fact]
    public void Kubernetes_manifests_refer_to_each_other_by_the_right_names_and_port()
    {
        var deployment = Kubernetes("deployment.yaml");
        var pod = deployment.GetProperty("spec").GetProperty("template");
        var container = pod.GetProperty("spec").GetProperty("containers")[0];
        var envFrom = container.GetProperty("envFrom").EnumerateArray().ToList();
        Assert.Equal(Kubernetes("configmap.yaml").GetProperty("metadata").GetProperty("name").GetString(),
            envFrom.Single(e => e.TryGetProperty("configMapRef", out _)).GetProperty("configMapRef").GetProperty("name").GetString());
        Assert.Equal(Kubernetes("secret.yaml").GetProperty("metadata").GetProperty("name").GetString(),
            envFrom.Single(e => e.TryGetProperty("secretRef", out _)).GetProperty("secretRef").GetProperty("name").GetString());
        Assert.Equal(Kubernetes("pvc.yaml").GetProperty("metadata").GetProperty("name").GetString(),
            pod.GetProperty("spec").GetProperty("volumes").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "repos")
                .GetProperty("persistentVolumeClaim").GetProperty("claimName").GetString());
        Assert.Equal("ReadWriteMany", Kubernetes("pvc.yaml").GetProperty("spec").GetProperty("accessModes")[0].GetString());
        var reposMount = container.GetProperty("volumeMounts").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "repos").GetProperty("mountPath").GetString();
        Assert.Equal(reposMount, KubernetesEnvironment()["Git__RepositoriesPath"]);

        var labels = pod.GetProperty("metadata").GetProperty("labels");
        foreach (var selector in Kubernetes("service.yaml").GetProperty("spec").GetProperty("selector").EnumerateObject())
        {
            Assert.Equal(selector.Value.GetString(), labels.GetProperty(selector.Name).GetString());
        }
        var port = container.GetProperty("ports")[0].GetProperty("containerPort").GetInt32();
        Assert.Equal($"http://0.0.0.0:{port}", KubernetesEnvironment()["ASPNETCORE_URLS"]);
        Assert.Equal($"http://0.0.0.0:{port}", DeployEnvironments.Dockerfile()["ASPNETCORE_URLS"]);
        Assert.Contains($"EXPOSE {port}", File.ReadAllText(Path.Combine(Deploy, "container", "Dockerfile")), StringComparison.Ordinal);
        Assert.All(Probes(), p => Assert.Equal("http", p.Port));
        foreach (var resource in YamlFile.Load(Path.Combine(Deploy, "kubernetes", "kustomization.yaml")).GetProperty("resources").EnumerateArray())
        {
            Assert.True(File.Exists(Path.Combine(Deploy, "kubernetes", resource.GetString()!)), $"kustomization lists a missing {resource}");
        }
    }

    [Fact]
    public void The_dockerfile_copies_what_exists_and_runs_the_published_server()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "container", "Dockerfile"));
        foreach (Match copy in DockerCopy().Matches(dockerfile))
        {
            foreach (var source in copy.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            {
                Assert.True(File.Exists(Path.Combine(RepoRoot.Path, source)) || Directory.Exists(Path.Combine(RepoRoot.Path, source)), $"COPY {source}: not in the repository");
            }
        }
        Assert.Contains("dotnet publish src/StorageServer/StorageServer.csproj", dockerfile, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(RepoRoot.Path, "src", "StorageServer", "StorageServer.csproj")));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/" + Path.GetFileName(RepoRoot.ServerDll) + "\", \"--data-dir\", \"/data\"]", dockerfile, StringComparison.Ordinal);
        // git and curl are what the server runs besides itself (http-backend, hooks).
        Assert.Matches(@"apt-get install[^\n]*\bgit\b[^\n]*\bcurl\b", dockerfile);
    }

    [Fact]
    public void Compose_runs_two_nodes_on_one_repository_volume_and_nginx_with_the_shipped_site()
    {
        var compose = YamlFile.Load(Path.Combine(Deploy, "compose", "compose.yaml"));
        var servers = ComposeServers().ToList();
        Assert.Equal(2, servers.Count);
        var nodeIds = servers.Select(s => s.GetProperty("environment").GetProperty("StorageServer__NodeId").GetString()).ToList();
        Assert.Equal(nodeIds.Distinct().Count(), nodeIds.Count);
        Assert.All(servers, s => Assert.Contains("repos:/repos", s.GetProperty("volumes").EnumerateArray().Select(v => v.GetString())));
        Assert.All(servers, s => Assert.Equal("/repos", s.GetProperty("environment").GetProperty("Git__RepositoriesPath").GetString()));
        foreach (var service in new[] { "postgres", "minio", "nginx" })
        {
            Assert.True(compose.GetProperty("services").TryGetProperty(service, out _), $"no {service} service");
        }

        var shipped = File.ReadAllText(Path.Combine(Deploy, "nginx", "storageserver.conf"));
        var composeSite = File.ReadAllText(Path.Combine(Deploy, "compose", "nginx-site.conf"));
        Assert.Equal(WithoutUpstreamServers(shipped), WithoutUpstreamServers(composeSite));
        var upstreams = UpstreamServer().Matches(composeSite).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(compose.GetProperty("services").EnumerateObject().Where(s => s.Name.StartsWith("server", StringComparison.Ordinal))
            .Select(s => $"{s.Name}:8080").Order(), upstreams.Order());
    }

    private static IEnumerable<JsonElement> ComposeServers() =>
        YamlFile.Load(Path.Combine(Deploy, "compose", "compose.yaml")).GetProperty("services").EnumerateObject()
            .Where(s => s.Value.TryGetProperty("build", out _)).Select(s => s.Value);

    private static JsonElement Kubernetes(string file) => YamlFile.Load(Path.Combine(Deploy, "kubernetes", file));

    /// <summary>The environment a pod gets: ConfigMap data, Secret stringData, the container's own env (literal values only).</summary>
    private static Dictionary<string, string> KubernetesEnvironment()
    {
        var environment = Kubernetes("configmap.yaml").GetProperty("data").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        foreach (var secret in Kubernetes("secret.yaml").GetProperty("stringData").EnumerateObject())
        {
            environment[secret.Name] = secret.Value.GetString()!;
        }
        var container = Kubernetes("deployment.yaml").GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];
        foreach (var variable in container.GetProperty("env").EnumerateArray())
        {
            environment[variable.GetProperty("name").GetString()!] = variable.TryGetProperty("value", out var value) ? value.GetString()! : "from-field";
        }
        return environment;
    }

    private static IEnumerable<(string Path, string Port)> Probes()
    {
        var container = Kubernetes("deployment.yaml").GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];
        return new[] { "livenessProbe", "readinessProbe", "startupProbe" }
            .Select(p => container.GetProperty(p).GetProperty("httpGet"))
            .Select(g => (g.GetProperty("path").GetString()!, g.GetProperty("port").GetString()!));
    }

    private static string DockerHealthcheckPath() =>
        DockerHealthcheck().Match(File.ReadAllText(Path.Combine(Deploy, "container", "Dockerfile"))).Groups[1].Value;

    private static string WithoutUpstreamServers(string site) =>
        string.Join('\n', site.Split('\n').Where(l => !l.TrimStart().StartsWith('#') && !l.TrimStart().StartsWith("server ", StringComparison.Ordinal)));

    [GeneratedRegex(@"^COPY (?!--from)(.+)$", RegexOptions.Multiline)]
    private static partial Regex DockerCopy();

    [GeneratedRegex(@"HEALTHCHECK .*http://127\.0\.0\.1:8080(/\S+)")]
    private static partial Regex DockerHealthcheck();

    [GeneratedRegex(@"^\s*server (\S+?)(?: [^;]*)?;", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();
}
