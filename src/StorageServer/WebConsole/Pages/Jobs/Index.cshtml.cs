using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using StorageServer.Data.Entities;
using StorageServer.Jobs;

namespace StorageServer.WebConsole.Pages.Jobs;

/// <summary>Jobs and their runs: run one now, follow progress (refreshed by console.js), cancel.</summary>
internal sealed class IndexModel(JobRunService jobs, TimeProvider clock) : ConsolePage(clock)
{
    private const int MaxParameterChars = 4096;

    public IReadOnlyList<JobResponse> Jobs { get; private set; } = [];

    public IReadOnlyList<JobRun> Runs { get; private set; } = [];

    [FromQuery(Name = "job")]
    public string? Job { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Jobs = await jobs.ListJobsAsync(cancellationToken);
        Runs = await jobs.ListRunsAsync(Job, null, 100, cancellationToken) ?? [];
    }

    /// <summary>Progress of the given runs as JSON, for the page's script.</summary>
    public async Task<IActionResult> OnGetProgressAsync([FromQuery] string? ids, CancellationToken cancellationToken)
    {
        var wanted = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Take(100)
            .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0).Where(id => id > 0).ToHashSet();
        var runs = (await jobs.ListRunsAsync(null, null, JobRunService.MaxLimit, cancellationToken) ?? []).Where(r => wanted.Contains(r.Id));
        return new JsonResult(runs.Select(r => new
        {
            id = r.Id, state = JobRunResponse.NameOf(r.State), done = r.ProgressDone, total = r.ProgressTotal, message = r.ProgressMessage,
        }));
    }

    public async Task<IActionResult> OnPostRunAsync([FromForm] string? name, [FromForm] string? parameters, CancellationToken cancellationToken)
    {
        string? json = null;
        if (!string.IsNullOrWhiteSpace(parameters))
        {
            try
            {
                using var document = JsonDocument.Parse(parameters.Length <= MaxParameterChars ? parameters : "x");
                json = document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.GetRawText() : null;
            }
            catch (JsonException)
            {
            }
            if (json is null)
            {
                await OnGetAsync(cancellationToken);
                return Refused("Parameters must be a JSON object, e.g. {\"repository\": \"team/data\"}.");
            }
        }
        var result = await jobs.RunAsync(name ?? "", json, Actor, cancellationToken);
        if (result.Run is not { } run)
        {
            await OnGetAsync(cancellationToken);
            return Refused(result.Error!, StatusCodes.Status404NotFound);
        }
        return Done($"{run.Job} queued as run {run.Id}.");
    }

    public async Task<IActionResult> OnPostCancelAsync([FromForm] long id, CancellationToken cancellationToken)
    {
        var result = await jobs.CancelAsync(id, Actor, cancellationToken);
        if (result.Run is null)
        {
            await OnGetAsync(cancellationToken);
            return Refused(result.Error!, result.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict);
        }
        return Done($"Run {id} cancelled (a running job stops at its next check).");
    }
}
