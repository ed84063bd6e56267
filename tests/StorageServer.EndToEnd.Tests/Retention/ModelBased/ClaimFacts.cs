namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// When a repository's claim on an object can have been made: no earlier than its first upload,
/// no later than the last push that could have uploaded it again.
/// </summary>
public sealed class ClaimFacts
{
    public double FirstUpload { get; set; }

    public double LastTouch { get; set; }
}
