using System.Diagnostics;

namespace StorageServer.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> into a temporary directory, then <c>pg_ctl</c> on a
/// free port of 127.0.0.1, as the <c>postgres</c> OS user when the tests run as root (PostgreSQL
/// refuses root). A test can stop it and start it again on the same port and data, to see how the
/// servers behave while their database restarts. A watchdog shell, detached from the test process,
/// stops the cluster and deletes its directory as soon as the test process is gone, however it ends.
/// Queries go through <c>psql</c>, so this library needs no database driver.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>A superuser connection string (e.g. <c>Host=127.0.0.1;Port=5432;Username=postgres</c>) naming an existing server.</summary>
    public const string EnvironmentVariable = "STORAGESERVER_TEST_POSTGRES";

    // Polls once a second; once the test process or the cluster directory is gone, stops the server
    // at once and removes the cluster. It runs in a session of its own (setsid), so whatever kills the
    // test process (its process tree, its process group, Ctrl-C) spares the watchdog, as pg_ctl spares postgres.
    private const string Watchdog = """
        while [ -d "/proc/$3" ] && [ -d "$2" ]; do sleep 1; done
        "$1/pg_ctl" -D "$2/data" -m immediate -w stop
        rm -rf "$2"
        """;

    private static readonly Lazy<Task<string>> Shared = new(StartSharedAsync);

    private readonly string _bin;
    private readonly string _root;
    private readonly bool _asPostgresUser = Environment.UserName == "root";

    private PostgresServer(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        Port = port;
    }

    public int Port { get; private set; }

    /// <summary>A superuser connection string without a database name.</summary>
    public string ServerConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres";

    public string ConnectionString(string database) => $"{ServerConnectionString};Database={database}";

    private string DataDir => Path.Combine(_root, "data");

    /// <summary>
    /// The server shared by the whole test process (a superuser connection string without a database
    /// name): the one <see cref="EnvironmentVariable"/> names, else a throwaway cluster started by the
    /// first caller and left to the watchdog. When neither works, every caller fails saying why.
    /// </summary>
    public static Task<string> SharedConnectionStringAsync() => Shared.Value;

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinDirectory();
        var root = Directory.CreateTempSubdirectory("storageserver-pg-").FullName;
        var server = new PostgresServer(bin, root, LoopbackPort.Free());
        if (server._asPostgresUser)
        {
            await ProcessRunner.RunAsync("chown", ["postgres:postgres", root]);
        }
        await server.RunAsPostgresAsync("sh", ["-c", """setsid -f sh -c "$1" postgres-watchdog "$2" "$3" "$4" </dev/null >/dev/null 2>&1""",
            "watchdog-launcher", Watchdog, bin, root, Environment.ProcessId.ToString()]);
        await server.RunAsPostgresAsync(Path.Combine(bin, "initdb"), ["-D", server.DataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"]);
        // Another test process may take the free port between the probe and postgres binding it: then
        // try another port (the cluster is new, so nothing depends on the first one yet).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await server.StartAgainAsync();
                return server;
            }
            catch (InvalidOperationException e) when (attempt < 5 && e.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                server.Port = LoopbackPort.Free();
            }
        }
    }

    public async Task StartAgainAsync()
    {
        var log = Path.Combine(_root, "postgres.log");
        try
        {
            await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDir, "-l", log, "-w", "-t", "60", "-o",
                $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "start"]);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"postgres did not accept connections on port {Port}: {e.Message}\n"
                + (File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no log)"), e);
        }
    }

    /// <summary>Fast shutdown: open sessions are terminated, as in a database restart during load.</summary>
    public Task StopAsync() => RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDir, "-m", "fast", "-w", "stop"]);

    public async Task CreateDatabaseAsync(string name) => await QueryAsync("postgres", $"CREATE DATABASE \"{name}\"");

    /// <summary>Runs SQL with psql; returns the unaligned, tuples-only output (one row per line, <c>|</c> between columns).</summary>
    public Task<string> QueryAsync(string database, string sql) =>
        ProcessRunner.RunAsync(Path.Combine(_bin, "psql"), ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDir, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }
        // Also tells the watchdog that it is done.
        Directory.Delete(_root, recursive: true);
    }

    private static async Task<string> StartSharedAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return configured;
        }
        try
        {
            // Never disposed: it serves the whole test process, and the watchdog removes it afterwards.
            var server = await StartAsync();
            return server.ServerConnectionString;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"PostgreSQL tests need a server. Set {EnvironmentVariable} to a superuser connection string "
                + "(e.g. 'Host=127.0.0.1;Port=5432;Username=postgres'), or install the PostgreSQL server binaries "
                + "(/usr/lib/postgresql/<version>/bin; 'apt-get install postgresql', which scripts/test.sh does) "
                + $"so the tests can start a throwaway cluster. Starting one failed: {e.Message}", e);
        }
    }

    private static string FindBinDirectory()
    {
        // Debian/Ubuntu install each major version under /usr/lib/postgresql/<major>/bin, not on PATH.
        var versioned = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .OrderByDescending(version => int.TryParse(Path.GetFileName(version), out var major) ? major : 0)
                .Select(version => Path.Combine(version, "bin"))
            : Enumerable.Empty<string>();
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries);
        return versioned.Concat(onPath).FirstOrDefault(bin => new[] { "initdb", "pg_ctl", "psql" }.All(tool => File.Exists(Path.Combine(bin, tool))))
            ?? throw new FileNotFoundException("PostgreSQL server binaries (initdb, pg_ctl, psql) not found under /usr/lib/postgresql/*/bin or on PATH (apt-get install postgresql)");
    }

    private Task<string> RunAsPostgresAsync(string file, string[] arguments) =>
        _asPostgresUser ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", file, .. arguments]) : ProcessRunner.RunAsync(file, arguments);
}
