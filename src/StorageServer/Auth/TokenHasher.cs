using System.Security.Cryptography;
using System.Text;

namespace StorageServer.Auth;

/// <summary>
/// Tokens are 256-bit random secrets, so a plain SHA-256 is enough to store them (as GitHub does
/// for its tokens): there is nothing to brute-force, and lookups stay a single index probe.
/// </summary>
public static class TokenHasher
{
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool FixedTimeEquals(string hashA, string hashB) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hashA), Encoding.ASCII.GetBytes(hashB));
}
