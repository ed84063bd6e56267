using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Repos;

namespace StorageServer.Git;

/// <summary>
/// The server-managed hooks of every hosted repository (like gitlab-shell's hooks calling
/// GitLab's internal API). Each hook is a tiny <c>sh</c> script that POSTs what git gave it
/// (the <c>old new ref</c> lines, and for pre-receive the quarantine variables) to
/// <c>/internal/hooks/{name}</c> on the server process that started the push, authenticated by
/// a per-process secret that exists only in that process and the environment of its
/// <c>git http-backend</c> children, never on disk. The answer is printed for the pusher
/// (as <c>remote:</c> lines); a non-2xx answer or an unreachable server fails the hook.
/// Pushes that do not come through the server (an admin on the machine) have no hook URL and
/// pass without checks.
/// </summary>
public sealed class GitHooks(IOptions<StorageServerOptions> server)
{
    public const string UrlVariable = "STORAGESERVER_HOOK_URL";
    public const string SecretVariable = "STORAGESERVER_HOOK_SECRET";
    public const string RepositoryVariable = "STORAGESERVER_REPOSITORY";
    public const string SecretHeader = "X-StorageServer-Hook-Secret";
    public static readonly string[] Names = ["pre-receive", "post-receive"];

    private readonly byte[] _secret = Encoding.ASCII.GetBytes(RandomNumberGenerator.GetHexString(64, lowercase: true));

    /// <summary>Directory that <c>core.hooksPath</c> of every repository points to.</summary>
    public string Directory { get; } = Path.Combine(server.Value.FullDataDir, "git-hooks");

    public string Secret => Encoding.ASCII.GetString(_secret);

    public bool IsSecret(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), _secret);

    /// <summary>Writes (or rewrites) the hook scripts; safe to call on every start.</summary>
    public void WriteScripts()
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var name in Names)
        {
            var path = Path.Combine(Directory, name);
            var temp = path + ".tmp";
            File.WriteAllText(temp, Script(name), new UTF8Encoding(false));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            File.Move(temp, path, overwrite: true);
        }
    }

    /// <summary>
    /// The script. The secret goes to curl as a header read from a here-document on fd 3, so it
    /// never appears in a command line (visible in <c>ps</c>). Objects git has not yet moved out
    /// of quarantine are only visible through the variables passed along.
    /// </summary>
    public static string Script(string name) => $$"""
        #!/bin/sh
        # Managed by StorageServer: rewritten at every start, do not edit.
        [ -n "${{{UrlVariable}}}" ] || exit 0
        curl --silent --fail-with-body --insecure --max-time 3600 \
          -H @/dev/fd/3 \
          --data-urlencode "repository=${{{RepositoryVariable}}}" \
          --data-urlencode "cwd=$PWD" \
          --data-urlencode "objectDirectory=$GIT_OBJECT_DIRECTORY" \
          --data-urlencode "alternateObjectDirectories=$GIT_ALTERNATE_OBJECT_DIRECTORIES" \
          --data-urlencode "quarantinePath=$GIT_QUARANTINE_PATH" \
          --data-urlencode "refs@-" \
          "${{{UrlVariable}}}/{{name}}" 1>&2 3<<EOF
        {{SecretHeader}}: ${{{SecretVariable}}}
        EOF
        status=$?
        # 22: the server answered with an error, whose text was printed above.
        if [ $status -ne 0 ] && [ $status -ne 22 ]; then
          echo "StorageServer: the {{name}} hook could not reach the server (curl exit code $status)" >&2
        fi
        exit $status

        """.Replace("\r\n", "\n", StringComparison.Ordinal);
}

/// <summary>Points a new repository's <c>core.hooksPath</c> at the server's hooks.</summary>
internal sealed class GitHooksInitializer(GitProcess git, GitHooks hooks) : IRepositoryInitializer
{
    public async Task InitializeAsync(Repository repository, string gitDirectory, CancellationToken cancellationToken) =>
        (await git.RunAsync(gitDirectory, ["config", "core.hooksPath", hooks.Directory], cancellationToken)).EnsureSuccess("config core.hooksPath");
}

/// <summary>
/// At start: writes the hook scripts (before the server listens), then makes sure every
/// existing repository points at them (in the background; http-backend also gets
/// <c>-c core.hooksPath</c>, so pushes are checked even before this finishes).
/// </summary>
internal sealed class GitHooksInstaller(
    GitHooks hooks, GitProcess git, GitRepositoryLayout layout, IServiceScopeFactory scopes, ILogger<GitHooksInstaller> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        hooks.WriteScripts();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            List<string> names;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
                names = await db.Repositories.AsNoTracking().Select(r => r.Name).ToListAsync(stoppingToken);
            }
            var updated = 0;
            foreach (var name in names)
            {
                var path = layout.PathOf(name);
                if (!System.IO.Directory.Exists(path))
                {
                    logger.LogWarning("Repository {Repository} has no git directory at {Path}", name, path);
                    continue;
                }
                var current = await git.RunAsync(path, ["config", "--get", "core.hooksPath"], stoppingToken);
                if (current.Output.Trim() != hooks.Directory)
                {
                    (await git.RunAsync(path, ["config", "core.hooksPath", hooks.Directory], stoppingToken)).EnsureSuccess("config core.hooksPath");
                    updated++;
                }
            }
            logger.LogInformation("Git hooks in {Directory}; {Updated} of {Count} repositories re-pointed to them", hooks.Directory, updated, names.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not point existing repositories at the git hooks");
        }
    }
}
