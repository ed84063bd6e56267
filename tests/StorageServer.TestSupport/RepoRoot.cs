using System.Reflection;

namespace StorageServer.TestSupport;

/// <summary>Locates the checkout and the build outputs the tests start.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    /// <summary>Debug or Release: the configuration the tests were built in (this library builds with them).</summary>
    public static string Configuration { get; } =
        typeof(RepoRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    public static string AdminCliDll => System.IO.Path.Combine(Path, "src", "StorageServer.Admin", "bin", Configuration, "net10.0", "storageserver-admin.dll");

    public static string ServerDll => System.IO.Path.Combine(Path, "src", "StorageServer", "bin", Configuration, "net10.0", "StorageServer.dll");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "StorageServer.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("StorageServer.sln not found above " + AppContext.BaseDirectory);
    }
}
