namespace GitHooks.Tests.Support;

/// <summary>The sandbox the client tests run in: git-storage on PATH, installed by each repository they create.</summary>
public static class ClientSandbox
{
    public static GitSandbox Create()
    {
        var sandbox = new GitSandbox(LfsClient.GitStoragePerRepository);
        // Keep failure tests quick: few, short retries.
        sandbox.GlobalConfig("lfs.transfer.maxretries", "2");
        sandbox.GlobalConfig("lfs.transfer.maxretrydelay", "1");
        return sandbox;
    }
}
