using System.CommandLine;

namespace StorageServer.Admin.Cli.Commands;

/// <summary><c>audit list|verify</c> over <c>/api/audit</c>.</summary>
public static class AuditCommands
{
    public static Command Create()
    {
        var audit = new Command("audit", "The hash-chained audit trail of admin actions.");
        var after = new Option<long?>("--after") { Description = "Only entries after this id." };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries." };
        var list = new Command("list", "List entries.") { after, limit };
        list.Action((p, client, ct) =>
        {
            var query = new List<string>();
            if (p.GetValue(after) is { } a)
            {
                query.Add($"after={a}");
            }
            if (p.GetValue(limit) is { } l)
            {
                query.Add($"limit={l}");
            }
            return client.GetAsync("api/audit" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), ct);
        });
        audit.Subcommands.Add(list);

        var verify = new Command("verify", "Recompute the chain; exits 1 when it is broken.");
        verify.Action(async (_, client, ct) =>
        {
            var answer = await client.GetAsync("api/audit/verify", ct);
            if (!answer.Succeeded)
            {
                return answer;
            }
            using var document = System.Text.Json.JsonDocument.Parse(answer.Body);
            var valid = document.RootElement.TryGetProperty("valid", out var v) && v.ValueKind == System.Text.Json.JsonValueKind.True;
            return valid ? answer : answer with { Status = 409, Body = "The audit chain is broken: " + answer.Body };
        });
        audit.Subcommands.Add(verify);
        return audit;
    }
}
