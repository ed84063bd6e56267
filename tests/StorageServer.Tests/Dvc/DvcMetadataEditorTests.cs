using System.Text;
using StorageServer.Dvc.Objects;
using StorageServer.Dvc.TipEdits;
using StorageServer.Dvc.Tracking;

namespace StorageServer.Tests.Dvc;

/// <summary>Edits of <c>.dvc</c> files and <c>dvc.lock</c> at branch tips: only the changed values move.</summary>
public sealed class DvcMetadataEditorTests
{
    private const string Old = "583ba3d10fafd11c3d6c205902f31d60";
    private const string New = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void A_retargeted_file_output_changes_only_its_md5_and_size()
    {
        const string file = "# model\nouts:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  size: 300000\n  hash: md5\n  path: model.bin\n";

        var edited = Apply("m/model.bin.dvc", file, Retarget(Output("m/model.bin.dvc", file, 0), New, 299999));

        Assert.Equal(file.Replace(Old, New, StringComparison.Ordinal).Replace("300000", "299999", StringComparison.Ordinal), edited);
        Assert.Equal(New, Assert.Single(Parse("m/model.bin.dvc", edited!)).Hash.Md5);
    }

    [Fact]
    public void A_retargeted_directory_gets_its_new_manifest_oid_size_and_file_count()
    {
        const string file = "outs:\n- md5: df555cf1b40dbe176aace581c276ca93.dir\n  size: 10290\n  nfiles: 5\n  hash: md5\n  path: dataset\n";

        var edited = Apply("dataset.dvc", file, Retarget(Output("dataset.dvc", file, 0), New + ".dir", 10000, files: 4));

        Assert.Equal($"outs:\n- md5: {New}.dir\n  size: 10000\n  nfiles: 4\n  hash: md5\n  path: dataset\n", edited);
    }

    [Fact]
    public void Removing_the_only_output_deletes_the_dvc_file_and_removing_one_of_two_keeps_the_other()
    {
        const string one = "outs:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  hash: md5\n  path: a.bin\n";
        Assert.Null(Apply("a.bin.dvc", one, Remove(Output("a.bin.dvc", one, 0))));

        const string two = "outs:\n  - md5: 583ba3d10fafd11c3d6c205902f31d60\n    hash: md5\n    path: a.bin\n  - md5: 0123456789abcdef0123456789abcdef\n    hash: md5\n    path: b.bin\nmeta: kept\n";
        var edited = Apply("x.dvc", two, Remove(Output("x.dvc", two, 0)));
        Assert.Equal("outs:\n  - md5: 0123456789abcdef0123456789abcdef\n    hash: md5\n    path: b.bin\nmeta: kept\n", edited);
    }

    [Fact]
    public void In_a_lock_the_output_and_the_deps_naming_its_old_object_move_and_a_stage_without_outs_keeps_an_empty_list()
    {
        const string lockFile = """
            schema: '2.0'
            stages:
              prep:
                cmd: python prep.py
                outs:
                - path: clean.csv
                  hash: md5
                  md5: 583ba3d10fafd11c3d6c205902f31d60
                  size: 36
              train:
                cmd: python train.py
                deps:
                - path: clean.csv
                  hash: md5
                  md5: 583ba3d10fafd11c3d6c205902f31d60
                  size: 36
                - path: other.csv
                  hash: md5
                  md5: 583ba3d10fafd11c3d6c205902f31d60
                  size: 36
                outs:
                - path: model.pkl
                  hash: md5
                  md5: 0123456789abcdef0123456789abcdef
                  size: 9

            """;
        var clean = Output("dvc.lock", lockFile, 0, "prep");
        var edited = Apply("dvc.lock", lockFile, Retarget(clean, "ffffffffffffffffffffffffffffffff", 30));
        Assert.Equal(2, edited!.Split("ffffffffffffffffffffffffffffffff").Length - 1);
        Assert.Contains("- path: other.csv\n      hash: md5\n      md5: 583ba3d10fafd11c3d6c205902f31d60", edited, StringComparison.Ordinal);
        Assert.Equal(["clean.csv", "model.pkl"], Parse("dvc.lock", edited).Select(o => o.Path));

        var removed = Apply("dvc.lock", lockFile, Remove(Output("dvc.lock", lockFile, 0, "train")));
        Assert.Contains("    outs: []\n", removed, StringComparison.Ordinal);
        Assert.Equal(["clean.csv"], Parse("dvc.lock", removed!).Select(o => o.Path));
        Assert.Contains("other.csv", removed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dvc_file_edit_moves_a_locks_deps_on_that_path_too()
    {
        const string lockFile = "schema: '2.0'\nstages:\n  train:\n    cmd: x\n    deps:\n    - path: data/model.bin\n      hash: md5\n      md5: 583ba3d10fafd11c3d6c205902f31d60\n      size: 5\n";
        const string dvcFile = "outs:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  size: 5\n  hash: md5\n  path: model.bin\n";

        var edited = Apply("dvc.lock", lockFile, Retarget(Output("data/model.bin.dvc", dvcFile, 0), New, 4));

        Assert.Equal(lockFile.Replace(Old, New, StringComparison.Ordinal).Replace("size: 5", "size: 4", StringComparison.Ordinal), edited);
    }

    [Fact]
    public void An_output_that_no_longer_names_the_expected_object_is_refused()
    {
        const string file = "outs:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  hash: md5\n  path: a.bin\n";
        var stale = Output("a.bin.dvc", file, 0) with { Hash = new DvcHash(New, false, false) };

        Assert.Throws<InvalidOperationException>(() => Apply("a.bin.dvc", file, Remove(stale)));
    }

    private static string? Apply(string path, string content, DvcOutputChange change) => DvcMetadataEditor.Apply(path, content, [change]);

    private static DvcOutputChange Retarget(DvcOutput output, string hash, long size, long? files = null) =>
        new(output, DvcHash.TryParse(hash, false, out var parsed) ? parsed : throw new ArgumentException(hash), size, files);

    private static DvcOutputChange Remove(DvcOutput output) => new(output, null);

    private static DvcOutput Output(string path, string content, int index, string? stage = null) =>
        Parse(path, content).Single(o => o.Index == index && o.Stage == stage);

    private static IReadOnlyList<DvcOutput> Parse(string path, string content) => DvcMetadataParser.Parse(path, Encoding.UTF8.GetBytes(content));
}
