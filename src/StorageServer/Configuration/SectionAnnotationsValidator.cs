using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace StorageServer.Configuration;

/// <summary>
/// Data-annotation validation whose failures name the configuration key (<c>Lfs:MaxBatchObjects: …</c>)
/// rather than the options class, so the operator knows which setting to fix.
/// </summary>
internal sealed class SectionAnnotationsValidator<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }
        return ValidateOptionsResult.Fail(results.Select(r =>
            $"{section}:{string.Join(",", r.MemberNames.DefaultIfEmpty("?"))}: {r.ErrorMessage}"));
    }
}
