using System.Runtime.InteropServices;

namespace StorageServer.Hosting;

/// <summary>
/// glibc malloc tuning for the server process, applied before the host is built. The runtime's
/// native allocations (the JIT's among them), SQLite and OpenSSL go through malloc; glibc serves
/// requests below its dynamic mmap threshold (which grows up to 32 MiB) from per-thread arenas, which
/// keep what was freed resident: an arena of ~14 MB after a push, ~1 MB at idle. With a fixed 32 KiB
/// threshold an arena no longer grows for larger blocks: one that no free chunk holds is mapped on
/// its own and unmapped when freed. Peak RSS after a 1,000-object push and clone 195/199 -> 186/187 MB
/// (bench/README.md, sixth session). A <c>MALLOC_MMAP_THRESHOLD_</c> set in the environment wins.
/// </summary>
internal static partial class NativeHeapTuning
{
    /// <summary>glibc's <c>M_MMAP_THRESHOLD</c> parameter of <c>mallopt</c>.</summary>
    private const int MmapThresholdParameter = -3;

    public const int MmapThresholdBytes = 32 * 1024;

    /// <summary>True when the threshold was set; false off glibc Linux or when the environment sets it.</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null)
        {
            return false;
        }
        try
        {
            return MallOpt(MmapThresholdParameter, MmapThresholdBytes) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl has no such tunable): nothing to tune.
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
