using System.Globalization;
using static StorageServer.EndToEnd.Tests.Dvc.DvcWireClient;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>
/// What <c>dvc add</c>, <c>dvc stage add</c> + <c>dvc repro</c> and <c>dvc push</c> leave behind,
/// without DVC (PyPI is unreachable here): the notes' files, byte for byte in their shape, written
/// into a git work tree, and the data pushed with exactly DVC's requests (<see cref="DvcWireClient"/>).
/// </summary>
public static class DvcProject
{
    /// <summary>A <c>.dvc</c> file as <c>dvc add</c> writes it (notes §2.3); <paramref name="legacy"/> leaves out <c>hash: md5</c> as DVC 2 did.</summary>
    public static string DvcFile(string path, string md5, long size, bool legacy = false) =>
        string.Create(CultureInfo.InvariantCulture, $"outs:\n- md5: {md5}\n  size: {size}\n{(legacy ? "" : "  hash: md5\n")}  path: {path}\n");

    public static string DirectoryDvcFile(string path, DvcSample sample) =>
        string.Create(CultureInfo.InvariantCulture, $"outs:\n- md5: {sample.ManifestMd5}.dir\n  size: {sample.DatasetSize}\n  nfiles: {sample.Dataset.Count}\n  hash: md5\n  path: {path}\n");

    /// <summary>The notes' <c>dvc.yaml</c> (§2.4): <c>out/result.txt</c> cached, <c>metrics.json</c> with <c>cache: false</c>.</summary>
    public const string Pipeline = """
        stages:
          prep:
            cmd: python prep.py
            deps:
            - dataset
            - model.bin
            outs:
            - out/result.txt
            metrics:
            - metrics.json:
                cache: false

        """;

    /// <summary>The notes' <c>dvc.lock</c> (§2.4) for this sample's files.</summary>
    public static string Lock(DvcSample sample, DvcSampleFile result, DvcSampleFile metrics) => string.Create(CultureInfo.InvariantCulture, $"""
        schema: '2.0'
        stages:
          prep:
            cmd: python prep.py
            deps:
            - path: dataset
              hash: md5
              md5: {sample.ManifestMd5}.dir
              size: {sample.DatasetSize}
              nfiles: {sample.Dataset.Count}
            - path: model.bin
              hash: md5
              md5: {sample.Model.Md5}
              size: {sample.Model.Content.Length}
            outs:
            - path: metrics.json
              hash: md5
              md5: {metrics.Md5}
              size: {metrics.Content.Length}
            - path: out/result.txt
              hash: md5
              md5: {result.Md5}
              size: {result.Content.Length}

        """);

    /// <summary>Writes the project into a work tree: <c>.dvc/config</c> naming the remote, the metadata, and the <c>.gitignore</c> DVC keeps.</summary>
    public static void Write(string workTree, string remoteUrl, IReadOnlyDictionary<string, string> metadata, IEnumerable<string> ignored)
    {
        Directory.CreateDirectory(Path.Combine(workTree, ".dvc"));
        File.WriteAllText(Path.Combine(workTree, ".dvc", "config"), $"[core]\n    remote = origin\n['remote \"origin\"']\n    url = {remoteUrl}\n    auth = basic\n    user = alice\n");
        File.WriteAllText(Path.Combine(workTree, ".dvc", ".gitignore"), "/config.local\n/tmp\n/cache\n");
        File.WriteAllText(Path.Combine(workTree, ".gitignore"), string.Concat(ignored.Select(i => "/" + i + "\n")));
        foreach (var (path, content) in metadata)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(workTree, path))!);
            File.WriteAllText(Path.Combine(workTree, path), content);
        }
    }

    /// <summary>
    /// <c>dvc push</c> of a directory and files (notes §3.6): a check GET of every object, then an
    /// upload of each missing one, the manifest last, once all its entries succeeded.
    /// </summary>
    public static async Task PushAsync(DvcWireClient dvc, DvcSample? directory, params DvcSampleFile[] files)
    {
        var objects = (directory?.Dataset ?? []).Concat(files).Select(f => (Path: FilePath(f.Md5), f.Content)).DistinctBy(o => o.Path).ToList();
        var missing = new List<(string Path, byte[] Content)>();
        foreach (var item in objects)
        {
            if ((await dvc.ExistsAsync(item.Path)).Status >= 400)
            {
                missing.Add(item);
            }
        }
        foreach (var (path, content) in missing)
        {
            Assert.True((await dvc.UploadAsync(path, content)).Status < 400, $"upload of {path}");
        }
        if (directory is not null)
        {
            Assert.True((await dvc.UploadAsync(FilePath(directory.ManifestMd5, manifest: true), directory.Manifest)).Status < 400, "upload of the manifest");
        }
    }
}
