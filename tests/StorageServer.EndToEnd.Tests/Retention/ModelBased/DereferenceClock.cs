namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// D(R, O) of the spec, as the server can have seen it: whether a protected tip has O now and ever
/// had it, when it last stopped having it, and when O was first seen in R's history. Times are
/// scenario days (the test clock's offset).
/// </summary>
public sealed class DereferenceClock
{
    public bool InTip { get; set; }

    public bool EverTip { get; set; }

    public double? LastDereference { get; set; }

    public double? FirstSeen { get; set; }

    /// <summary>The time keepDaysAfterDereference counts from, or null when the server cannot have one.</summary>
    public double? Since => EverTip ? LastDereference : FirstSeen;
}
