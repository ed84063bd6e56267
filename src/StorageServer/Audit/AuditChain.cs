using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StorageServer.Data.Entities;

namespace StorageServer.Audit;

/// <summary>The hash that links an audit entry to the one before it.</summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string ComputeHash(AuditEvent entry)
    {
        // Length-prefixed fields: no choice of values can make two different entries hash alike.
        var text = new StringBuilder();
        foreach (var field in new[]
        {
            entry.PreviousHash,
            entry.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            entry.Actor,
            entry.Action,
            entry.Target,
            entry.DetailsJson ?? string.Empty,
        })
        {
            text.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The id of the first entry whose link or hash is wrong, or null when the chain holds.</summary>
    public static long? FindFirstBreak(IEnumerable<AuditEvent> entriesInOrder)
    {
        var verifier = new Verifier();
        foreach (var entry in entriesInOrder)
        {
            if (!verifier.Accept(entry))
            {
                return entry.Id;
            }
        }
        return null;
    }

    /// <summary>Checks entries one at a time, so a long trail is verified in constant memory.</summary>
    public sealed class Verifier
    {
        public string Head { get; private set; } = Genesis;

        public int Count { get; private set; }

        public bool Accept(AuditEvent entry)
        {
            if (entry.PreviousHash != Head || entry.Hash != ComputeHash(entry))
            {
                return false;
            }
            Head = entry.Hash;
            Count++;
            return true;
        }
    }
}
