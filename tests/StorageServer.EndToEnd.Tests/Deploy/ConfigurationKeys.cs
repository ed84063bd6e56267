using System.Collections;
using System.Reflection;
using System.Runtime.Loader;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Deploy;

/// <summary>
/// The configuration keys the built server binds: every options class with a <c>Section</c>
/// constant, walked through its properties (read by reflection from StorageServer.dll), plus the
/// few environment variables read directly.
/// </summary>
internal sealed class ConfigurationKeys
{
    /// <summary>Read outside the options classes: the admin token (Program), the listen URLs (ASP.NET Core) and the gen0 size (the .NET runtime).</summary>
    private static readonly string[] DirectVariables = ["STORAGESERVER_ADMIN_TOKEN", "ASPNETCORE_URLS", "DOTNET_GCgen0size"];

    private readonly List<(string[] Section, Type Options)> _sections;

    private ConfigurationKeys(List<(string[] Section, Type Options)> sections) => _sections = sections;

    public static ConfigurationKeys FromServerAssembly()
    {
        var directory = Path.GetDirectoryName(RepoRoot.ServerDll)!;
        var context = new AssemblyLoadContext("server-config-keys", isCollectible: true);
        context.Resolving += (ctx, name) =>
            File.Exists(Path.Combine(directory, name.Name + ".dll")) ? ctx.LoadFromAssemblyPath(Path.Combine(directory, name.Name + ".dll")) : null;
        var assembly = context.LoadFromAssemblyPath(RepoRoot.ServerDll);
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            // Types built on ASP.NET Core (not loaded in this test process) are skipped; options classes are plain.
            types = e.Types.Where(t => t is not null).ToArray()!;
        }
        var sections = types
            .Select(t => (Type: t, Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(p => p.Field is { IsLiteral: true } && p.Field.FieldType == typeof(string) && p.Type.Name.EndsWith("Options", StringComparison.Ordinal))
            .Select(p => (((string)p.Field!.GetRawConstantValue()!).Split(':'), p.Type))
            .OrderByDescending(s => s.Item1.Length)
            .ToList();
        Assert.Contains(sections, s => s.Type.Name == "StorageServerOptions");
        return new ConfigurationKeys(sections);
    }

    /// <summary>An environment variable name (<c>ObjectStore__S3__Bucket</c>) or key (<c>ObjectStore:S3:Bucket</c>).</summary>
    public bool IsKnown(string name)
    {
        if (DirectVariables.Contains(name, StringComparer.Ordinal))
        {
            return true;
        }
        var parts = name.Split(["__", ":"], StringSplitOptions.None);
        foreach (var (section, options) in _sections)
        {
            if (parts.Length > section.Length && section.Select((s, i) => string.Equals(s, parts[i], StringComparison.OrdinalIgnoreCase)).All(x => x))
            {
                return IsProperty(options, parts[section.Length..]);
            }
        }
        return false;
    }

    private static bool IsProperty(Type type, string[] path)
    {
        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || property.SetMethod is null && !typeof(IDictionary).IsAssignableFrom(property.PropertyType))
        {
            return false;
        }
        if (path.Length == 1)
        {
            return true;
        }
        var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (typeof(IDictionary).IsAssignableFrom(propertyType))
        {
            return path.Length == 2; // any name: a dictionary entry, e.g. Jobs:Schedules:RescanAll
        }
        return propertyType.IsClass && propertyType != typeof(string) && propertyType != typeof(Uri) && IsProperty(propertyType, path[1..]);
    }
}
