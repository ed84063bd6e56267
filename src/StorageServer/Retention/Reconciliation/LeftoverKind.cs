namespace StorageServer.Retention.Reconciliation;

/// <summary>What a crash can leave behind between the object store and the database.</summary>
public enum LeftoverKind
{
    /// <summary>Bytes in the store and no <c>objects</c> row: a crash after the upload's rename, before its row.</summary>
    FileWithoutRow,

    /// <summary>A live row no repository claims (and none has in the trash): a crash between the row and the claim.</summary>
    RowWithoutClaim,

    /// <summary>A row the sweep marked deleted whose bytes are still stored: a crash before the delete finished.</summary>
    DeletedButStored,
}
