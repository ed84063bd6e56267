using System.Diagnostics;
using System.Text.Json;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>
/// Directory manifests made by Python's own <c>json.dumps</c>, exactly as DVC makes them
/// (<c>json.dumps(sorted(entries, key=relpath), sort_keys=True).encode("utf-8")</c>): an oracle
/// independent of the server's manifest code.
/// </summary>
public static class PythonManifest
{
    private const string Script =
        "import json,sys\n" +
        "entries = json.load(sys.stdin)\n" +
        "sys.stdout.buffer.write(json.dumps(sorted(entries, key=lambda e: e['relpath']), sort_keys=True).encode('utf-8'))\n";

    public static async Task<byte[]> CreateAsync(IEnumerable<(string Relpath, string Md5)> entries)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        using var process = Process.Start(start)!;
        var json = JsonSerializer.Serialize(entries.Select(e => new Dictionary<string, string> { ["relpath"] = e.Relpath, ["md5"] = e.Md5 }));
        await process.StandardInput.WriteAsync(json);
        process.StandardInput.Close();
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await copy;
        Assert.True(process.ExitCode == 0, $"python3 failed: {await error}");
        return output.ToArray();
    }
}
