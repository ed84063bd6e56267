namespace StorageServer.TestSupport;

/// <summary>
/// The <c>git-storage</c> client as users run it: an executable on PATH. The test projects that use
/// it reference GitHooks, so git-storage.dll is built next to the tests; a wrapper script in a
/// private directory runs it with dotnet.
/// </summary>
public static class GitStorageBinary
{
    private static readonly Lazy<string> BinDirectory = new(Create);

    /// <summary>A directory holding only the <c>git-storage</c> wrapper; prepend it to PATH.</summary>
    public static string Directory => BinDirectory.Value;

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "git-storage.dll");

    private static string Create()
    {
        if (!File.Exists(DllPath))
        {
            throw new InvalidOperationException($"git-storage.dll not found at {DllPath}; build src/GitHooks first.");
        }
        var bin = System.IO.Directory.CreateTempSubdirectory("git-storage-bin-").FullName;
        var script = Path.Combine(bin, "git-storage");
        File.WriteAllText(script, $"#!/bin/sh\nexec dotnet \"{DllPath}\" \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return bin;
    }
}
