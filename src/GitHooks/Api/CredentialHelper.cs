using System.Text;
using GitHooks.Git;

namespace GitHooks.Api;

public sealed record Credential(string Username, string Password)
{
    public string ToBasicParameter() => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
}

/// <summary>Where credentials come from and where their fate is reported; a seam for tests.</summary>
public interface ICredentialHelper
{
    Task<Credential?> FillAsync(Uri url, CancellationToken cancellationToken);

    Task ApproveAsync(Uri url, Credential credential, CancellationToken cancellationToken);

    Task RejectAsync(Uri url, Credential credential, CancellationToken cancellationToken);
}

/// <summary>
/// Asks git's credential helpers, as git-lfs does: <c>git credential fill</c> on a 401, then
/// <c>approve</c> after a success so the helper stores it, or <c>reject</c> when the server
/// refused it so a wrong password is not offered again.
/// </summary>
public sealed class GitCredentialHelper(GitRunner git) : ICredentialHelper
{
    public async Task<Credential?> FillAsync(Uri url, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(["credential", "fill"], Describe(url, null), cancellationToken);
        if (!result.Succeeded)
        {
            return null;
        }
        var values = Parse(result.StdOut);
        return values.TryGetValue("username", out var user) && values.TryGetValue("password", out var password)
            ? new Credential(user, password)
            : null;
    }

    public Task ApproveAsync(Uri url, Credential credential, CancellationToken cancellationToken) =>
        git.RunAsync(["credential", "approve"], Describe(url, credential), cancellationToken);

    public Task RejectAsync(Uri url, Credential credential, CancellationToken cancellationToken) =>
        git.RunAsync(["credential", "reject"], Describe(url, credential), cancellationToken);

    /// <summary>The credential protocol's input: git splits <c>url=</c> itself and applies useHttpPath.</summary>
    public static string Describe(Uri url, Credential? credential)
    {
        var text = new StringBuilder();
        text.Append("url=").Append(url.GetLeftPart(UriPartial.Path)).Append('\n');
        if (credential is not null)
        {
            text.Append("username=").Append(credential.Username).Append('\n');
            text.Append("password=").Append(credential.Password).Append('\n');
        }
        text.Append('\n');
        return text.ToString();
    }

    public static Dictionary<string, string> Parse(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[line[..eq]] = line[(eq + 1)..];
            }
        }
        return values;
    }
}
