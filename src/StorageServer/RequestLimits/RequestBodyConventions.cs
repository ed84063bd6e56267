namespace StorageServer.RequestLimits;

/// <summary>Declares and reads an endpoint's <see cref="RequestBodyKind"/>.</summary>
public static class RequestBodyConventions
{
    public static TBuilder WithRequestBody<TBuilder>(this TBuilder builder, RequestBodyKind kind)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestBodyMetadata(kind));

    public static RequestBodyKind RequestBodyOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyMetadata>()?.Kind ?? RequestBodyKind.Json;
}
