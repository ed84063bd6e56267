namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>The server and the oracle disagreed: the seed, the scenario, what happened, and each disagreement.</summary>
public sealed class ScenarioDisagreementException(int seed, Scenario scenario, ScenarioRunner runner) : Exception(Describe(seed, scenario, runner))
{
    private static string Describe(int seed, Scenario scenario, ScenarioRunner runner) =>
        $"Seed {seed}: the server disagrees with the oracle ({runner.Problems.Count}):\n  "
        + string.Join("\n  ", runner.Problems)
        + $"\n\nScenario (seed {seed}):\n{scenario}\nWhat happened:\n  " + string.Join("\n  ", runner.Transcript)
        + $"\n\n{runner.Tally}\nRe-run: RETENTION_ORACLE_SEEDS={seed} dotnet test tests/StorageServer.EndToEnd.Tests -c Release --no-build "
        + "--filter FullyQualifiedName~RetentionModelTests";
}
