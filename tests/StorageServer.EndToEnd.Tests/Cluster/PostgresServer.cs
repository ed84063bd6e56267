using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>
/// A throwaway PostgreSQL cluster that a test can stop and start again on the same port and data
/// (pg_ctl), to see how the servers behave while their database restarts. Runs as the
/// <c>postgres</c> OS user when the tests run as root, since PostgreSQL refuses root.
/// Queries go through <c>psql</c>, so this project needs no database driver.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly bool _asPostgresUser = Environment.UserName == "root";

    private PostgresServer(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.EnumerateDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
            .OrderByDescending(b => b, StringComparer.Ordinal)
            .FirstOrDefault(b => File.Exists(Path.Combine(b, "pg_ctl")))
            ?? throw new FileNotFoundException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)");
        var root = Directory.CreateTempSubdirectory("storageserver-cluster-pg-").FullName;
        var server = new PostgresServer(bin, root, FreePort());
        if (server._asPostgresUser)
        {
            await Run("chown", ["postgres:postgres", root]);
        }
        await server.RunAsPostgres("initdb", ["-D", server.DataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"]);
        await server.StartAgainAsync();
        return server;
    }

    private string DataDir => Path.Combine(_root, "data");

    public Task StartAgainAsync() => RunAsPostgres("pg_ctl", ["-D", DataDir, "-l", Path.Combine(_root, "postgres.log"), "-w", "-t", "60", "-o",
        $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off", "start"]);

    /// <summary>Fast shutdown: open sessions are terminated, as in a database restart during load.</summary>
    public Task StopAsync() => RunAsPostgres("pg_ctl", ["-D", DataDir, "-m", "fast", "-w", "stop"]);

    public async Task CreateDatabaseAsync(string name) => await QueryAsync("postgres", $"CREATE DATABASE \"{name}\"");

    /// <summary>Runs SQL with psql; returns the unaligned, tuples-only output (one row per line, <c>|</c> between columns).</summary>
    public Task<string> QueryAsync(string database, string sql) =>
        Run(Path.Combine(_bin, "psql"), ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgres("pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }
        Directory.Delete(_root, recursive: true);
    }

    private Task<string> RunAsPostgres(string tool, string[] arguments) =>
        _asPostgresUser ? Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments]) : Run(Path.Combine(_bin, tool), arguments);

    private static async Task<string> Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
        return (await output).Trim();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
