namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>One repository's claim on one object at a checkpoint: the oracle's verdict and what the server answered before and after the run.</summary>
public sealed record ClaimView(OracleRepo Repo, string Oid, Verdict Verdict, ObjectStatus Before)
{
    public ObjectStatus After { get; set; } = Before;
}
