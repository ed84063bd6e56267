using System.Diagnostics;

namespace StorageServer.TestSupport;

/// <summary>
/// Runs <c>tests/oracles/erasure_records.py</c>, the independent oracle for record redaction
/// (Python's csv and json modules, written from the README's rules, not the server's code).
/// </summary>
public static class ErasureOracle
{
    /// <param name="format"><c>csv</c>, <c>tsv</c> or <c>jsonl</c>.</param>
    /// <returns>The bytes the file must have after the subject's records are removed, and "removed/total".</returns>
    public static async Task<(byte[] Expected, string Counts)> RedactAsync(string format, string path, bool caseInsensitive, IEnumerable<string> identifiers)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(System.IO.Path.Combine(RepoRoot.Path, "tests", "oracles", "erasure_records.py"));
        start.ArgumentList.Add(format);
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(caseInsensitive ? "fold" : "exact");
        foreach (var identifier in identifiers)
        {
            start.ArgumentList.Add(identifier);
        }
        using var python = Process.Start(start) ?? throw new InvalidOperationException("could not start python3");
        using var output = new MemoryStream();
        var copy = python.StandardOutput.BaseStream.CopyToAsync(output);
        var error = await python.StandardError.ReadToEndAsync();
        await copy;
        await python.WaitForExitAsync();
        if (python.ExitCode != 0)
        {
            throw new InvalidOperationException($"erasure_records.py failed ({python.ExitCode}): {error}");
        }
        return (output.ToArray(), error.Trim());
    }

    /// <summary>The format argument for a path's extension.</summary>
    public static string FormatOf(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => "csv",
        ".tsv" => "tsv",
        _ => "jsonl",
    };
}
