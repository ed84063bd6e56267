using StorageServer.Admin.Cli;
using StorageServer.Admin.Cli.Commands;

// One line per resource: each file in Commands/ builds its own subcommand tree.
var root = AdminCli.CreateRoot();
root.Subcommands.Add(RepoCommands.Create());
root.Subcommands.Add(TokenCommands.Create());
root.Subcommands.Add(JobCommands.Create());
root.Subcommands.Add(AuditCommands.Create());
root.Subcommands.Add(HoldCommands.Create());
root.Subcommands.Add(RetentionCommands.Create());
root.Subcommands.Add(ErasureCommands.Create());
return await AdminCli.RunAsync(root, args);
