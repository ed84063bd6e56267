using System.CommandLine;

namespace StorageServer.Admin.Cli.Commands;

/// <summary><c>holds create|list|show|release</c> over <c>/api/holds</c>.</summary>
public static class HoldCommands
{
    public static Command Create()
    {
        var holds = new Command("holds", "Legal holds: nothing they cover can be deleted by retention, an admin or erasure.");

        var caseReference = new Option<string>("--case") { Description = "Case reference (required).", Required = true };
        var repository = new Option<string?>("--repo") { Description = "Hold a whole repository (owner/name), or limit --path to it." };
        var path = new Option<string?>("--path") { Description = "Hold objects at paths matching this glob (e.g. data/customers/**)." };
        var oid = new Option<string?>("--oid") { Description = "Hold one object everywhere." };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded)." };
        var create = new Command("create", "Place a hold.") { caseReference, repository, path, oid, reason };
        create.Action((p, client, ct) => client.PostAsync("api/holds", new
        {
            caseReference = p.GetValue(caseReference),
            repository = p.GetValue(repository),
            path = p.GetValue(path),
            oid = p.GetValue(oid),
            reason = p.GetValue(reason),
        }, ct));
        holds.Subcommands.Add(create);

        var state = new Option<string>("--state") { Description = "active, released or all.", DefaultValueFactory = _ => "active" };
        var list = new Command("list", "List holds.") { state };
        list.Action((p, client, ct) => client.GetAsync($"api/holds?state={AdminApiClient.Segment(p.GetValue(state)!)}", ct));
        holds.Subcommands.Add(list);

        var id = new Argument<long>("id") { Description = "Hold id." };
        var show = new Command("show", "Show one hold.") { id };
        show.Action((p, client, ct) => client.GetAsync($"api/holds/{p.GetValue(id)}", ct));
        holds.Subcommands.Add(show);

        var releaseReason = new Option<string>("--reason") { Description = "Why the hold ends (required, audited).", Required = true };
        var release = new Command("release", "Release a hold; work waiting on it (deferred erasure) resumes.") { id, releaseReason };
        release.Action((p, client, ct) => client.PostAsync($"api/holds/{p.GetValue(id)}/release", new { reason = p.GetValue(releaseReason) }, ct));
        holds.Subcommands.Add(release);
        return holds;
    }
}
