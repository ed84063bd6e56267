namespace StorageServer.Git.Refs;

/// <summary>
/// A ref of a repository, peeled fully: <see cref="Target"/> is the commit, tree or blob that
/// <c>&lt;ref&gt;^{}</c> names, whatever chain of annotated tags lies between. <see cref="Object"/>
/// is what the ref itself stores (the outermost tag for an annotated tag).
/// </summary>
public sealed record GitRef(string Name, string Object, string Target, PeeledKind Kind)
{
    public bool IsCommit => Kind == PeeledKind.Commit;
}
