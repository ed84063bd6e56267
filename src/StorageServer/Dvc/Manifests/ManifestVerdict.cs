namespace StorageServer.Dvc.Manifests;

/// <summary>
/// The check of an uploaded manifest: how many entries it lists, and why it was refused when it
/// was: its format (400), or entries this repository lacks (<paramref name="MissingEntries"/>, 409).
/// </summary>
public sealed record ManifestVerdict(int Entries, string? Problem, bool MissingEntries)
{
    public bool Accepted => Problem is null;
}
