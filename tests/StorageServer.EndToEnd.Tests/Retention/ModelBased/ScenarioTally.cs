using System.Diagnostics;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>What one scenario exercised: the counts the test and the soak script print.</summary>
public sealed class ScenarioTally
{
    public Stopwatch Elapsed { get; } = Stopwatch.StartNew();

    public int Pushes { get; set; }

    public int Marks { get; set; }

    public int Sweeps { get; set; }

    /// <summary>Claims the oracle keeps that were checked served byte-identical.</summary>
    public int KeepChecks { get; set; }

    /// <summary>Claims the oracle says nothing keeps that were checked trashed by the mark.</summary>
    public int DeleteChecks { get; set; }

    /// <summary>Objects checked gone after a sweep.</summary>
    public int SweepChecks { get; set; }

    /// <summary>Claims left open (too close to a time boundary, or a claim's age unknowable).</summary>
    public int Unknown { get; set; }

    /// <summary>Refs fetched and fsck'ed with the real git-lfs client.</summary>
    public int RefsFetched { get; set; }

    /// <summary>Refs not fetched again because nothing about them changed since the last clean fetch.</summary>
    public int RefsUnchanged { get; set; }

    public int OracleGitProcesses { get; set; }

    /// <summary>Where the time went: server start, local commits and pushes, server runs, oracle and probes, client fetches.</summary>
    public Dictionary<string, TimeSpan> Phases { get; } = [];

    public void Add(string phase, long startTimestamp) =>
        Phases[phase] = Phases.GetValueOrDefault(phase) + Stopwatch.GetElapsedTime(startTimestamp);

    public override string ToString() =>
        $"{Elapsed.Elapsed.TotalSeconds:0.0} s; {Pushes} pushes, {Marks} marks, {Sweeps} sweeps; checked {KeepChecks} kept, {DeleteChecks} trashed, "
        + $"{SweepChecks} swept, {RefsFetched} refs fetched+fsck'd ({RefsUnchanged} unchanged); {Unknown} open; oracle ran {OracleGitProcesses} git processes; "
        + string.Join(", ", Phases.Select(p => $"{p.Key} {p.Value.TotalSeconds:0.0} s"));
}
