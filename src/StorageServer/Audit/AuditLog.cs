using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Audit;

/// <summary>
/// Appends to the audit trail. Appends are serialised (in-process lock plus the unique index on
/// the previous hash, which makes two nodes racing for the same predecessor fail one of them,
/// which then retries), so the chain never forks.
/// </summary>
public sealed class AuditLog(StorageDbContext db, TimeProvider clock, ILogger<AuditLog> logger)
{
    private const int MaxAttempts = 5;
    private static readonly SemaphoreSlim AppendLock = new(1, 1);

    public async Task<AuditEvent> AppendAsync(string actor, string action, string target, object? details, CancellationToken cancellationToken)
    {
        var detailsJson = details is null ? null : JsonSerializer.Serialize(details);
        await AppendLock.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var previous = await db.AuditEvents.AsNoTracking().OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync(cancellationToken);
                var entry = new AuditEvent
                {
                    At = StoredPrecision(clock.GetUtcNow()),
                    Actor = actor,
                    Action = action,
                    Target = target,
                    DetailsJson = detailsJson,
                    PreviousHash = previous ?? AuditChain.Genesis,
                    Hash = string.Empty,
                };
                entry.Hash = AuditChain.ComputeHash(entry);
                db.AuditEvents.Add(entry);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    logger.LogInformation("Audit {AuditAction} on {AuditTarget} by {AuditActor}", action, target, actor);
                    return entry;
                }
                catch (DbUpdateException e) when (attempt < MaxAttempts && db.IsUniqueViolation(e))
                {
                    db.Entry(entry).State = EntityState.Detached;
                }
            }
        }
        finally
        {
            AppendLock.Release();
        }
    }

    /// <summary>
    /// The hash covers <see cref="AuditEvent.At"/>, so it must be what the database gives back:
    /// SQLite's converter keeps 0.1 ms, PostgreSQL 1 µs, the clock 100 ns. Whole milliseconds fit both.
    /// </summary>
    private static DateTimeOffset StoredPrecision(DateTimeOffset now) => now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMillisecond));
}
