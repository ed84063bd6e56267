using System.Security.Cryptography;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>
/// A StorageServer cluster on loopback, built from real parts: a throwaway PostgreSQL (metadata
/// and the Quartz job store), s3rver (objects), N server processes with their own data directories
/// but one shared repositories directory (<c>Git:RepositoriesPath</c>) and one signing key, and
/// nginx with the shipped site config (<c>deploy/nginx/storageserver.conf</c>) in front of all of them.
/// <code>
/// await using var cluster = await ClusterFixture.StartAsync(nodes: 2);
/// await cluster.CreateRepoAsync("team/data");
/// // git against cluster.BaseUrl; cluster.Nodes[0].KillAsync(); await cluster.QueryAsync("SELECT …");
///
/// // A scheduled job runs exactly once across the nodes:
/// await using var cluster = await ClusterFixture.StartAsync(2, new Dictionary&lt;string, string&gt; { ["Jobs__Schedules__RescanAll"] = "0/5 * * * * ?" });
/// // … wait …, then every scheduled row in job_runs has its own "ScheduledFor" tick
/// </code>
/// </summary>
public sealed class ClusterFixture : IServerTarget
{
    private readonly List<ServerProcess> _nodes = [];
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _erasureKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _receiptKey = NewReceiptKey();
    private readonly IReadOnlyDictionary<string, string> _extraEnvironment;

    private ClusterFixture(PostgresServer postgres, S3rverServer s3, string database, string reposDir, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        Postgres = postgres;
        S3 = s3;
        Database = database;
        ReposDir = reposDir;
        _extraEnvironment = extraEnvironment;
    }

    public PostgresServer Postgres { get; }

    public S3rverServer S3 { get; }

    public string Database { get; }

    /// <summary>The bare repositories every node serves (on a real cluster: an NFS or CephFS mount).</summary>
    public string ReposDir { get; }

    public IReadOnlyList<ServerProcess> Nodes => _nodes;

    public NginxProcess Nginx { get; private set; } = null!;

    /// <summary>Where users point git: nginx.</summary>
    public string BaseUrl => Nginx.BaseUrl;

    /// <param name="nodes">How many server processes to put behind nginx (started together).</param>
    /// <param name="environment">Extra settings for every node, e.g. <c>Jobs__Schedules__RescanAll</c>.</param>
    public static async Task<ClusterFixture> StartAsync(int nodes = 2, IReadOnlyDictionary<string, string>? environment = null)
    {
        var postgres = await PostgresServer.StartAsync();
        var s3 = await S3rverServer.StartAsync();
        var database = "cluster_" + Guid.NewGuid().ToString("N")[..12];
        await postgres.CreateDatabaseAsync(database);
        var cluster = new ClusterFixture(postgres, s3, database, Directory.CreateTempSubdirectory("cluster-repos-").FullName,
            environment ?? new Dictionary<string, string>());
        try
        {
            await Task.WhenAll(Enumerable.Range(0, nodes).Select(_ => cluster.StartNodeAsync()));
            await cluster.StartNginxAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every node's settings: the shared database, store, repositories and signing key.</summary>
    public Dictionary<string, string> NodeEnvironment(string nodeId)
    {
        var environment = new Dictionary<string, string>(S3.ServerEnvironment("objects/"))
        {
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = Postgres.ConnectionString(Database),
            ["Git__RepositoriesPath"] = ReposDir,
            ["Auth__SigningKey"] = _signingKey,
            ["Erasure__SubjectKey"] = _erasureKey,
            ["Erasure__ReceiptSigningKey"] = _receiptKey,
            ["StorageServer__NodeId"] = nodeId,
        };
        foreach (var (key, value) in _extraEnvironment)
        {
            environment[key] = value;
        }
        return environment;
    }

    private static string NewReceiptKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }

    /// <summary>Starts one more node (not yet behind nginx unless called before it starts).</summary>
    public async Task<ServerProcess> StartNodeAsync()
    {
        string nodeId;
        lock (_nodes)
        {
            nodeId = $"node{_nodes.Count + 1}-{Guid.NewGuid().ToString("N")[..4]}";
        }
        var node = await ServerProcess.StartAsync(NodeEnvironment(nodeId));
        lock (_nodes)
        {
            _nodes.Add(node);
        }
        return node;
    }

    public async Task CreateRepoAsync(string name, bool allowAnonymousRead = false) => await _nodes[0].CreateRepoAsync(name, allowAnonymousRead);

    public async Task<string> CreateTokenAsync(string user, IDictionary<string, string> scopes) => await _nodes[0].CreateTokenAsync(user, scopes);

    public Task<string> CreateTokenAsync(string user, string repository, string level = "write") =>
        CreateTokenAsync(user, new Dictionary<string, string> { [repository] = level });

    /// <summary>SQL against the cluster's metadata database (psql, unaligned rows).</summary>
    public Task<string> QueryAsync(string sql) => Postgres.QueryAsync(Database, sql);

    public async ValueTask DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        await S3.DisposeAsync();
        await Postgres.DisposeAsync();
        Directory.Delete(ReposDir, recursive: true);
    }

    private async Task StartNginxAsync()
    {
        var site = await File.ReadAllTextAsync(System.IO.Path.Combine(RepoRoot.Path, "deploy", "nginx", "storageserver.conf"));
        Nginx = await NginxProcess.StartAsync(site, _nodes.Select(n => n.Port).ToArray());
    }
}
