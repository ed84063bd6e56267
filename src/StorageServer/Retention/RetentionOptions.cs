using System.ComponentModel.DataAnnotations;

namespace StorageServer.Retention;

/// <summary>Retention settings that are not policies. Section <c>Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>How long a trashed claim stays restorable before a sweep may delete the bytes.</summary>
    public TimeSpan TrashWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Orphan uploads (no pushed commit references them) are reclaimed after this unless a policy says otherwise.</summary>
    public TimeSpan DefaultOrphanGrace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An upload lease left by a crashed node stops protecting its object after this.</summary>
    public TimeSpan UploadLeaseDuration { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long an upload waits for a sweep deleting the same object before it gives up.</summary>
    public TimeSpan SweepFenceWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether each start reclaims crash leftovers older than the orphan grace (in the background, once the server is up).</summary>
    public bool ReconcileAtStartup { get; set; } = true;

    /// <summary>
    /// How many tip pointers (path, oid, size) the <see cref="Planning.TipPointerCache"/> keeps in
    /// memory, about 300 bytes each; 0 turns it off. A push then reads only the tips it moved.
    /// </summary>
    [Range(0, 100_000_000)]
    public int TipPointerCacheSize { get; set; } = 200_000;
}
