using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;

namespace StorageServer.Auth;

/// <summary>
/// Records when each personal access token was last used (shown in the console and the API), to
/// within <see cref="Resolution"/>: a token used by a busy push writes its row once a minute, not
/// once per request. A failed write is logged and never fails the request it came with.
/// </summary>
public sealed class TokenUsage(TimeProvider clock, ILogger<TokenUsage> logger)
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    // Per node; bounded by the number of tokens. Saves the conditional UPDATE when this node wrote recently.
    private readonly ConcurrentDictionary<long, DateTimeOffset> _written = new();

    public async Task RecordAsync(StorageDbContext db, long tokenId, DateTimeOffset? stored, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var threshold = now - Resolution;
        if (stored > threshold || (_written.TryGetValue(tokenId, out var written) && written > threshold))
        {
            return;
        }
        _written[tokenId] = now;
        try
        {
            // Conditional: of several nodes noting the same minute, one writes.
            await db.AccessTokens.Where(t => t.Id == tokenId && (t.LastUsedAt == null || t.LastUsedAt < threshold))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }
        catch (DbException e)
        {
            logger.LogWarning(e, "Could not record the use of token {TokenId}", tokenId);
        }
    }
}
