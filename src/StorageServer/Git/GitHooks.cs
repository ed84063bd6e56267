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

    /// <summary>
    /// Writes the hook scripts that are missing or differ; safe to call on every start, and writes
    /// nothing when they are current (a start on a full disk must not fail here).
    /// </summary>
    public void WriteScripts()
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var name in Names)
        {
            var path = Path.Combine(Directory, name);
            if (File.Exists(path) && File.ReadAllText(path) == Script(name)
                && (OperatingSystem.IsWindows() || File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute)))
            {
                continue;
            }
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
    /// of quarantine are only visible through the variables passed along. The fields go as
    /// multipart form data (<c>--form-string</c> takes values literally), the ref lines last as
    /// their own part, which the server reads line by line: a push of any number of refs fits.
    /// <c>push</c> is the receive-pack process that runs both hooks of one push (their parent), so the
    /// post-receive can find what the pre-receive of the same push read (<see cref="Indexing.PushScanHandoff"/>).
    /// </summary>
    public static string Script(string name) => $$"""
        #!/bin/sh
        # Managed by StorageServer: rewritten at every start, do not edit.
        [ -n "${{{UrlVariable}}}" ] || exit 0
        curl --silent --fail-with-body --insecure --max-time 3600 \
          -H @/dev/fd/3 \
          --form-string "repository=${{{RepositoryVariable}}}" \
          --form-string "cwd=$PWD" \
          --form-string "objectDirectory=$GIT_OBJECT_DIRECTORY" \
          --form-string "alternateObjectDirectories=$GIT_ALTERNATE_OBJECT_DIRECTORIES" \
          --form-string "quarantinePath=$GIT_QUARANTINE_PATH" \
          --form-string "push=$PPID" \
          -F "refs=@-;type=text/plain" \
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

/// <summary>Points a new repository's <c>core.hooksPath</c> at the server's hooks and turns on its object checks.</summary>
internal sealed class GitHooksInitializer(GitProcess git, GitHooks hooks) : IRepositoryInitializer
{
    public async Task InitializeAsync(Repository repository, string gitDirectory, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in GitHooksInstaller.Settings(hooks))
        {
            (await git.RunAsync(gitDirectory, ["config", key, value], cancellationToken)).EnsureSuccess("config " + key);
        }
    }
}

/// <summary>
/// At start: writes the hook scripts (before the server listens), then makes sure every
/// existing repository points at them and checks received objects (in the background;
/// http-backend also gets both on its command line, so pushes are checked before this finishes).
/// </summary>
internal sealed class GitHooksInstaller(
    GitHooks hooks, GitProcess git, GitRepositoryLayout layout, IServiceScopeFactory scopes, ILogger<GitHooksInstaller> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        hooks.WriteScripts();
        return base.StartAsync(cancellationToken);
    }

    /// <summary>What every hosted repository's config holds: the server's hooks and object checks.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Settings(GitHooks hooks) =>
        [new("core.hooksPath", hooks.Directory), GitObjectChecks.ReceiveFsck];

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
                var current = (await git.RunAsync(path, ["config", "--local", "--list"], stoppingToken)).Output
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
                    .GroupBy(p => p[0], StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.OrdinalIgnoreCase);
                var changed = false;
                foreach (var (key, value) in Settings(hooks).Where(s => current.GetValueOrDefault(s.Key) != s.Value))
                {
                    (await git.RunAsync(path, ["config", key, value], stoppingToken)).EnsureSuccess("config " + key);
                    changed = true;
                }
                updated += changed ? 1 : 0;
            }
            logger.LogInformation("Git hooks in {Directory}; {Updated} of {Count} repositories' configs updated", hooks.Directory, updated, names.Count);
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
