using System.CommandLine;

namespace StorageServer.Admin.Cli.Commands;

/// <summary><c>jobs list|run|runs|show|cancel</c> over <c>/api/jobs</c>.</summary>
public static class JobCommands
{
    public static Command Create()
    {
        var jobs = new Command("jobs", "Background jobs: schedules, manual runs, progress and history.");
        var list = new Command("list", "Known jobs with their schedule and next run.");
        list.Action((_, client, ct) => client.GetAsync("api/jobs", ct));
        jobs.Subcommands.Add(list);

        var name = new Argument<string>("name") { Description = "Job name (see jobs list)." };
        var parameters = new Option<string[]>("--param")
        {
            Description = "key=value job parameter, repeatable (e.g. --param repository=team/data).",
            AllowMultipleArgumentsPerToken = true,
        };
        var run = new Command("run", "Queue a run now.") { name, parameters };
        run.Validators.Add(result =>
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var parameter in result.GetValue(parameters) ?? [])
            {
                if (parameter.Split('=', 2) is not [{ Length: > 0 } key, _] || !keys.Add(key))
                {
                    result.AddError($"--param '{parameter}' must be key=value, each key once.");
                }
            }
        });
        run.Action((p, client, ct) =>
        {
            var values = (p.GetValue(parameters) ?? []).Select(v => v.Split('=', 2)).ToDictionary(v => v[0], v => v[1], StringComparer.Ordinal);
            return client.PostAsync($"api/jobs/{AdminApiClient.Segment(p.GetValue(name)!)}/run", values.Count == 0 ? null : values, ct);
        });
        jobs.Subcommands.Add(run);

        var runs = new Command("runs", "Recent runs, newest first.");
        runs.Action((_, client, ct) => client.GetAsync("api/jobs/runs", ct));
        jobs.Subcommands.Add(runs);

        var id = new Argument<long>("id");
        var show = new Command("show", "One run: state, progress, error.") { id };
        show.Action((p, client, ct) => client.GetAsync($"api/jobs/runs/{p.GetValue(id)}", ct));
        jobs.Subcommands.Add(show);

        var cancel = new Command("cancel", "Stop a queued or running run.") { id };
        cancel.Action((p, client, ct) => client.PostAsync($"api/jobs/runs/{p.GetValue(id)}/cancel", null, ct));
        jobs.Subcommands.Add(cancel);
        return jobs;
    }
}
