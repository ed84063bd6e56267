using System.CommandLine;

namespace StorageServer.Admin.Cli.Commands;

/// <summary>
/// <c>retention policies|run|sweep|reconcile|runs|show|report|trash|restore|usage</c> over
/// <c>/api/retention</c> and <c>/api/storage/usage</c>.
/// </summary>
public static class RetentionCommands
{
    public static Command Create()
    {
        var retention = new Command("retention", "Retention: policies, mark/sweep runs and their reports, the trash, storage usage.");
        retention.Subcommands.Add(Policies());

        var dryRun = new Option<bool>("--dry-run") { Description = "Only compute candidates and write the report." };
        var repository = new Option<string?>("--repo") { Description = "Only this repository (owner/name)." };
        var run = new Command("run", "Start a mark: candidates → report → trash (unless --dry-run). Follow it with `jobs show`.") { dryRun, repository };
        run.Action((p, client, ct) => client.PostAsync("api/retention/runs", new { kind = "mark", dryRun = p.GetValue(dryRun), repository = p.GetValue(repository) }, ct));
        retention.Subcommands.Add(run);

        var sweep = new Command("sweep", "Start a sweep: delete trashed objects past their restore window, re-checking each.");
        sweep.Action((_, client, ct) => client.PostAsync("api/retention/runs", new { kind = "sweep" }, ct));
        retention.Subcommands.Add(sweep);

        var reconcile = new Command("reconcile", "Start a reconciliation: reclaim crash leftovers (files without a row, rows without a claim) older than the orphan grace.");
        reconcile.Action((_, client, ct) => client.PostAsync("api/retention/runs", new { kind = "reconcile" }, ct));
        retention.Subcommands.Add(reconcile);

        var limit = new Option<int>("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 20 };
        var runs = new Command("runs", "Recent marks, sweeps and reconciliations with their totals.") { limit };
        runs.Action((p, client, ct) => client.GetAsync($"api/retention/runs?limit={p.GetValue(limit)}", ct));
        retention.Subcommands.Add(runs);

        var id = new Argument<long>("id") { Description = "Retention run id." };
        var show = new Command("show", "One run's totals.") { id };
        show.Action((p, client, ct) => client.GetAsync($"api/retention/runs/{p.GetValue(id)}", ct));
        retention.Subcommands.Add(show);

        var csv = new Option<bool>("--csv") { Description = "The CSV report instead of JSON." };
        var report = new Command("report", "A mark's report: oid, size, repository, path, last ref, policy, reason, action.") { id, csv };
        report.Action((p, client, ct) => client.GetAsync($"api/retention/runs/{p.GetValue(id)}/report.{(p.GetValue(csv) ? "csv" : "json")}", ct), document: true);
        retention.Subcommands.Add(report);

        var state = new Option<string>("--state") { Description = "trashed, restored, revived, swept, claimreleased or all.", DefaultValueFactory = _ => "trashed" };
        var trash = new Command("trash", "Claims retention moved to the trash.") { state, repository };
        trash.Action((p, client, ct) =>
        {
            var repo = p.GetValue(repository);
            return client.GetAsync($"api/retention/trash?state={AdminApiClient.Segment(p.GetValue(state)!)}{(repo is null ? "" : "&repository=" + AdminApiClient.Segment(repo))}", ct);
        });
        retention.Subcommands.Add(trash);

        var entry = new Argument<long>("id") { Description = "Trash entry id (see retention trash)." };
        var restore = new Command("restore", "Put a trashed claim back: the object is served again.") { entry };
        restore.Action((p, client, ct) => client.PostAsync($"api/retention/trash/{p.GetValue(entry)}/restore", null, ct));
        retention.Subcommands.Add(restore);

        var usage = new Command("usage", "Storage per repository: claimed and trashed objects and bytes.");
        usage.Action((_, client, ct) => client.GetAsync("api/storage/usage", ct));
        retention.Subcommands.Add(usage);
        return retention;
    }

    private static Command Policies()
    {
        var policies = new Command("policies", "Retention policies (server → repo → ref glob → path glob; the most protective rule wins).");
        var list = new Command("list", "All policies.");
        list.Action((_, client, ct) => client.GetAsync("api/retention/policies", ct));
        policies.Subcommands.Add(list);

        var id = new Argument<long>("id") { Description = "Policy id." };
        var show = new Command("show", "One policy.") { id };
        show.Action((p, client, ct) => client.GetAsync($"api/retention/policies/{p.GetValue(id)}", ct));
        policies.Subcommands.Add(show);

        var options = new PolicyOptions();
        var create = new Command("create", "Create a policy.");
        options.AddTo(create);
        create.Action((p, client, ct) => client.PostAsync("api/retention/policies", options.Body(p), ct));
        policies.Subcommands.Add(create);

        var update = new Command("update", "Replace a policy (every rule as given; audited with before/after).") { id };
        options.AddTo(update);
        update.Action((p, client, ct) => client.PutAsync($"api/retention/policies/{p.GetValue(id)}", options.Body(p), ct));
        policies.Subcommands.Add(update);

        var delete = new Command("delete", "Delete a policy.") { id };
        delete.Action((p, client, ct) => client.DeleteAsync($"api/retention/policies/{p.GetValue(id)}", ct));
        policies.Subcommands.Add(delete);
        return policies;
    }

    private sealed class PolicyOptions
    {
        private readonly Option<string> _name = new("--name") { Description = "Policy name (required).", Required = true };
        private readonly Option<string?> _repository = new("--repo") { Description = "Scope: one repository (default: the whole server)." };
        private readonly Option<string?> _ref = new("--ref") { Description = "Scope: refs matching this ref glob (* within a segment, ** across), e.g. refs/heads/release/**." };
        private readonly Option<string?> _path = new("--path") { Description = "Scope: paths matching this glob, e.g. raw/**." };
        private readonly Option<string[]?> _protect = new("--protect") { Description = "Protected ref glob, repeatable (default refs/heads/** and refs/tags/**: every branch and tag).", AllowMultipleArgumentsPerToken = true };
        private readonly Option<int?> _keepDays = new("--keep-days") { Description = "Keep N days after no protected tip references an object." };
        private readonly Option<int?> _keepLast = new("--keep-last") { Description = "Keep the last N versions of each path." };
        private readonly Option<int?> _maxAge = new("--max-age-days") { Description = "Remove matching files from branch tips (server commit) once N days old; needs --path." };
        private readonly Option<int?> _orphanGrace = new("--orphan-grace-hours") { Description = "Reclaim uploads no pushed commit references after N hours (default 24)." };
        private readonly Option<bool> _disabled = new("--disabled") { Description = "Store the policy switched off." };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _name, _repository, _ref, _path, _protect, _keepDays, _keepLast, _maxAge, _orphanGrace, _disabled })
            {
                command.Options.Add(option);
            }
        }

        public object Body(ParseResult p) => new
        {
            name = p.GetValue(_name),
            repository = p.GetValue(_repository),
            refGlob = p.GetValue(_ref),
            pathGlob = p.GetValue(_path),
            protectedRefs = p.GetValue(_protect) is { Length: > 0 } refs ? refs : null,
            keepDaysAfterDereference = p.GetValue(_keepDays),
            keepLastVersions = p.GetValue(_keepLast),
            maxAgeDays = p.GetValue(_maxAge),
            orphanGraceHours = p.GetValue(_orphanGrace),
            enabled = !p.GetValue(_disabled),
        };
    }
}
