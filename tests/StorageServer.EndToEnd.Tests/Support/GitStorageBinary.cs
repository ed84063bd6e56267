namespace StorageServer.EndToEnd.Tests.Support;

/// <summary>
/// The <c>git-storage</c> client as users run it: an executable on PATH. The test project
/// references GitHooks, so git-storage.dll is built next to the tests; a wrapper script in a
/// private directory runs it with dotnet.
/// </summary>
public static class GitStorageBinary
{
    private static readonly Lazy<string> BinDirectory = new(Create);

    public static string Directory => BinDirectory.Value;

    private static string Create()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "git-storage.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"git-storage.dll not found at {dll}; build src/GitHooks first.");
        }
        var bin = System.IO.Directory.CreateTempSubdirectory("git-storage-bin-").FullName;
        var script = Path.Combine(bin, "git-storage");
        File.WriteAllText(script, $"#!/bin/sh\nexec dotnet \"{dll}\" \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return bin;
    }
}
