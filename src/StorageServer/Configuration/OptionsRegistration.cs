using Microsoft.Extensions.Options;

namespace StorageServer.Configuration;

internal static class OptionsRegistration
{
    /// <summary>Binds a section and validates it before the server starts, so bad config fails fast naming its key.</summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SectionAnnotationsValidator<T>(section));
        return services;
    }
}
