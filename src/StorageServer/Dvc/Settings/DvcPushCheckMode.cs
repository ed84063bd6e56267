namespace StorageServer.Dvc.Settings;

/// <summary>What a git push whose commits name DVC outputs not on the server gets.</summary>
public enum DvcPushCheckMode
{
    /// <summary>
    /// Refused, listing the missing outputs (the default): as with Git LFS, no branch ever names
    /// data nobody can pull, and <c>dvc install</c>'s pre-push hook (<c>dvc push</c> before
    /// <c>git push</c>) or running <c>dvc push</c> first satisfies it.
    /// </summary>
    Enforce,

    /// <summary>Accepted with a warning listing them, for teams that push git before data; the data is indexed when it arrives.</summary>
    Warn,
}
