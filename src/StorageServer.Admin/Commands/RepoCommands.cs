using System.CommandLine;

namespace StorageServer.Admin.Cli.Commands;

/// <summary><c>repos create|list|show</c> over <c>/api/repos</c>.</summary>
public static class RepoCommands
{
    public static Command Create()
    {
        var repos = new Command("repos", "Hosted repositories.");
        var name = new Argument<string>("name") { Description = "owner/name" };
        var anonymous = new Option<bool>("--allow-anonymous-read") { Description = "Let anyone clone and download." };
        var create = new Command("create", "Create a repository.") { name, anonymous };
        create.Action((p, client, ct) => client.PostAsync("api/repos", new { name = p.GetValue(name), allowAnonymousRead = p.GetValue(anonymous) }, ct));
        repos.Subcommands.Add(create);

        var list = new Command("list", "List repositories.");
        list.Action((_, client, ct) => client.GetAsync("api/repos", ct));
        repos.Subcommands.Add(list);

        var show = new Command("show", "Show one repository.") { name };
        show.Action((p, client, ct) => client.GetAsync($"api/repos/{p.GetValue(name)}", ct));
        repos.Subcommands.Add(show);
        return repos;
    }
}
