namespace StorageServer.Erasure.Preview;

/// <summary>What an approved request does at one ref's tip for one path.</summary>
/// <param name="Ref">The full ref name (<c>refs/heads/main</c>, <c>refs/tags/v1</c>).</param>
/// <param name="Action">
/// <c>redact</c> (a successor without the subject's records is committed there), <c>remove</c> (the
/// path is removed by a server commit), or <c>keep</c> (a tag: tags are not rewritten, so the tag keeps
/// pointing at the version, which answers 410 once erased).
/// </param>
public sealed record TipEffect(string Repository, string Ref, string Path, string Oid, string Action, string Effect)
{
    public static TipEffect Branch(string repository, string reference, string path, string oid, bool redact) =>
        new(repository, reference, path, oid, redact ? "redact" : "remove",
            redact ? "branch tip gets a redacted successor (one server commit per branch)" : "path removed from the branch tip (one server commit per branch)");

    public static TipEffect Tag(string repository, string reference, string path, string oid) =>
        new(repository, reference, path, oid, "keep", "tag tip keeps a version that will answer 410 (tags are not rewritten)");
}
