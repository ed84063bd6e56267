using Microsoft.Data.Sqlite;
using Npgsql;

namespace StorageServer.DiskSpace;

/// <summary>Recognises "the disk is full" among the exceptions a write can end in.</summary>
public static class DiskFull
{
    /// <summary>ENOSPC: .NET on Unix gives the errno as the IOException's HResult.</summary>
    public const int NoSpaceHResult = 28;

    private const int QuotaExceededHResult = 122; // EDQUOT
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int SqliteFull = 13; // SQLITE_FULL
    private const string PostgresDiskFull = "53100";

    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case IOException { HResult: NoSpaceHResult or QuotaExceededHResult or WindowsDiskFull or WindowsHandleDiskFull }:
                case SqliteException { SqliteErrorCode: SqliteFull }:
                case PostgresException { SqlState: PostgresDiskFull }:
                    return true;
            }
        }
        return false;
    }
}
