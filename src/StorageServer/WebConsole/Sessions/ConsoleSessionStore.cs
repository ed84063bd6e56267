using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using StorageServer.Auth;
using StorageServer.Data;

namespace StorageServer.WebConsole.Sessions;

/// <summary>
/// Keeps console sessions in the metadata database (<c>console_sessions</c>), so the cookie holds
/// only a random key, every node knows every session and signing out ends it everywhere.
/// </summary>
internal sealed class ConsoleSessionStore(IServiceScopeFactory scopes, TimeProvider clock) : ITicketStore
{
    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var key = SecretFiles.RandomToken(string.Empty);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var now = clock.GetUtcNow();
        // Sessions nobody signed out of: gone once expired.
        await db.ConsoleSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        db.ConsoleSessions.Add(new ConsoleSession
        {
            KeyHash = TokenHasher.Hash(key),
            User = ticket.Principal.UserName(),
            Ticket = TicketSerializer.Default.Serialize(ticket),
            CreatedAt = now,
            ExpiresAt = ticket.Properties.ExpiresUtc ?? now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var hash = TokenHasher.Hash(key);
        var expires = ticket.Properties.ExpiresUtc ?? clock.GetUtcNow();
        var serialized = TicketSerializer.Default.Serialize(ticket);
        await db.ConsoleSessions.Where(s => s.KeyHash == hash)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, serialized).SetProperty(x => x.ExpiresAt, expires), cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var hash = TokenHasher.Hash(key);
        var now = clock.GetUtcNow();
        var ticket = await db.ConsoleSessions.AsNoTracking().Where(s => s.KeyHash == hash && s.ExpiresAt > now).Select(s => s.Ticket).SingleOrDefaultAsync(cancellationToken);
        return ticket is null ? null : TicketSerializer.Default.Deserialize(ticket);
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var hash = TokenHasher.Hash(key);
        await db.ConsoleSessions.Where(s => s.KeyHash == hash).ExecuteDeleteAsync(cancellationToken);
    }
}
