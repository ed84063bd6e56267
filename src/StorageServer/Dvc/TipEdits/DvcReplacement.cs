namespace StorageServer.Dvc.TipEdits;

/// <summary>The object a DVC-tracked file is to point at instead (a stored SHA-256 and its size).</summary>
public sealed record DvcReplacement(string Oid, long Size);
