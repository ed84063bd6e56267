namespace StorageServer.Dvc.Api;

public sealed record UpdateDvcSettingsRequest(string? PushCheck);

/// <param name="RemoteUrl">What to give <c>dvc remote add</c>.</param>
/// <param name="PushCheck"><c>enforce</c> (pushes naming DVC outputs not on the server are refused) or <c>warn</c>.</param>
/// <param name="Objects">DVC objects this repository uploaded (files and manifests), with <paramref name="Bytes"/>, live ones only.</param>
public sealed record DvcRepositoryResponse(string Repository, string RemoteUrl, string PushCheck, long Objects, long Bytes, long Manifests);

/// <param name="Hash">The DVC oid (<c>md5</c> or <c>md5.dir</c>).</param>
/// <param name="Legacy">True for the DVC 2 tree (md5-dos2unix).</param>
/// <param name="Oid">The SHA-256 the bytes are stored under (what holds, tags and the trash name).</param>
/// <param name="State">The stored object's state: live, trashed, restricted, deleted, purged, pending.</param>
public sealed record DvcObjectResponse(string Hash, bool Legacy, string Oid, long Size, string State, DateTimeOffset UploadedAt, string UploadedBy);
