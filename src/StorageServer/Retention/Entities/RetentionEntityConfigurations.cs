using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StorageServer.Data.Entities;

namespace StorageServer.Retention.Entities;

internal sealed class RetentionPolicyConfiguration : IEntityTypeConfiguration<RetentionPolicy>
{
    public void Configure(EntityTypeBuilder<RetentionPolicy> builder)
    {
        builder.ToTable("retention_policies");
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.HasIndex(p => p.RepositoryId);
        builder.HasOne<Repository>().WithMany().HasForeignKey(p => p.RepositoryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReachabilityConfiguration : IEntityTypeConfiguration<Reachability>
{
    public void Configure(EntityTypeBuilder<Reachability> builder)
    {
        builder.ToTable("retention_reachability");
        builder.HasKey(r => new { r.RepositoryId, r.Oid });
        builder.Property(r => r.Oid).HasMaxLength(64);
        builder.HasIndex(r => r.Oid);
        builder.HasOne<Repository>().WithMany().HasForeignKey(r => r.RepositoryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RetentionRunConfiguration : IEntityTypeConfiguration<RetentionRun>
{
    public void Configure(EntityTypeBuilder<RetentionRun> builder)
    {
        builder.ToTable("retention_runs");
        builder.HasIndex(r => r.JobRunId);
    }
}

internal sealed class RetentionReportConfiguration : IEntityTypeConfiguration<RetentionReport>
{
    public void Configure(EntityTypeBuilder<RetentionReport> builder)
    {
        builder.ToTable("retention_reports");
        builder.HasKey(r => new { r.RunId, r.Format });
        builder.Property(r => r.Format).HasMaxLength(8);
        builder.HasOne<RetentionRun>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TrashEntryConfiguration : IEntityTypeConfiguration<TrashEntry>
{
    public void Configure(EntityTypeBuilder<TrashEntry> builder)
    {
        builder.ToTable("retention_trash");
        builder.Property(t => t.Oid).HasMaxLength(64);
        builder.HasIndex(t => new { t.State, t.RestoreUntil });
        builder.HasIndex(t => t.Oid);
        builder.HasIndex(t => new { t.RepositoryId, t.Oid });
        builder.HasOne<Repository>().WithMany().HasForeignKey(t => t.RepositoryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UploadLeaseConfiguration : IEntityTypeConfiguration<UploadLease>
{
    public void Configure(EntityTypeBuilder<UploadLease> builder)
    {
        builder.ToTable("object_upload_leases");
        builder.Property(l => l.Oid).HasMaxLength(64);
        builder.Property(l => l.Node).HasMaxLength(200);
        builder.HasIndex(l => l.Oid);
    }
}

internal sealed class SweepFenceConfiguration : IEntityTypeConfiguration<SweepFence>
{
    public void Configure(EntityTypeBuilder<SweepFence> builder)
    {
        builder.ToTable("retention_sweep_fences");
        builder.HasKey(f => f.Oid);
        builder.Property(f => f.Oid).HasMaxLength(64);
    }
}
