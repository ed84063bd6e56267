using GitHooks.Git;
using GitHooks.LocalStorage;

namespace GitHooks.Commands;

/// <summary><c>git storage env</c>: the endpoint, auth mode and paths in use, like <c>git lfs env</c>.</summary>
public sealed class EnvCommand(ICommandContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var version = typeof(EnvCommand).Assembly.GetName().Version;
        await context.Out.WriteLineAsync($"git-storage/{version}");
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        var remote = await session.DefaultRemoteAsync(cancellationToken);
        await context.Out.WriteLineAsync();
        foreach (var upload in new[] { false, true })
        {
            var label = upload ? "PushEndpoint" : "Endpoint";
            try
            {
                var endpoint = session.Endpoint(remote, upload);
                var access = session.Config.Get($"lfs.{endpoint.Url.AbsoluteUri}.access") ?? "none";
                var helper = session.Config.Get("credential.helper") is { Length: > 0 } h ? $", credential.helper={h}" : ", no credential.helper";
                await context.Out.WriteLineAsync($"{label}={endpoint.Url} (auth={access}{helper}; from {endpoint.Source})");
            }
            catch (UserException ex)
            {
                await context.Out.WriteLineAsync($"{label}=<none> ({ex.Message})");
            }
        }
        await context.Out.WriteLineAsync($"Remote={remote}");
        await context.Out.WriteLineAsync($"LocalWorkingDir={session.Repository.WorkTree}");
        await context.Out.WriteLineAsync($"LocalGitDir={session.Repository.GitDirectory}");
        await context.Out.WriteLineAsync($"LocalMediaDir={session.Repository.Objects.ObjectsDirectory}");
        await context.Out.WriteLineAsync($"TempDir={session.Repository.Objects.TempDirectory}");
        await context.Out.WriteLineAsync($"ConcurrentTransfers={session.Config.GetInt("lfs.concurrenttransfers", 8)}");
        await context.Out.WriteLineAsync($"MaxRetries={session.Config.GetInt("lfs.transfer.maxretries", 8)}");
        foreach (var key in new[] { "filter.lfs.process", "filter.lfs.smudge", "filter.lfs.clean", "filter.lfs.required" })
        {
            await context.Out.WriteLineAsync($"git config {key} = \"{session.Config.Get(key)}\"");
        }
        var hooks = await InstallCommand.HooksDirectoryAsync(session.Git, cancellationToken);
        var installed = HookInstaller.Hooks.Where(h => File.Exists(Path.Combine(hooks, h)) && HookInstaller.IsOurs(Path.Combine(hooks, h)));
        await context.Out.WriteLineAsync($"Hooks={string.Join(',', installed)}");
        return 0;
    }
}
