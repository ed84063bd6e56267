using System.Runtime.InteropServices;

namespace StorageServer.Storage;

/// <summary>
/// fsync of a directory, so that a rename into it survives a power loss. .NET has no API for
/// this; on Linux we open the directory read-only and fsync the descriptor.
/// </summary>
internal static partial class DirectorySync
{
    private const int OpenReadOnly = 0;
    private const int OpenDirectory = 0x10000;

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var fd = Open(directory, OpenReadOnly | OpenDirectory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
