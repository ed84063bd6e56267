using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace StorageServer.Locks;

/// <summary>One page of a lock listing: start after <see cref="After"/>, at most <see cref="Limit"/> locks.</summary>
public sealed record LockPageRequest(LockCursor? After, int Limit)
{
    /// <summary>What a page holds when the client sends no limit (git-lfs 3.3 sends none by default).</summary>
    public const int DefaultLimit = 100;

    /// <summary>Larger limits are lowered to this; the client follows <c>next_cursor</c> for the rest.</summary>
    public const int MaxLimit = 1000;

    /// <summary>
    /// Builds a page request from the wire values, or explains in <paramref name="error"/> what is
    /// wrong (answered with 422): a cursor this server did not issue, or a limit below 1.
    /// </summary>
    public static bool TryCreate(string? cursor, int? limit, [NotNullWhen(true)] out LockPageRequest? page, [NotNullWhen(false)] out string? error)
    {
        page = null;
        LockCursor? after = null;
        if (!string.IsNullOrEmpty(cursor) && !LockCursor.TryDecode(cursor, out after))
        {
            error = "cursor is not one this server returned as next_cursor.";
            return false;
        }
        if (limit < 1)
        {
            error = "limit must be a positive integer.";
            return false;
        }
        page = new LockPageRequest(after, Math.Min(limit ?? DefaultLimit, MaxLimit));
        error = null;
        return true;
    }

    /// <summary>As <see cref="TryCreate(string?, int?, out LockPageRequest?, out string?)"/>, with the limit from a query string.</summary>
    public static bool TryCreate(string? cursor, string? limit, [NotNullWhen(true)] out LockPageRequest? page, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(limit))
        {
            return TryCreate(cursor, (int?)null, out page, out error);
        }
        if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            // Digits only; a number too big for int is still a valid (clamped) limit.
            if (limit.Length > 0 && limit.All(char.IsAsciiDigit))
            {
                parsed = int.MaxValue;
            }
            else
            {
                page = null;
                error = "limit must be a positive integer.";
                return false;
            }
        }
        return TryCreate(cursor, parsed, out page, out error);
    }
}

/// <summary>The locks of one page and, when more follow, where the next page starts.</summary>
public sealed record LockPage(IReadOnlyList<Data.Entities.FileLock> Locks, LockCursor? Next);
