using System.Diagnostics;
using System.Text.Json;

namespace StorageServer.EndToEnd.Tests.Deploy;

/// <summary>
/// Reads YAML with a real YAML parser (PyYAML's safe loader, Debian python3-yaml, installed by
/// scripts/test.sh), so anchors and merge keys mean what docker compose and kubectl take them to mean.
/// </summary>
internal static class YamlFile
{
    private const string ToJson = "import sys, json, yaml; json.dump([d for d in yaml.safe_load_all(open(sys.argv[1])) if d is not None], sys.stdout)";

    /// <summary>Every document of the file, as JSON.</summary>
    public static IReadOnlyList<JsonElement> LoadAll(string path)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", ToJson, path })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{path} is not valid YAML (or python3-yaml is missing: apt-get install python3-yaml): {error.Result}");
        }
        return JsonDocument.Parse(output.Result).RootElement.EnumerateArray().Select(d => d.Clone()).ToList();
    }

    public static JsonElement Load(string path) => LoadAll(path).Single();
}
