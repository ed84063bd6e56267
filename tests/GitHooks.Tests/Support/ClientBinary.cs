namespace GitHooks.Tests.Support;

/// <summary>
/// The real client as users run it: a <c>git-storage</c> executable on PATH. The test project
/// references GitHooks, so its build output (git-storage.dll) sits next to the tests; a tiny
/// wrapper script named <c>git-storage</c> in a private bin directory runs it with dotnet.
/// </summary>
public static class ClientBinary
{
    private static readonly Lazy<string> BinDirectory = new(CreateBinDirectory);

    /// <summary>A directory holding only the <c>git-storage</c> wrapper; prepend it to PATH.</summary>
    public static string Directory => BinDirectory.Value;

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "git-storage.dll");

    private static string CreateBinDirectory()
    {
        if (!File.Exists(DllPath))
        {
            throw new InvalidOperationException($"git-storage.dll not found at {DllPath}; build GitHooks first.");
        }
        var bin = Path.Combine(Path.GetTempPath(), "git-storage-tests-bin-" + Environment.ProcessId);
        System.IO.Directory.CreateDirectory(bin);
        var script = Path.Combine(bin, "git-storage");
        File.WriteAllText(script, $"#!/bin/sh\nexec dotnet \"{DllPath}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        return bin;
    }
}
