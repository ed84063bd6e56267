using System.CommandLine;

namespace StorageServer.Admin.Cli.Commands;

/// <summary>
/// <c>erasure request preview|approve|cancel</c>: nothing is erased before an admin has looked at
/// what would be and approved it (a second, different admin too when the server requires four eyes).
/// </summary>
public static class ErasureReviewCommands
{
    public static void AddTo(Command requests, Argument<string> id)
    {
        var offset = new Option<int>("--offset") { Description = "First object to list (paging).", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = "Objects per page, 1–500.", DefaultValueFactory = _ => 100 };
        var preview = new Command("preview", "What an approval would do: every object, repository, path and version, records removed per file, branch and tag tips, flags.")
        {
            id, offset, limit,
        };
        preview.Action((p, client, ct) =>
            client.GetAsync($"api/erasure/requests/{AdminApiClient.Segment(p.GetValue(id)!)}/preview?offset={p.GetValue(offset)}&limit={p.GetValue(limit)}", ct));
        requests.Subcommands.Add(preview);

        var acknowledge = new Option<bool>("--acknowledge-flags") { Description = "Approve a flagged preview (you reviewed its flags)." };
        var approve = new Command("approve", "Approve the preview: branch tips are updated, old versions restricted, then erased.") { id, acknowledge };
        approve.Action((p, client, ct) =>
            client.PostAsync($"api/erasure/requests/{AdminApiClient.Segment(p.GetValue(id)!)}/approve", new { acknowledgeFlags = p.GetValue(acknowledge) }, ct));
        requests.Subcommands.Add(approve);

        var reason = new Option<string>("--reason") { Description = "Why (required, recorded).", Required = true };
        var cancel = new Command("cancel", "Withdraw a request that is not approved yet; nothing was changed.") { id, reason };
        cancel.Action((p, client, ct) =>
            client.PostAsync($"api/erasure/requests/{AdminApiClient.Segment(p.GetValue(id)!)}/cancel", new { reason = p.GetValue(reason) }, ct));
        requests.Subcommands.Add(cancel);
    }
}
