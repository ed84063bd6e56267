using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace StorageServer.Data;

/// <summary>
/// The types of an assembly that derive from a class or implement a generic interface, found in the
/// assembly's metadata tables so that only they are loaded. EF Core's own discovery (its
/// <c>ApplyConfigurationsFromAssembly</c>, and the migrations of a context) loads every type of
/// StorageServer.dll, and with their base types the S3 and Azure SDKs, whatever the configuration
/// uses: together about 7 MB of the server's resident memory from its start (issue 17).
/// The metadata match is by the name the assembly references (a pre-filter; each match is then checked
/// by reflection), so a type deriving through a class of its own is not found:
/// AssemblyMetadataTypesTests compares the results with a full reflection scan.
/// </summary>
internal static unsafe class AssemblyMetadataTypes
{
    /// <summary>Concrete classes whose base class is <paramref name="baseType"/> itself.</summary>
    public static IReadOnlyList<Type> DerivedFrom(Assembly assembly, Type baseType) =>
        Find(assembly,
            (reader, type) => IsNamed(reader, type.BaseType, baseType),
            type => type.BaseType == baseType);

    /// <summary>Concrete classes that implement <paramref name="genericInterface"/> (open, e.g. <c>IEntityTypeConfiguration&lt;&gt;</c>) themselves.</summary>
    public static IReadOnlyList<Type> Implementing(Assembly assembly, Type genericInterface) =>
        Find(assembly,
            (reader, type) => type.GetInterfaceImplementations().Any(i => IsNamed(reader, reader.GetInterfaceImplementation(i).Interface, genericInterface)),
            type => type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == genericInterface));

    private static List<Type> Find(Assembly assembly, Func<MetadataReader, TypeDefinition, bool> candidate, Func<Type, bool> matches)
    {
        IEnumerable<Type> types;
        if (assembly.TryGetRawMetadata(out var blob, out var length))
        {
            var reader = new MetadataReader(blob, length);
            types = reader.TypeDefinitions
                .Where(handle => candidate(reader, reader.GetTypeDefinition(handle)))
                .Select(handle => assembly.ManifestModule.ResolveType(MetadataTokens.GetToken(handle)))
                .ToList();
        }
        else
        {
            types = assembly.GetTypes(); // no raw metadata (a dynamic assembly): the full scan
        }
        return types.Where(t => t.IsClass && !t.IsAbstract && !t.IsGenericTypeDefinition && matches(t)).ToList();
    }

    private static bool IsNamed(MetadataReader reader, EntityHandle handle, Type type)
    {
        if (handle.IsNil)
        {
            return false;
        }
        switch (handle.Kind)
        {
            case HandleKind.TypeReference:
                var reference = reader.GetTypeReference((TypeReferenceHandle)handle);
                return reader.StringComparer.Equals(reference.Name, type.Name) && reader.StringComparer.Equals(reference.Namespace, type.Namespace ?? "");
            case HandleKind.TypeDefinition:
                var definition = reader.GetTypeDefinition((TypeDefinitionHandle)handle);
                return reader.StringComparer.Equals(definition.Name, type.Name) && reader.StringComparer.Equals(definition.Namespace, type.Namespace ?? "");
            case HandleKind.TypeSpecification:
                // A generic instantiation, e.g. IEntityTypeConfiguration<Repository>: compare its definition.
                var signature = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
                if (signature.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
                {
                    return false;
                }
                signature.ReadSignatureTypeCode(); // class or value type
                return IsNamed(reader, signature.ReadTypeHandle(), type);
            default:
                return false;
        }
    }
}
