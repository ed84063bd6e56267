using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using StorageServer.Data;
using StorageServer.Repos;

namespace StorageServer.Git;

/// <summary>
/// Reads a hook script's request (<see cref="GitHooks.Script"/>): multipart form data whose small
/// fields come first and whose <c>refs</c> part, one <c>old new ref</c> line per updated ref, is
/// read line by line as it streams in, so no form limit caps how many refs one push may update.
/// Only a request carrying this process's hook secret is read at all.
/// </summary>
internal static class HookRequestReader
{
    private const int MaxFieldChars = 64 * 1024;

    public static async Task<HookRequest?> ReadAsync(HttpContext context, GitHooks hooks, StorageDbContext db, CancellationToken cancellationToken)
    {
        if (!hooks.IsSecret(context.Request.Headers[GitHooks.SecretHeader].ToString())
            || !MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            return null;
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var updates = new List<RefUpdate>();
        var buffer = new char[MaxFieldChars];
        var reader = new MultipartReader(boundary, context.Request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { } name)
            {
                continue;
            }
            using var text = new StreamReader(section.Body, Encoding.UTF8);
            if (name == "refs")
            {
                while (await text.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (RefUpdate.Parse(line) is { } update)
                    {
                        updates.Add(update);
                    }
                }
            }
            else
            {
                var length = await text.ReadBlockAsync(buffer, cancellationToken);
                fields[name] = new string(buffer, 0, length);
            }
        }
        var repositoryName = fields.GetValueOrDefault("repository");
        if (!RepoNames.IsValid(repositoryName))
        {
            return null;
        }
        var repository = await db.Repositories.AsNoTracking().SingleOrDefaultAsync(r => r.Name == repositoryName, cancellationToken);
        if (repository is null)
        {
            return null;
        }
        var cwd = fields.GetValueOrDefault("cwd", string.Empty);
        return new HookRequest(repository, updates, cwd.Length > 0 ? cwd : Path.GetTempPath(),
            fields.GetValueOrDefault("objectDirectory", string.Empty), fields.GetValueOrDefault("alternateObjectDirectories", string.Empty),
            fields.GetValueOrDefault("quarantinePath", string.Empty), fields.GetValueOrDefault("push", string.Empty));
    }
}
