using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace StorageServer.Tests.Support.Databases;

/// <summary>
/// The PostgreSQL server the tests use, shared by the whole test process.
/// <c>STORAGESERVER_TEST_POSTGRES</c> (a connection string for a superuser, e.g.
/// <c>Host=127.0.0.1;Port=5432;Username=postgres</c>) names an existing server. Without it, the
/// first test that needs PostgreSQL starts a throwaway cluster: <c>initdb</c> into a temporary
/// directory (as the <c>postgres</c> OS user when running as root, since root cannot run
/// PostgreSQL), <c>postgres</c> on a free port of 127.0.0.1. A watchdog shell stops it and deletes
/// its directory as soon as the test process is gone, however the process ends. When neither
/// works, every PostgreSQL test fails saying why; none is skipped.
/// </summary>
public static class PostgresCluster
{
    public const string EnvironmentVariable = "STORAGESERVER_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <summary>A superuser connection string without a database name.</summary>
    public static Task<string> GetConnectionStringAsync() => Server.Value;

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return configured;
        }
        try
        {
            return await StartThrowawayClusterAsync();
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

    private static async Task<string> StartThrowawayClusterAsync()
    {
        var bin = FindBinDirectory();
        var root = Directory.CreateTempSubdirectory("storageserver-pg-").FullName;
        var data = Path.Combine(root, "data");
        var asPostgresUser = Environment.UserName == "root";
        if (asPostgresUser)
        {
            await RunAsync("chown", ["postgres:postgres", root]);
        }
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"], asPostgresUser);

        var port = FreePort();
        // Runs postgres in the background and watches this process; when it is gone, stops the
        // server immediately and removes the cluster. Output goes to root/postgres.log.
        const string Watchdog = """
            exec >"$2/postgres.log" 2>&1
            "$1/postgres" -D "$2/data" -p "$3" -k "$2" -c listen_addresses=127.0.0.1 -c max_connections=300 \
              -c fsync=off -c synchronous_commit=off -c full_page_writes=off &
            pg=$!
            while [ -d "/proc/$4" ] && kill -0 "$pg" 2>/dev/null; do sleep 1; done
            kill -QUIT "$pg" 2>/dev/null
            wait "$pg"
            rm -rf "$2"
            """;
        var watchdog = Start(asPostgresUser, "sh", ["-c", Watchdog, "postgres-watchdog", bin, root, port.ToString(), Environment.ProcessId.ToString()]);

        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres";
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Pooling=false;Timeout=2");
                await connection.OpenAsync();
                return connectionString;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(30) && !watchdog.HasExited)
            {
                await Task.Delay(100);
            }
            catch (NpgsqlException e)
            {
                var log = Path.Combine(root, "postgres.log");
                throw new InvalidOperationException($"postgres did not accept connections on port {port}: {e.Message}\n"
                    + (File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no log)"), e);
            }
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
        return versioned.Concat(onPath).FirstOrDefault(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres")))
            ?? throw new FileNotFoundException("no initdb and postgres under /usr/lib/postgresql/*/bin or on PATH");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] arguments, bool asPostgresUser = false)
    {
        using var process = Start(asPostgresUser, file, arguments, redirect: true);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static Process Start(bool asPostgresUser, string file, string[] arguments, bool redirect = false)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = redirect,
            RedirectStandardError = redirect,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgresUser)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(argument);
            }
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
    }
}
