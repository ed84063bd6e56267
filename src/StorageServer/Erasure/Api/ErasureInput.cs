namespace StorageServer.Erasure.Api;

/// <summary>Checks what a DPO sends. Messages never echo the values: they may be personal data.</summary>
internal static class ErasureInput
{
    public const int MaxIdentifiers = 100;
    public const int MinIdentifierLength = 3;
    public const int MaxLength = 256;

    public static string? CheckSubject(string? subject) =>
        string.IsNullOrWhiteSpace(subject) || subject.Trim().Length > MaxLength || subject.Any(char.IsControl)
            ? $"subject is required: the data subject's key (at most {MaxLength} characters, no control characters)."
            : null;

    public static string? CheckIdentifiers(List<string>? identifiers, bool required)
    {
        if (identifiers is null || identifiers.Count == 0)
        {
            return required ? "identifiers are required: at least one string to look for in stored content." : null;
        }
        if (identifiers.Count > MaxIdentifiers)
        {
            return $"At most {MaxIdentifiers} identifiers.";
        }
        return identifiers.Any(i => i is null || i.Trim().Length < MinIdentifierLength || i.Trim().Length > MaxLength || i.Any(char.IsControl))
            ? $"Each identifier must be {MinIdentifierLength} to {MaxLength} characters without control characters (shorter ones would match everywhere)."
            : null;
    }
}
