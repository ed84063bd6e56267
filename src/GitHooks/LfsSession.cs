using GitHooks.Api;
using GitHooks.Git;
using GitHooks.LocalStorage;
using GitHooks.Progress;
using GitHooks.Transfer;
using System.Threading.Channels;
using StorageServer.Protocol.Pointers;

namespace GitHooks;

/// <summary>
/// What a command needs to talk to git and to the LFS server, resolved once: the repository,
/// its config (with .lfsconfig), the endpoint for a remote, and a transfer queue on top.
/// </summary>
public sealed class LfsSession : IDisposable
{
    private readonly Dictionary<string, LfsHttpClient> _clients = new(StringComparer.Ordinal);

    private LfsSession(ICommandContext context, GitRunner git, Repository repository, GitConfig config)
    {
        Context = context;
        Git = git;
        Repository = repository;
        Config = config;
    }

    public ICommandContext Context { get; }

    public GitRunner Git { get; }

    public Repository Repository { get; }

    public GitConfig Config { get; }

    public static async Task<LfsSession> OpenAsync(ICommandContext context, CancellationToken cancellationToken)
    {
        var git = new GitRunner(context.WorkingDirectory, context.GitEnvironment);
        var repository = await Repository.RequireAsync(git, cancellationToken);
        if (repository.WorkTree is { } root)
        {
            // Paths from ls-files, diff and ls-tree are root-relative; so is everything we run.
            git = new GitRunner(root, context.GitEnvironment);
        }
        var config = await GitConfig.LoadAsync(git, repository.WorkTree, cancellationToken);
        return new LfsSession(context, git, repository, config);
    }

    /// <summary>The remote of the current branch's upstream, else <c>origin</c> (as git-lfs).</summary>
    public async Task<string> DefaultRemoteAsync(CancellationToken cancellationToken)
    {
        var branch = await Git.RunAsync(cancellationToken, "symbolic-ref", "--short", "-q", "HEAD");
        if (branch.Succeeded && Config.Get($"branch.{branch.StdOut.Trim()}.remote") is { Length: > 0 } remote && remote != ".")
        {
            return remote;
        }
        return "origin";
    }

    public LfsEndpoint Endpoint(string? remote, bool upload) => new EndpointResolver(Config).Resolve(remote, upload);

    public Task<TransferResult> DownloadAsync(IReadOnlyCollection<LfsPointer> pointers, string remote, string? refName, CancellationToken cancellationToken) =>
        RunQueueAsync(pointers, remote, refName, upload: false, cancellationToken);

    public Task<TransferResult> UploadAsync(IReadOnlyCollection<LfsPointer> pointers, string remote, string? refName, CancellationToken cancellationToken) =>
        RunQueueAsync(pointers, remote, refName, upload: true, cancellationToken);

    /// <summary>
    /// Downloads objects as they are written to <paramref name="input"/> (until it completes),
    /// in batches of up to 100 through the same queue, adapter and progress as <see cref="DownloadAsync"/>.
    /// </summary>
    public async Task<TransferResult> DownloadStreamingAsync(ChannelReader<LfsPointer> input, string remote, TransferProgress progress, CancellationToken cancellationToken)
    {
        var endpoint = Endpoint(remote, upload: false);
        var http = HttpClientFor(endpoint.Url);
        var retry = Retry;
        var queue = new TransferQueue(new BatchClient(http, endpoint.Url, retry), new DownloadAdapter(http, Repository.Objects, progress, Context.Time), retry, TransferOptions, progress);
        return await queue.RunAsync(input, null, TimeSpan.FromMilliseconds(20), cancellationToken);
    }

    private async Task<TransferResult> RunQueueAsync(IReadOnlyCollection<LfsPointer> pointers, string remote, string? refName, bool upload, CancellationToken cancellationToken)
    {
        var todo = pointers.Where(p => p.Size > 0).DistinctBy(p => p.Oid).ToList();
        if (todo.Count == 0)
        {
            return new TransferResult();
        }
        var endpoint = Endpoint(remote, upload);
        var http = HttpClientFor(endpoint.Url);
        var retry = Retry;
        await using var progress = new TransferProgress(Context.Error, Context.ErrorIsTerminal,
            upload ? "Uploading LFS objects" : "Downloading LFS objects", todo.Count, todo.Sum(p => p.Size), Context.Time);
        var adapters = upload
            ? new TransferAdapters(new UploadAdapter(http, Repository.Objects, progress, Context.Time),
                Config.GetBool("storage.resumableuploads", true) ? new ResumableUploadAdapter(http, Repository.Objects, progress, Context.Time) : null,
                Math.Max(0, Config.GetLong("storage.resumableuploadminsize", DefaultResumableUploadMinSize)))
            : new TransferAdapters(new DownloadAdapter(http, Repository.Objects, progress, Context.Time));
        var queue = new TransferQueue(new BatchClient(http, endpoint.Url, retry), adapters, retry, TransferOptions, progress);
        return await queue.RunAsync(todo, refName, cancellationToken);
    }

    /// <summary>Objects this large are offered the resumable (tus) upload; smaller ones go by plain PUT.</summary>
    public const long DefaultResumableUploadMinSize = 64L * 1024 * 1024;

    /// <summary>Retries as configured (<c>lfs.transfer.maxretries</c>, …), announced on stderr.</summary>
    public RetryPolicy Retry => RetryPolicy.FromConfig(Config, Context.Time, Context.Error);

    private TransferOptions TransferOptions => new(Concurrency: Math.Max(1, Config.GetInt("lfs.concurrenttransfers", 8)));

    /// <summary>A client for API calls (locks, batch checks) to <paramref name="endpoint"/>, sharing credentials with the transfers.</summary>
    public LfsHttpClient ApiClient(LfsEndpoint endpoint) => HttpClientFor(endpoint.Url);

    /// <summary>One client per endpoint so credentials obtained once are reused for every batch.</summary>
    private LfsHttpClient HttpClientFor(Uri endpoint)
    {
        var key = endpoint.GetLeftPart(UriPartial.Authority);
        if (!_clients.TryGetValue(key, out var client))
        {
            // Same key as git-lfs (lfs.<endpoint>.access), so either client's discovery helps the other.
            var accessKey = $"lfs.{endpoint.AbsoluteUri}.access";
            _clients[key] = client = new LfsHttpClient(Context.CreateHttpHandler(), new GitCredentialHelper(Git))
            {
                SendCredentialsFirst = Config.Get(accessKey) is "basic" or "private",
                OnBasicAuthWorked = async ct => await Git.RunAsync(["config", "--local", accessKey, "basic"], null, ct),
            };
        }
        return client;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
