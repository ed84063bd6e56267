using Microsoft.AspNetCore.Mvc;
using StorageServer.Repos;
using StorageServer.Retention.Api;
using StorageServer.Retention.Policies;
using StorageServer.Retention.Runs;
using StorageServer.Retention.Usage;

namespace StorageServer.WebConsole.Pages.Retention;

/// <summary>Retention at a glance: usage, policies, and runs (start a dry run, a real mark or a sweep).</summary>
internal sealed class IndexModel(RetentionPolicyService policies, RetentionRunLauncher runs, StorageUsageQuery usage, RepositoryService repositories, TimeProvider clock)
    : ConsolePage(clock)
{
    public StorageUsageResponse Usage { get; private set; } = null!;

    public IReadOnlyList<PolicyResponse> Policies { get; private set; } = [];

    public IReadOnlyList<RetentionRunResponse> Runs { get; private set; } = [];

    public IReadOnlyList<string> Repositories { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Usage = await usage.GetAsync(cancellationToken);
        Policies = await policies.ListAsync(cancellationToken);
        Runs = await runs.ListAsync(null, 30, cancellationToken);
        Repositories = (await repositories.ListAsync(cancellationToken)).Select(r => r.Name).ToList();
    }

    /// <param name="mode"><c>dry-run</c>, <c>mark</c> or <c>sweep</c>.</param>
    public async Task<IActionResult> OnPostStartAsync([FromForm] string? mode, [FromForm] string? repository, CancellationToken cancellationToken)
    {
        var scope = string.IsNullOrEmpty(repository) ? null : repository;
        var result = mode switch
        {
            "dry-run" => await runs.StartAsync("mark", true, scope, Actor, cancellationToken),
            "mark" => await runs.StartAsync("mark", false, scope, Actor, cancellationToken),
            "sweep" => await runs.StartAsync("sweep", false, scope, Actor, cancellationToken),
            _ => new RetentionStartResult(null, null, "Choose a dry run, a mark or a sweep."),
        };
        if (result.JobRun is not { } run)
        {
            await OnGetAsync(cancellationToken);
            return Refused(result.Error!);
        }
        var what = mode == "dry-run" ? "Dry run" : mode == "mark" ? "Mark" : "Sweep";
        return Done($"{what} queued as job run {run.Id}; its report appears below when it ends.");
    }
}
