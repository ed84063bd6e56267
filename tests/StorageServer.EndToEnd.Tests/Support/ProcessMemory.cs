namespace StorageServer.EndToEnd.Tests.Support;

/// <summary>What the kernel says about a process's memory (<c>/proc/&lt;pid&gt;/status</c>).</summary>
public static class ProcessMemory
{
    /// <summary>VmHWM: the highest resident set size the process ever had, in bytes.</summary>
    public static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
