using System.CommandLine;
using GitHooks.LocalStorage;

namespace GitHooks;

/// <summary>
/// The verbs and their arguments. Wiring only: each action hands its parsed values to a command
/// class, and user-facing failures (<see cref="UserException"/>) become one line on stderr. The
/// verbs are grouped by area in the other parts of this class.
/// </summary>
public static partial class Cli
{
    public const string Description = "git storage: large files in git through the Git LFS protocol, without git-lfs installed.";

    public static async Task<int> RunAsync(ICommandContext context, string[] args)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        return await parse.InvokeAsync(configuration);
    }

    public static RootCommand Build(ICommandContext context)
    {
        var root = new RootCommand(Description);
        AddSetupVerbs(root, context);
        AddHookVerbs(root, context);
        AddTransferVerbs(root, context);
        AddInspectionVerbs(root, context);
        AddLockVerbs(root, context);
        AddMigrateVerbs(root, context);
        root.Subcommands.Add(Verb("help", "Show how to use git storage, or one of its commands.", [HelpTopic],
            (p, ct) => new Commands.HelpCommand(context).RunAsync(p.GetValue(HelpTopic), ct), context));
        return root;
    }

    private static readonly Argument<string?> HelpTopic = new("command") { Arity = ArgumentArity.ZeroOrOne, Description = "The command to explain." };

    /// <summary>The values an option was given on the command line, or null when it was not used at all.</summary>
    private static string[]? Given(ParseResult parse, Option<string[]> option) =>
        parse.GetResult(option) is null ? null : parse.GetValue(option) ?? [];

    private static Option<string[]> IncludeOption() => new("--include", "-I")
    {
        Description = "Only paths matching these patterns (comma-separated, gitignore style); overrides lfs.fetchinclude.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Option<string[]> ExcludeOption() => new("--exclude", "-X")
    {
        Description = "Not paths matching these patterns (comma-separated, gitignore style); overrides lfs.fetchexclude.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Command Verb(string name, string description, IEnumerable<Symbol> symbols, Func<ParseResult, CancellationToken, Task<int>> action, ICommandContext context, bool hidden = false)
    {
        var command = new Command(name, description) { Hidden = hidden };
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
            }
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (UserException ex)
            {
                await context.Error.WriteLineAsync($"git-storage {name}: {ex.Message}");
                return 2;
            }
        });
        return command;
    }
}
