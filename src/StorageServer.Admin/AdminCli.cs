using System.CommandLine;

namespace StorageServer.Admin.Cli;

/// <summary>
/// The root command, its global options (where the server is, which admin token) and the one
/// way every subcommand calls the API: <see cref="Action"/> turns a handler into an action
/// that prints the server's answer (a table, or its JSON with <c>--json</c>), or its error message
/// on stderr with exit code 1.
/// </summary>
public static class AdminCli
{
    public static readonly Option<string?> Server = new("--server")
    {
        Description = "Server base URL (env STORAGESERVER_URL, default http://127.0.0.1:8080).",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "Admin token (env STORAGESERVER_ADMIN_TOKEN, else <data-dir>/admin-token).",
        Recursive = true,
    };

    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "The server's data directory, to read its admin-token file (default ./data).",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the server's JSON answer (for scripts) instead of a table.",
        Recursive = true,
    };

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("storageserver-admin: the StorageServer admin API from the command line. Prints tables; --json prints the server's JSON answers.");
        root.Options.Add(Server);
        root.Options.Add(Token);
        root.Options.Add(DataDir);
        root.Options.Add(Json);
        return root;
    }

    public static async Task<int> RunAsync(RootCommand root, string[] args) => await root.Parse(args).InvokeAsync();

    /// <summary>Binds <paramref name="handler"/> as the command's action, with a connected client.</summary>
    /// <param name="document">The answer is a document to keep (a receipt, a report): printed as JSON even without <c>--json</c>.</param>
    public static void Action(this Command command, Func<ParseResult, AdminApiClient, CancellationToken, Task<ApiAnswer>> handler, bool document = false) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var connection = AdminConnection.Resolve(parse.GetValue(Server), parse.GetValue(Token), parse.GetValue(DataDir));
            if (connection.Error is not null)
            {
                await Console.Error.WriteLineAsync(connection.Error);
                return 2;
            }
            using var client = new AdminApiClient(connection.BaseUri!, connection.Token!);
            ApiAnswer answer;
            try
            {
                answer = await handler(parse, client, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"Cannot reach {connection.BaseUri}: {e.Message}");
                return 1;
            }
            return await answer.PrintAsync(Console.Out, Console.Error, document || parse.GetValue(Json));
        });
}
