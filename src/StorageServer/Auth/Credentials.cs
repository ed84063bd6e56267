using System.Net.Http.Headers;
using System.Text;

namespace StorageServer.Auth;

/// <summary>The secret a request carries: HTTP Basic (any user, token as password) or Bearer.</summary>
public static class Credentials
{
    public static bool WereSent(HttpRequest request) => request.Headers.Authorization.Count > 0;

    public static string? ReadSecret(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header) || header.Parameter is null)
        {
            return null;
        }
        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return header.Parameter;
        }
        if (!header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 && colon < decoded.Length - 1 ? decoded[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
