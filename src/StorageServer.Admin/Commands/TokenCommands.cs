using System.CommandLine;

namespace StorageServer.Admin.Cli.Commands;

/// <summary><c>tokens create|list|revoke</c> over <c>/api/tokens</c>.</summary>
public static class TokenCommands
{
    public static Command Create()
    {
        var tokens = new Command("tokens", "Personal access tokens (stored hashed; shown once).");
        var user = new Argument<string>("user");
        var scopes = new Option<string[]>("--scope")
        {
            Description = "repo=level, repeatable; level is read, write or admin; * names every repo (e.g. --scope team/data=write).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var create = new Command("create", "Create a token.") { user, scopes };
        create.Validators.Add(result =>
        {
            foreach (var scope in result.GetValue(scopes) ?? [])
            {
                if (scope.Split('=') is not [{ Length: > 0 }, { Length: > 0 }])
                {
                    result.AddError($"--scope '{scope}' must be repo=level.");
                }
            }
        });
        create.Action((p, client, ct) => client.PostAsync("api/tokens", new
        {
            user = p.GetValue(user),
            scopes = (p.GetValue(scopes) ?? []).Select(s => s.Split('=')).ToDictionary(s => s[0], s => s[1], StringComparer.Ordinal),
        }, ct));
        tokens.Subcommands.Add(create);

        var list = new Command("list", "List tokens (never their text).");
        list.Action((_, client, ct) => client.GetAsync("api/tokens", ct));
        tokens.Subcommands.Add(list);

        var id = new Argument<long>("id");
        var revoke = new Command("revoke", "Revoke a token.") { id };
        revoke.Action((p, client, ct) => client.DeleteAsync($"api/tokens/{p.GetValue(id)}", ct));
        tokens.Subcommands.Add(revoke);
        return tokens;
    }
}
