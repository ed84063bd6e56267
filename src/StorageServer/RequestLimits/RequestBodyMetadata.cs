namespace StorageServer.RequestLimits;

/// <summary>Endpoint metadata carrying the <see cref="RequestBodyKind"/>; the most specific one wins.</summary>
public sealed record RequestBodyMetadata(RequestBodyKind Kind);
