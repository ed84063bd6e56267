namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// What the oracle says about one repository's claim on one object at one moment. Unknown means
/// the spec allows either outcome from what a test can know (a claim re-made at an unknown push, a
/// decision within two hours of its boundary): no assertion is made.
/// </summary>
public sealed record Verdict(VerdictKind Kind, KeepReason Reason, string Why)
{
    public override string ToString() => Kind == VerdictKind.Keep ? $"keep ({Reason}: {Why})" : $"{Kind.ToString().ToLowerInvariant()} ({Why})";
}

public enum VerdictKind
{
    Keep,
    Delete,
    Unknown,
}

/// <summary>Which rule of the spec keeps the claim (numbered as there).</summary>
public enum KeepReason
{
    None,
    Tip,
    Hold,
    Grace,
    History,
}
