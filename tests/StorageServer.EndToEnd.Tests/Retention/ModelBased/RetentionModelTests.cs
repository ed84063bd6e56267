using System.Globalization;
using CsCheck;
using Xunit.Abstractions;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// Issue #10's model-based test: generated histories (several repositories sharing objects,
/// slash-named branches and tags, tags of tags, trees and blobs, merges, deleted branches,
/// force-pushes, non-canonical pointers) pushed with the real git-lfs to a real server, random
/// policies, holds and a moving clock; after every mark and sweep the server must agree with an
/// oracle that reads git and knows only the spec (<see cref="RetentionOracle"/>).
/// CI runs the seeds below; <c>bench/retention/soak.sh</c> runs many more through
/// <c>RETENTION_ORACLE_SEEDS</c> (<c>"1,5,9"</c> or <c>"100..199"</c>); <c>RETENTION_ORACLE_LOG</c>
/// (a file) collects one line per seed, <c>RETENTION_ORACLE_TRANSCRIPTS</c> (a folder) each seed's
/// scenario and what happened.
/// </summary>
public sealed class RetentionModelTests(ITestOutputHelper output)
{
    private static readonly int[] CiSeeds = [1, 2, 3];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        foreach (var seed in Environment.GetEnvironmentVariable("RETENTION_ORACLE_SEEDS") is { Length: > 0 } list ? Parse(list) : CiSeeds)
        {
            data.Add(seed);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Marks_and_sweeps_keep_and_delete_what_the_oracle_computes_from_git(int seed)
    {
        var csCheckSeed = new PCG(1, (ulong)seed).ToString();
        // Iterations beyond the first are CsCheck's search for a smaller failing scenario (soak only).
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("RETENTION_ORACLE_SHRINK_ITERATIONS"), CultureInfo.InvariantCulture, out var n) ? n : 1;
        await ScenarioGen.Scenario.SampleAsync(
            async scenario =>
            {
                await using var runner = new ScenarioRunner(scenario);
                try
                {
                    await runner.RunAsync();
                }
                catch (Exception e)
                {
                    // A push the server refused, a run that failed, or the harness: a failure all the same.
                    Report($"seed {seed} (CsCheck {csCheckSeed}): FAILED; {runner.Tally}; {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                    throw;
                }
                Report($"seed {seed} (CsCheck {csCheckSeed}): {(runner.Problems.Count == 0 ? "ok" : "FAILED")}; {runner.Tally}");
                if (Environment.GetEnvironmentVariable("RETENTION_ORACLE_TRANSCRIPTS") is { Length: > 0 } folder)
                {
                    Directory.CreateDirectory(folder);
                    await File.WriteAllTextAsync(Path.Combine(folder, $"seed-{seed}.txt"),
                        $"{scenario}\n{string.Join('\n', runner.Transcript)}\n\n{string.Join('\n', runner.Problems)}\n{runner.Tally}\n");
                }
                if (runner.Problems.Count > 0)
                {
                    throw new ScenarioDisagreementException(seed, scenario, runner);
                }
            },
            seed: csCheckSeed, iter: iterations, threads: 1, print: s => s.ToString());
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("RETENTION_ORACLE_LOG") is { Length: > 0 } log)
        {
            File.AppendAllText(log, line + Environment.NewLine);
        }
    }

    private static IEnumerable<int> Parse(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .SelectMany(item => item.Split("..") is [var from, var to]
            ? Enumerable.Range(int.Parse(from, CultureInfo.InvariantCulture), int.Parse(to, CultureInfo.InvariantCulture) - int.Parse(from, CultureInfo.InvariantCulture) + 1)
            : [int.Parse(item, CultureInfo.InvariantCulture)]);
}
