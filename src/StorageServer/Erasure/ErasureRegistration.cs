using StorageServer.Admin;
using StorageServer.Configuration;
using StorageServer.Erasure.Api;
using StorageServer.Erasure.Index;
using StorageServer.Erasure.Jobs;
using StorageServer.Erasure.Preview;
using StorageServer.Erasure.Receipts;
using StorageServer.Erasure.Redaction;
using StorageServer.Erasure.Requests;
using StorageServer.Erasure.Scanning;
using StorageServer.Holds;
using StorageServer.Jobs;

namespace StorageServer.Erasure;

/// <summary>GDPR erasure: the subject index, requests and their jobs, receipts, under <c>/api/erasure</c>.</summary>
public static class ErasureRegistration
{
    public static IServiceCollection AddErasure(this IServiceCollection services)
    {
        services.AddValidatedOptions<ErasureOptions>(ErasureOptions.Section);
        services.AddSingleton<SubjectHasher>().AddSingleton<ReceiptSigner>().AddSingleton<ErasureTestHooks>();
        services.AddScoped<SubjectIndex>().AddScoped<RecordFormatIndex>().AddScoped<ContentScanner>().AddScoped<ErasurePlanner>().AddScoped<ErasurePreviewer>()
            .AddScoped<TipEffectReader>().AddScoped<Redactor>().AddScoped<InheritedSuccessors>().AddScoped<BranchTipUpdater>().AddScoped<GitTreeReader>()
            .AddScoped<ObjectRestriction>().AddScoped<ObjectEraser>()
            .AddScoped<ErasureVerifier>().AddScoped<ReceiptIssuer>().AddScoped<ReceiptVerifierService>().AddScoped<ErasureProcessor>()
            .AddScoped<ErasureLauncher>().AddScoped<ErasedUploadRefusals>().AddScoped<ErasureSecretVault>()
            .AddScoped<ErasureRequestService>().AddScoped<ErasurePreviewQuery>().AddScoped<ReceiptDocuments>();
        services.AddScoped<ILegalHoldReleaseListener, ErasureHoldReleaseListener>();
        services.AddHostedService<ErasureResumer>();
        services.AddStorageJob<ErasureJob>(ErasureJob.Name, "Runs or resumes one GDPR erasure request (parameter: request).");
        services.AddStorageJob<SubjectScanJob>(SubjectScanJob.Name, "Content scan for the subject index (queued by POST /api/erasure/subjects/scan).");
        return services;
    }

    public static IEndpointRouteBuilder MapErasure(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/erasure").RequireServerAdmin().WithTags("Erasure");
        group.MapErasureRequests();
        group.MapErasurePreview();
        group.MapErasureApproval();
        group.MapSubjects();
        group.MapPathRules();
        group.MapReceipts();
        routes.MapPublicKey();
        return routes;
    }
}
