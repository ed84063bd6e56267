using Quartz;

namespace StorageServer.Jobs;

/// <summary>A job the server knows by name: what <c>/api/jobs</c> lists and can run.</summary>
/// <param name="Name">The job's name and Quartz job key, e.g. <c>RescanAll</c>.</param>
/// <param name="JobType">A <see cref="StorageJob"/> subclass.</param>
/// <param name="Description">One line for the admin listing.</param>
public sealed record JobDefinition(string Name, Type JobType, string Description)
{
    /// <summary>Every job of ours lives in this Quartz group.</summary>
    public const string Group = "storageserver";

    public JobKey Key => new(Name, Group);
}

public static class JobDefinitionRegistration
{
    /// <summary>Makes <typeparamref name="TJob"/> known under <paramref name="name"/>; the scheduler stores it at startup.</summary>
    public static IServiceCollection AddStorageJob<TJob>(this IServiceCollection services, string name, string description)
        where TJob : StorageJob
    {
        services.AddSingleton(new JobDefinition(name, typeof(TJob), description));
        services.AddTransient<TJob>();
        return services;
    }
}
