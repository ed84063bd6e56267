using GitHooks;

return await Cli.RunAsync(new ProcessCommandContext(), args);
