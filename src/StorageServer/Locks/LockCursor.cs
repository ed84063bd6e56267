using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace StorageServer.Locks;

/// <summary>
/// Position after the last lock of a page, in the list order (locked_at, then id). Keyset
/// rather than offset, so locks created or released between pages neither repeat nor vanish.
/// On the wire it is opaque: base64url of <c>unixSeconds:id</c>.
/// </summary>
public sealed record LockCursor(DateTimeOffset LockedAt, string Id)
{
    private const int MaxEncodedLength = 256;

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{LockedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}:{Id}"));

    public static bool TryDecode(string text, [NotNullWhen(true)] out LockCursor? cursor)
    {
        cursor = null;
        if (text.Length is 0 or > MaxEncodedLength)
        {
            return false;
        }
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }
        var decoded = Encoding.UTF8.GetString(bytes);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == decoded.Length - 1
            || !long.TryParse(decoded.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }
        cursor = new LockCursor(DateTimeOffset.FromUnixTimeSeconds(seconds), decoded[(colon + 1)..]);
        return true;
    }
}
