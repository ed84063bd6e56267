namespace StorageServer.Admin.Cli;

/// <summary>Where the server is and which admin token to send, from flags, environment or the data dir.</summary>
public sealed record AdminConnection(Uri? BaseUri, string? Token, string? Error)
{
    public const string UrlVariable = "STORAGESERVER_URL";
    public const string TokenVariable = "STORAGESERVER_ADMIN_TOKEN";

    public static AdminConnection Resolve(string? server, string? token, string? dataDir)
    {
        server ??= Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : "http://127.0.0.1:8080";
        if (!Uri.TryCreate(server.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            return new AdminConnection(null, null, $"--server must be an http(s) URL, not '{server}'.");
        }
        token ??= Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        if (token is null)
        {
            var file = Path.Combine(dataDir ?? "data", "admin-token");
            if (!File.Exists(file))
            {
                return new AdminConnection(null, null, $"No admin token: pass --token, set {TokenVariable}, or point --data-dir at the server's data directory ({file} does not exist).");
            }
            token = File.ReadAllText(file).Trim();
        }
        return new AdminConnection(baseUri, token, null);
    }
}
