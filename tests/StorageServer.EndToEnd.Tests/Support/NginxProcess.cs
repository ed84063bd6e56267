using System.Diagnostics;

namespace StorageServer.EndToEnd.Tests.Support;

/// <summary>
/// Real nginx in the foreground with a private prefix, serving a site config from deploy/
/// rewritten only in its addresses (listen port and upstream servers).
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NginxProcess(Process process, string prefix, int port)
    {
        _process = process;
        Prefix = prefix;
        Port = port;
    }

    public string Prefix { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string AccessLog => File.Exists(Path.Combine(Prefix, "access.log")) ? File.ReadAllText(Path.Combine(Prefix, "access.log")) : string.Empty;

    /// <param name="siteConfig">The site file's text, as shipped.</param>
    /// <param name="upstreamPorts">Ports of the StorageServer nodes, replacing the shipped upstream servers.</param>
    public static async Task<NginxProcess> StartAsync(string siteConfig, params int[] upstreamPorts)
    {
        var prefix = Directory.CreateTempSubdirectory("nginx-").FullName;
        // Workers run as nobody when the master is root: they must be able to use the prefix.
        File.SetUnixFileMode(prefix, (UnixFileMode)0x1FF);
        var port = LoopbackPort.Free();
        var site = RewriteAddresses(siteConfig, port, upstreamPorts);
        await File.WriteAllTextAsync(Path.Combine(prefix, "site.conf"), site);
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), $$"""
            worker_processes 1;
            error_log {{prefix}}/error.log info;
            pid {{prefix}}/nginx.pid;
            events { worker_connections 256; }
            http {
                access_log {{prefix}}/access.log;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                include {{prefix}}/site.conf;
            }
            """);
        var start = new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var nginx = new NginxProcess(process, prefix, port);
        await LoopbackPort.WaitUntilListeningAsync(nginx.Port, nginx._process, "nginx");
        return nginx;
    }

    public static string RewriteAddresses(string siteConfig, int listenPort, int[] upstreamPorts)
    {
        var lines = siteConfig.Split('\n').ToList();
        var firstServer = lines.FindIndex(l => l.TrimStart().StartsWith("server 127.0.0.1:", StringComparison.Ordinal));
        if (firstServer < 0 || !lines.Any(l => l.Trim() == "listen 80;"))
        {
            throw new InvalidOperationException("site config has no 'server 127.0.0.1:…' upstream or 'listen 80;' line to rewrite");
        }
        // Each node gets the shipped server line's parameters (passive health settings) as they are.
        var shipped = lines[firstServer].Trim().TrimEnd(';').Split(' ', 3);
        var parameters = shipped.Length == 3 ? " " + shipped[2] : string.Empty;
        lines.RemoveAll(l => l.TrimStart().StartsWith("server 127.0.0.1:", StringComparison.Ordinal));
        lines.InsertRange(firstServer, upstreamPorts.Select(p => $"    server 127.0.0.1:{p}{parameters};"));
        return string.Join('\n', lines).Replace("listen 80;", $"listen 127.0.0.1:{listenPort};", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(Prefix, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
