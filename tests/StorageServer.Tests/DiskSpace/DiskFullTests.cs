using Microsoft.Data.Sqlite;
using StorageServer.DiskSpace;

namespace StorageServer.Tests.DiskSpace;

/// <summary>Which failures mean "the disk is full" (answered 507) and which do not (still 500).</summary>
public sealed class DiskFullTests
{
    [Fact]
    public void Enospc_edquot_and_sqlite_full_are_a_full_disk_however_deeply_wrapped()
    {
        Assert.True(DiskFull.Is(new IOException("No space left on device", 28)));
        Assert.True(DiskFull.Is(new IOException("Disk quota exceeded", 122)));
        Assert.True(DiskFull.Is(new InvalidOperationException("saving failed", new SqliteException("database or disk is full", 13))));
    }

    [Fact]
    public void Other_io_and_database_errors_are_not()
    {
        Assert.False(DiskFull.Is(new IOException("Permission denied", 13)));
        Assert.False(DiskFull.Is(new SqliteException("database is locked", 5)));
        Assert.False(DiskFull.Is(new FileNotFoundException()));
    }
}
