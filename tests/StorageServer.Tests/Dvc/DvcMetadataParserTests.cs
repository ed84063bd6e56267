using System.Text;
using StorageServer.Dvc.Tracking;

namespace StorageServer.Tests.Dvc;

/// <summary>Outputs of <c>.dvc</c> files and <c>dvc.lock</c>, from the notes' files as DVC 3.64 wrote them.</summary>
public sealed class DvcMetadataParserTests
{
    private const string Lock = """
        schema: '2.0'
        stages:
          prep:
            cmd: 'mkdir -p out && cat dataset/a.txt dataset/b.csv > out/result.txt && echo
              {\"acc\": 0.9} > metrics.json'
            deps:
            - path: dataset
              hash: md5
              md5: df555cf1b40dbe176aace581c276ca93.dir
              size: 10290
              nfiles: 5
            - path: model.bin
              hash: md5
              md5: 583ba3d10fafd11c3d6c205902f31d60
              size: 300000
            outs:
            - path: metrics.json
              hash: md5
              md5: 3fb153da82671f90762776c67c360c22
              size: 13
            - path: out/result.txt
              hash: md5
              md5: 8593d48228e0ef2bf20e358807ed011b
              size: 36
        """;

    private const string Pipeline = """
        stages:
          prep:
            cmd: 'mkdir -p out && cat dataset/a.txt dataset/b.csv > out/result.txt && echo
              {\"acc\": 0.9} > metrics.json'
            deps:
            - dataset
            - model.bin
            outs:
            - out/result.txt
            metrics:
            - metrics.json:
                cache: false
        """;

    [Fact]
    public void A_dvc_file_names_its_output_next_to_it_in_the_DVC_3_tree()
    {
        var file = Parse("data/model.bin.dvc", "outs:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  size: 300000\n  hash: md5\n  path: model.bin\n");

        var output = Assert.Single(file);
        Assert.Equal("data/model.bin", output.Path);
        Assert.Equal("583ba3d10fafd11c3d6c205902f31d60", output.Hash.Value);
        Assert.False(output.Hash.Legacy);
        Assert.False(output.Hash.IsManifest);
        Assert.Equal(300000, output.Size);
    }

    [Fact]
    public void A_tracked_directory_is_its_manifest_with_size_and_file_count()
    {
        var output = Assert.Single(Parse("dataset.dvc", "outs:\n- md5: df555cf1b40dbe176aace581c276ca93.dir\n  size: 10290\n  nfiles: 5\n  hash: md5\n  path: dataset\n"));

        Assert.Equal(("dataset", "df555cf1b40dbe176aace581c276ca93.dir", true, 10290L, 5L), (output.Path, output.Hash.Value, output.Hash.IsManifest, output.Size!.Value, output.Files!.Value));
    }

    [Fact]
    public void A_DVC_2_entry_without_a_hash_line_is_in_the_legacy_tree()
    {
        Assert.True(Assert.Single(Parse("notes.txt.dvc", "outs:\n- md5: 4fcc82a88ee38e0aa16c17f512c685c9\n  size: 14\n  path: notes.txt\n")).Hash.Legacy);
    }

    [Fact]
    public void A_lock_names_each_stages_pushed_outs_not_its_deps_nor_what_dvc_yaml_keeps_out_of_the_cache()
    {
        var outputs = DvcMetadataParser.Parse("pipeline/dvc.lock", Encoding.UTF8.GetBytes(Lock), DvcPipeline.From(DvcMetadataParser.TryLoad(Encoding.UTF8.GetBytes(Pipeline))));

        var output = Assert.Single(outputs);
        Assert.Equal(("pipeline/out/result.txt", "8593d48228e0ef2bf20e358807ed011b", "prep", 1), (output.Path, output.Hash.Value, output.Stage, output.Index));
        // Without its dvc.yaml the metric counts as pushed: protecting more is the safe side.
        Assert.Equal(2, DvcMetadataParser.Parse("dvc.lock", Encoding.UTF8.GetBytes(Lock)).Count);
    }

    [Fact]
    public void A_stage_wdir_and_a_dvc_file_wdir_move_the_paths()
    {
        var pipeline = DvcPipeline.From(DvcMetadataParser.TryLoad("stages:\n  train:\n    wdir: ../src\n    cmd: x\n    outs:\n    - model.pkl\n"u8.ToArray()));
        var lockOutputs = DvcMetadataParser.Parse("ml/dvc.lock", "schema: '2.0'\nstages:\n  train:\n    cmd: x\n    outs:\n    - path: model.pkl\n      hash: md5\n      md5: 583ba3d10fafd11c3d6c205902f31d60\n"u8, pipeline);
        Assert.Equal("src/model.pkl", Assert.Single(lockOutputs).Path);
        Assert.Equal("data/raw/x.csv", Assert.Single(Parse("data/x.csv.dvc", "wdir: raw\nouts:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  hash: md5\n  path: x.csv\n")).Path);
    }

    [Theory]
    [InlineData("outs:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  hash: md5\n  path: /mnt/data/x.bin\n")]
    [InlineData("outs:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  hash: md5\n  path: ../../outside.bin\n")]
    [InlineData("outs:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  hash: md5\n  path: s3://bucket/x.bin\n")]
    [InlineData("outs:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  hash: md5\n  cache: false\n  path: x.bin\n")]
    [InlineData("outs:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  hash: md5\n  push: false\n  path: x.bin\n")]
    [InlineData("outs:\n- etag: '\"abc\"'\n  path: x.bin\n")]
    [InlineData("outs:\n- md5: 583BA3D10FAFD11C3D6C205902F31D60\n  hash: md5\n  path: x.bin\n")]
    [InlineData("outs:\n- md5: 583ba3d10fafd11c3d6c205902f31d60\n  hash: sha256\n  path: x.bin\n")]
    [InlineData("outs: [unclosed\n")]
    [InlineData("- just a list\n")]
    [InlineData("")]
    public void What_DVC_does_not_push_here_yields_no_output(string content)
    {
        Assert.Empty(Parse("sub/x.dvc", content));
    }

    [Theory]
    [InlineData("model.bin.dvc", true)]
    [InlineData("a/b/dvc.lock", true)]
    [InlineData(".dvc/config", false)]
    [InlineData("sub/.dvc/tmp/x.dvc", false)]
    [InlineData(".dvc", false)]
    [InlineData("dvc.yaml", false)]
    [InlineData("notes.dvc.txt", false)]
    public void Metadata_files_are_dvc_files_and_locks_outside_the_dvc_folder(string path, bool metadata)
    {
        Assert.Equal(metadata, DvcMetadataPaths.IsMetadata(path));
    }

    private static IReadOnlyList<DvcOutput> Parse(string path, string content) => DvcMetadataParser.Parse(path, Encoding.UTF8.GetBytes(content));
}
