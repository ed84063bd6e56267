namespace GitHooks.Api;

/// <summary>The LFS base URL chosen for a remote and operation, and where it came from.</summary>
public sealed record LfsEndpoint(Uri Url, string Source, string? Remote);

/// <summary>
/// Finds the LFS endpoint the way git-lfs does (lfsapi/endpoint_finder.go): <c>lfs.pushurl</c>
/// (uploads), <c>lfs.url</c>, <c>remote.&lt;name&gt;.lfspushurl</c> (uploads),
/// <c>remote.&lt;name&gt;.lfsurl</c>, then the git remote URL + <c>/info/lfs</c>.
/// </summary>
public sealed class EndpointResolver(GitConfig config)
{
    public LfsEndpoint Resolve(string? remote, bool upload)
    {
        remote ??= "origin";
        var candidates = new List<(string Key, bool UploadOnly)>
        {
            ("lfs.pushurl", true),
            ("lfs.url", false),
            ($"remote.{remote}.lfspushurl", true),
            ($"remote.{remote}.lfsurl", false),
        };
        foreach (var (key, uploadOnly) in candidates)
        {
            if ((!uploadOnly || upload) && config.Get(key) is { Length: > 0 } value)
            {
                return new LfsEndpoint(ParseHttpUrl(value, key), key, remote);
            }
        }

        var remoteUrl = (upload ? config.Get($"remote.{remote}.pushurl") : null) ?? config.Get($"remote.{remote}.url");
        // pre-push may be given a URL instead of a remote name.
        if (remoteUrl is null && remote.Contains("://", StringComparison.Ordinal))
        {
            remoteUrl = remote;
        }
        if (remoteUrl is null)
        {
            throw new EndpointException($"No LFS endpoint: remote '{remote}' does not exist and neither lfs.url nor remote.{remote}.lfsurl is set.");
        }
        var derived = DeriveFromGitUrl(ApplyInsteadOf(remoteUrl))
            ?? throw new EndpointException($"No LFS endpoint for remote '{remote}' ({remoteUrl}): only http(s) and ssh remotes imply one. Set it with: git config lfs.url https://<server>/<repo>.git/info/lfs");
        return new LfsEndpoint(derived, $"remote.{remote}.url", remote);
    }

    /// <summary>git's <c>url.&lt;base&gt;.insteadOf</c>: the longest matching prefix is replaced.</summary>
    public string ApplyInsteadOf(string url)
    {
        string? bestBase = null;
        var bestPrefix = string.Empty;
        foreach (var (key, value) in config.Entries)
        {
            if (key.StartsWith("url.", StringComparison.Ordinal) && key.EndsWith(".insteadof", StringComparison.Ordinal)
                && url.StartsWith(value, StringComparison.Ordinal) && value.Length > bestPrefix.Length)
            {
                bestBase = key["url.".Length..^".insteadof".Length];
                bestPrefix = value;
            }
        }
        return bestBase is null ? url : bestBase + url[bestPrefix.Length..];
    }

    /// <summary>https://h/foo and https://h/foo.git both give https://h/foo.git/info/lfs; ssh maps to https.</summary>
    public static Uri? DeriveFromGitUrl(string url)
    {
        url = url.TrimEnd('/');
        string httpBase;
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            httpBase = url;
        }
        else if (url.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("git+ssh://", StringComparison.OrdinalIgnoreCase))
        {
            var parsed = new Uri(url.Replace("git+ssh://", "ssh://", StringComparison.OrdinalIgnoreCase));
            httpBase = $"https://{parsed.Host}{parsed.AbsolutePath}";
        }
        else if (!url.Contains("://", StringComparison.Ordinal) && url.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
            && !url[..colon].Contains('/', StringComparison.Ordinal))
        {
            // scp-like syntax: [user@]host:path
            var host = url[..colon];
            host = host[(host.IndexOf('@', StringComparison.Ordinal) + 1)..];
            httpBase = $"https://{host}/{url[(colon + 1)..].TrimStart('/')}";
        }
        else
        {
            return null; // file://, local paths: no HTTP endpoint to derive.
        }
        var suffix = httpBase.EndsWith(".git", StringComparison.Ordinal) ? "/info/lfs" : ".git/info/lfs";
        return new Uri(httpBase + suffix);
    }

    private static Uri ParseHttpUrl(string value, string key) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new EndpointException($"{key} = '{value}' is not an http(s) URL.");
}

public sealed class EndpointException(string message) : LocalStorage.UserException(message);
