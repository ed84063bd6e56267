namespace StorageServer.Retention.Keeping;

/// <summary>
/// What <see cref="ObjectKeepRules"/> decided for one repository's claim on one object, and why.
/// </summary>
/// <param name="Keep">True: something keeps the claim. False: nothing does, the mark may trash it.</param>
/// <param name="Reason">A <see cref="KeepReasons"/> code, for counting.</param>
/// <param name="Detail">The sentence a report shows.</param>
/// <param name="Policy">What decided: <c>policy:3</c>, <c>policy:1,policy:3</c>, <c>orphan-grace</c>, a hold, a ref; null for built-in rules that keep.</param>
public sealed record KeepVerdict(bool Keep, string Reason, string Detail, string? Policy = null, string? Path = null, string? Ref = null);
